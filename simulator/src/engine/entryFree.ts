// Which functions cannot touch page-table entries, decided from their IR alone. A function
// that takes no entry or slot, calls no helper or event function, dereferences nothing and
// reads no VMA's flags (folio_needs_cow …) cannot change what its caller's entries become: it
// needs no summary, and a call to it is a call to an unknown pure function. One that reads
// vm_flags is a predicate of the VMA (mm/memory.c vm_mixed_ok(): VM_MIXEDMAP or the zero page):
// its summary ties its answer to the caller's VMA.

import type { IrFunction } from '../ir';
import { expressionsOf } from '../irWalk';

const ENTRY_TYPES = new Set(['entry', 'slot', 'swp', 'prot', 'vmf']);

export class EntryFreeFunctions {
  private readonly entryFree = new Map<string, boolean>();

  constructor(
    /** The definition a call to `name` from the file `from` means, when there is one. */
    private readonly definition: (name: string, from?: string) => IrFunction | undefined,
    /** Helpers of the profile and the engine's event functions (flushes, locks …). */
    private readonly isModelled: (name: string) => boolean,
  ) {}

  /** True when calling `name` (from the file `from`) cannot touch an entry, a slot or a TLB/lock event. */
  isEntryFree(name: string, from?: string): boolean {
    const fn = this.definition(name, from);
    if (!fn) return false;
    // a function's calls mean what they mean in its own file
    const key = `${fn.origin ?? ''}\0${name}`;
    const known = this.entryFree.get(key);
    if (known !== undefined) return known;
    this.entryFree.set(key, false); // a cycle counts as touching entries
    const free = this.bodyFree(fn);
    this.entryFree.set(key, free);
    return free;
  }

  private bodyFree(fn: IrFunction): boolean {
    if (fn.params.some((p) => ENTRY_TYPES.has(p.type.kind)) || ENTRY_TYPES.has(fn.returnType.kind)) return false;
    for (const block of fn.blocks) {
      for (const statement of block.statements) {
        if (statement.kind === 'assert-state' || (statement.kind === 'declare' && ENTRY_TYPES.has(statement.type.kind))) return false;
      }
    }
    for (const expr of expressionsOf(fn)) {
      if (expr.kind === 'deref' || (expr.kind === 'field' && expr.field === 'vm_flags')) return false;
      if (expr.kind === 'call' && (this.isModelled(expr.callee) || (this.definition(expr.callee, fn.origin) && !this.isEntryFree(expr.callee, fn.origin)))) return false;
    }
    return true;
  }
}
