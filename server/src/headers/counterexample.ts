// A counterexample entry as people read it: the set fields of each input, and the runs of its
// other bits that are set (`x_pte: D; vma: VM_SHADOW_STACK`, `pte: bits 12–57`).

import type { Assignment } from '../../../simulator/src';
import { numberRuns } from '../../../simulator/src/bitvec/treeSimulator';

/** `pte: W D SD; pte bits 12–57` — the inputs' set fields, and the runs of other bits set. */
export function formatCounterexample(assignment: Assignment): string {
  const fields = new Map<string, string[]>();
  const bits = new Map<string, number[]>();
  for (const [name, value] of assignment) {
    if (!value) continue;
    const dot = name.indexOf('.');
    const owner = dot < 0 ? name : name.slice(0, dot);
    const field = dot < 0 ? '' : name.slice(dot + 1);
    const bit = /^bit(\d+)$/.exec(field);
    if (bit) bits.set(owner, [...(bits.get(owner) ?? []), Number(bit[1])]);
    else fields.set(owner, [...(fields.get(owner) ?? []), field]);
  }
  const parts: string[] = [];
  for (const owner of new Set([...fields.keys(), ...bits.keys()])) {
    const named = fields.get(owner) ?? [];
    const runs = numberRuns(bits.get(owner) ?? []).join(',');
    parts.push(`${owner}: ${[...named, ...(runs ? [`bits ${runs}`] : [])].join(' ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'every unknown clear';
}
