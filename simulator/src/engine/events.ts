// The functions the engine treats as events rather than helpers (SEMANTICS §5):
// TLB flushes, the deferred-flush protocol, page-table locks, page copies and
// dirtying the folio. Data, like the helper tables.

export type EngineEvent =
  | 'flush' // the range is flushed from every TLB
  | 'flush-pending-begin' // inc_tlb_flush_pending, tlb_gather_mmu
  | 'flush-pending-end' // dec_tlb_flush_pending, tlb_finish_mmu (flushes first)
  | 'lock' // takes the page-table lock; the result (if any) is a slot
  | 'map' // maps a table without locking; returns a slot
  | 'unlock'
  | 'copy' // the page's contents are copied (COW)
  | 'folio-dirty' // folio_mark_dirty and friends
  | 'folio'; // returns the folio the entry maps

export interface EventFunction {
  readonly event: EngineEvent;
  /** For `lock` functions that map a table: the level of the slot they return. */
  readonly returnsSlot?: 'pte' | 'pmd' | 'pud';
}

export const EVENT_FUNCTIONS: Readonly<Record<string, EventFunction>> = {
  flush_tlb_page: { event: 'flush' },
  flush_tlb_range: { event: 'flush' },
  flush_tlb_mm: { event: 'flush' },
  flush_tlb_mm_range: { event: 'flush' },
  flush_pmd_tlb_range: { event: 'flush' },
  flush_pud_tlb_range: { event: 'flush' },
  flush_tlb_batched_pending: { event: 'flush' },
  tlb_flush_mmu: { event: 'flush' },
  inc_tlb_flush_pending: { event: 'flush-pending-begin' },
  tlb_gather_mmu: { event: 'flush-pending-begin' },
  dec_tlb_flush_pending: { event: 'flush-pending-end' },
  tlb_finish_mmu: { event: 'flush-pending-end' },
  pte_offset_map_lock: { event: 'lock', returnsSlot: 'pte' },
  pte_offset_map_rw_nolock: { event: 'lock', returnsSlot: 'pte' },
  pte_offset_map: { event: 'map', returnsSlot: 'pte' },
  pte_offset_kernel: { event: 'map', returnsSlot: 'pte' },
  pmd_offset: { event: 'map', returnsSlot: 'pmd' },
  pud_offset: { event: 'map', returnsSlot: 'pud' },
  pte_unmap: { event: 'map' },
  pmd_lock: { event: 'lock' },
  pud_lock: { event: 'lock' },
  pmd_trans_huge_lock: { event: 'lock' },
  spin_lock: { event: 'lock' },
  pte_unmap_unlock: { event: 'unlock' },
  spin_unlock: { event: 'unlock' },
  copy_user_highpage: { event: 'copy' },
  copy_mc_user_highpage: { event: 'copy' },
  __wp_page_copy_user: { event: 'copy' },
  folio_copy: { event: 'copy' },
  copy_user_large_folio: { event: 'copy' },
  folio_mark_dirty: { event: 'folio-dirty' },
  folio_set_dirty: { event: 'folio-dirty' },
  set_page_dirty: { event: 'folio-dirty' },
  SetPageDirty: { event: 'folio-dirty' },
  vm_normal_folio: { event: 'folio' },
  vm_normal_page: { event: 'folio' },
  vm_normal_folio_pmd: { event: 'folio' },
  page_folio: { event: 'folio' },
  pfn_swap_entry_folio: { event: 'folio' },
  softleaf_to_folio: { event: 'folio' },
};

/** Functions that pass their (first) argument through unchanged. */
export const TRANSPARENT_FUNCTIONS: ReadonlySet<string> = new Set(['READ_ONCE', 'likely', 'unlikely']);

/**
 * The kernel's assertions, by name, with the index of the condition they assert is false:
 * on the path that continues past one, its condition does not hold (DESIGN "kernel facts").
 * Compile-time checks (BUILD_BUG_ON) are not here: they say nothing about a path.
 */
export const ASSERTIONS: Readonly<Record<string, number>> = {
  BUG_ON: 0,
  VM_BUG_ON: 0,
  VM_BUG_ON_PAGE: 0,
  VM_BUG_ON_FOLIO: 0,
  VM_BUG_ON_VMA: 0,
  VM_BUG_ON_MM: 0,
  VM_WARN_ON: 0,
  VM_WARN_ON_ONCE: 0,
  VM_WARN_ON_FOLIO: 0,
  VM_WARN_ON_ONCE_FOLIO: 0,
  VM_WARN_ON_ONCE_PAGE: 0,
  VM_WARN_ON_ONCE_VMA: 0,
  VM_WARN_ON_ONCE_MM: 0,
  VM_WARN_ON_VMG: 0,
  VM_WARN_ONCE: 0,
  VM_WARN: 0,
  WARN_ON: 0,
  WARN_ON_ONCE: 0,
  WARN: 0,
  WARN_ONCE: 0,
};
