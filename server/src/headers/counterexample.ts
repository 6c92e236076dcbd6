// A counterexample entry as people read it: the set fields of each input, and the runs of its
// other bits that are set (`x_pte: D; vma: VM_SHADOW_STACK`, `pte: bits 12–57`).

import type { Assignment } from '../../../simulator/src';

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
    const runs = ranges(bits.get(owner) ?? []);
    parts.push(`${owner}: ${[...named, ...(runs ? [`bits ${runs}`] : [])].join(' ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'every unknown clear';
}

function ranges(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
