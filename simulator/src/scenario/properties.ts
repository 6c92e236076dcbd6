// What a sequential scenario checks after each step, besides the hazard rules' state conditions
// on the entry: properties of what the user sees. Each is a predicate in the helper-table language
// over the entry before (`old`) and after (`new`) the step, the VMA and the folio (where `written`
// says data was written that nothing discarded), named by the hazard rule it is the visible
// consequence of, so `mmlens explain` and docs/rules/ explain it.

export interface PropertyDef {
  readonly id: string;
  /** Checked after a completed write, or after every step. */
  readonly after: 'write' | 'step';
  readonly condition: string;
  /** What went wrong, as the user would put it. */
  readonly message: string;
  /** The property, in a line (docs/scenarios.md). */
  readonly holds: string;
}

export const PROPERTIES: readonly PropertyDef[] = [
  {
    id: 'softdirty-bypass', after: 'write',
    condition: 'vma_soft_dirty_enabled(vma) & !vma.VM_HUGETLB & !pte_soft_dirty(new)',
    message: 'the write is not recorded: the entry stays without soft-dirty while the VMA tracks soft-dirty, so /proc/PID/pagemap reports the page clean',
    holds: 'a write is recorded by soft-dirty (after clear_refs, the entry or the VMA says soft-dirty)',
  },
  {
    id: 'uffd-wp-writable', after: 'write',
    condition: 'userfaultfd_pte_wp(vma, old)',
    message: 'the write went through although the page is uffd-wp protected: the userfaultfd monitor never sees it',
    holds: 'a write to a uffd-wp protected page faults to the userfaultfd monitor',
  },
  {
    id: 'dirty-lost', after: 'step',
    condition: 'folio.written & !pte_dirty(new) & !folio.dirty',
    message: 'data written to the page is dirty neither in the entry nor in the folio: reclaim or writeback will drop it',
    holds: 'no write is lost: written data stays dirty in the entry or the folio until the user discards it',
  },
];

export function propertyIds(): string[] {
  return PROPERTIES.map((p) => p.id);
}
