// The functions the engine treats as events rather than helpers (SEMANTICS §5):
// TLB flushes, the deferred-flush protocol, page-table locks, page copies and
// dirtying the folio. Data, like the helper tables.

import type { Bool } from '../sym';

export type EngineEvent =
  | 'flush' // the range is flushed from every TLB
  | 'flush-pending-begin' // inc_tlb_flush_pending, tlb_gather_mmu
  | 'flush-pending-end' // dec_tlb_flush_pending, tlb_finish_mmu (flushes first)
  | 'lock' // takes the page-table lock; the result (if any) is a slot
  | 'map' // maps a table without locking; returns a slot
  | 'unlock'
  | 'copy' // the page's contents are copied (COW)
  | 'folio-dirty' // folio_mark_dirty and friends
  | 'folio-exclusive' // a new anonymous page goes into the rmap, exclusive to this mapping
  | 'folio-file' // a page-cache (never anonymous) folio goes into the rmap
  | 'gather' // the range is handed to an mmu_gather, which flushes it before it finishes
  | 'mmap-write-lock' // mmap_write_lock: no fault or other mmap-lock holder runs until it is dropped
  | 'mmap-write-unlock' // mmap_write_unlock, mmap_write_downgrade
  | 'folio-lock' // takes the folio lock (folio_lock, filemap_lock_folio): the folio cannot be truncated, reclaimed or migrated until it is dropped
  | 'folio-unlock' // folio_unlock
  | 'folio'; // returns the folio the entry maps

export interface EventFunction {
  readonly event: EngineEvent;
  /** For `lock` and `map` functions that find an entry: the level of the slot they return. */
  readonly returnsSlot?: 'pte' | 'pmd' | 'pud';
  /**
   * Which arguments say where that slot is (the table and the address): the same table and
   * address on one path give the same slot back, with the value it holds.
   */
  readonly address?: readonly number[];
  /** The slot is in the kernel's own page tables (init_mm): kernel rules, not user-VMA rules. */
  readonly kernel?: boolean;
  /** The walker is hugetlb's: the slot holds a hugetlb leaf, so the VMA walked is a hugetlb VMA. */
  readonly hugetlb?: boolean;
  /** Returns the page-table lock (pmd_lock); with `huge`, only when the PMD is a huge leaf (else NULL). */
  readonly returnsLock?: 'always' | 'huge';
  /** Stores the page-table lock through this argument (`&ptl`). */
  readonly lockOut?: number;
  /** For `lock` and `unlock`: the argument holding the lock taken or dropped, when it may be some other lock (spin_lock). */
  readonly lockArg?: number;
  /** A `lock` function that only finds the lock (pmd_lockptr): nothing is taken. */
  readonly findsOnly?: boolean;
  /** For `folio-lock`: the lock is taken only where the call returns true (folio_trylock). */
  readonly tries?: boolean;
  /** For `folio-lock`: the folio returned is a file's page-cache folio, never anonymous. */
  readonly pageCache?: boolean;
  /** For `folio-exclusive`: the rmap flags argument (RMAP_EXCLUSIVE); none: always exclusive. */
  readonly flagsArg?: number;
  /**
   * For `folio`: the PTE argument a NULL result says is special. With pte_special (x86, arm64 …)
   * vm_normal_page() gives no page only for a special entry (mm/memory.c; a bad entry aside).
   */
  readonly specialArg?: number;
  /** For `folio`: the entry the page is taken from by its frame number, which only a live entry has (pte_page). */
  readonly liveArg?: number;
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
  tlb_gather_mmu_fullmm: { event: 'flush-pending-begin' },
  tlb_gather_mmu_vma: { event: 'flush-pending-begin' },
  dec_tlb_flush_pending: { event: 'flush-pending-end' },
  // their names from 3.13 (change_protection_range(): migration must not copy a page another CPU
  // still writes through a stale entry) until 4.13 made the flag a count
  set_tlb_flush_pending: { event: 'flush-pending-begin' },
  clear_tlb_flush_pending: { event: 'flush-pending-end' },
  tlb_finish_mmu: { event: 'flush-pending-end' },
  // an mmu_gather takes the range to flush: the flush happens before tlb_finish_mmu, and a
  // fault that races it sees mm_tlb_flush_pending (mm/mmu_gather.c)
  tlb_flush_pte_range: { event: 'gather' },
  tlb_flush_pmd_range: { event: 'gather' },
  tlb_flush_pud_range: { event: 'gather' },
  tlb_remove_tlb_entry: { event: 'gather' },
  tlb_remove_tlb_entries: { event: 'gather' },
  tlb_remove_pmd_tlb_entry: { event: 'gather' },
  tlb_remove_pud_tlb_entry: { event: 'gather' },
  tlb_change_page_size: { event: 'gather' },
  // reclaim batches its flushes the same way (SEMANTICS §5.4, mm/rmap.c)
  set_tlb_ubc_flush_pending: { event: 'gather' },
  try_to_unmap_flush: { event: 'flush' },
  try_to_unmap_flush_dirty: { event: 'flush' },
  pte_offset_map_lock: { event: 'lock', returnsSlot: 'pte', address: [1, 2], lockOut: 3 },
  pte_offset_map_rw_nolock: { event: 'map', returnsSlot: 'pte', address: [1, 2], lockOut: 4 },
  pte_offset_map_ro_nolock: { event: 'map', returnsSlot: 'pte', address: [1, 2], lockOut: 3 },
  pte_offset_map_nolock: { event: 'map', returnsSlot: 'pte', address: [1, 2], lockOut: 3 },
  pte_offset_map: { event: 'map', returnsSlot: 'pte', address: [0, 1] },
  pte_offset_kernel: { event: 'map', returnsSlot: 'pte', address: [0, 1], kernel: true },
  pte_alloc_kernel: { event: 'map', returnsSlot: 'pte', address: [0, 1], kernel: true },
  pte_alloc_kernel_track: { event: 'map', returnsSlot: 'pte', address: [0, 1], kernel: true },
  pmd_offset: { event: 'map', returnsSlot: 'pmd', address: [0, 1] },
  // hugetlb's walkers find the leaf of a hugetlb VMA, kept as a pte_t (include/linux/hugetlb.h)
  huge_pte_offset: { event: 'map', returnsSlot: 'pte', address: [0, 1], hugetlb: true },
  hugetlb_walk: { event: 'map', returnsSlot: 'pte', address: [0, 1], hugetlb: true },
  huge_pte_alloc: { event: 'map', returnsSlot: 'pte', address: [0, 1], hugetlb: true },
  pud_offset: { event: 'map', returnsSlot: 'pud', address: [0, 1] },
  pte_unmap: { event: 'map' },
  pmd_lock: { event: 'lock', returnsLock: 'always' },
  pud_lock: { event: 'lock', returnsLock: 'always' },
  pte_lockptr: { event: 'lock', returnsLock: 'always', findsOnly: true },
  pmd_lockptr: { event: 'lock', returnsLock: 'always', findsOnly: true },
  pud_lockptr: { event: 'lock', returnsLock: 'always', findsOnly: true },
  huge_pte_lock: { event: 'lock', returnsLock: 'always' },
  huge_pte_lockptr: { event: 'lock', returnsLock: 'always', findsOnly: true },
  pmd_trans_huge_lock: { event: 'lock', returnsLock: 'huge' },
  __pmd_trans_huge_lock: { event: 'lock', returnsLock: 'huge' },
  pud_trans_huge_lock: { event: 'lock', returnsLock: 'huge' },
  spin_lock: { event: 'lock', lockArg: 0 },
  spin_lock_nested: { event: 'lock', lockArg: 0 },
  pte_unmap_unlock: { event: 'unlock' },
  spin_unlock: { event: 'unlock', lockArg: 0 },
  // a path where mmap_write_lock_killable() fails returns at once: the lock counts as taken
  mmap_write_lock: { event: 'mmap-write-lock' },
  mmap_write_lock_nested: { event: 'mmap-write-lock' },
  mmap_write_lock_killable: { event: 'mmap-write-lock' },
  // lockdep's word that the caller holds it; a VMA is write-locked only under the mmap write
  // lock (include/linux/mmap_lock.h: __is_vma_write_locked() asserts it, and without per-VMA
  // locks vma_assert_write_locked() is mmap_assert_write_locked())
  mmap_assert_write_locked: { event: 'mmap-write-lock' },
  vma_assert_write_locked: { event: 'mmap-write-lock' },
  mmap_write_unlock: { event: 'mmap-write-unlock' },
  mmap_write_downgrade: { event: 'mmap-write-unlock' },
  // a locked folio stays in its mapping until unlocked: truncation, reclaim, migration and
  // writeback's folio_clear_dirty_for_io() all take the folio lock (mm/truncate.c, mm/vmscan.c,
  // mm/migrate.c, mm/page-writeback.c); filemap_lock_folio() returns the folio of a file's page
  // cache locked ("will not return a shadow, swap or DAX entry", include/linux/pagemap.h)
  folio_lock: { event: 'folio-lock' },
  folio_lock_killable: { event: 'folio-lock' },
  lock_page: { event: 'folio-lock' },
  filemap_lock_folio: { event: 'folio-lock', pageCache: true },
  folio_trylock: { event: 'folio-lock', tries: true },
  trylock_page: { event: 'folio-lock', tries: true },
  folio_unlock: { event: 'folio-unlock' },
  unlock_page: { event: 'folio-unlock' },
  copy_user_highpage: { event: 'copy' },
  copy_mc_user_highpage: { event: 'copy' },
  __wp_page_copy_user: { event: 'copy' },
  folio_copy: { event: 'copy' },
  copy_user_large_folio: { event: 'copy' },
  folio_mark_dirty: { event: 'folio-dirty' },
  folio_set_dirty: { event: 'folio-dirty' },
  set_page_dirty: { event: 'folio-dirty' },
  SetPageDirty: { event: 'folio-dirty' },
  folio_add_new_anon_rmap: { event: 'folio-exclusive', flagsArg: 3 },
  page_add_new_anon_rmap: { event: 'folio-exclusive' },
  // mm/rmap.c: a new hugetlb folio is set anon and PageAnonExclusive (the 6.5 name, then hugepage_add_new_anon_rmap)
  hugetlb_add_new_anon_rmap: { event: 'folio-exclusive' },
  hugepage_add_new_anon_rmap: { event: 'folio-exclusive' },
  // __folio_add_file_rmap() warns on an anonymous folio (mm/rmap.c): the folio mapped is a file's
  folio_add_file_rmap_pte: { event: 'folio-file' },
  folio_add_file_rmap_ptes: { event: 'folio-file' },
  folio_add_file_rmap_pmd: { event: 'folio-file' },
  folio_add_file_rmap_pud: { event: 'folio-file' },
  page_add_file_rmap: { event: 'folio-file' },
  vm_normal_folio: { event: 'folio', specialArg: 2 },
  vm_normal_page: { event: 'folio', specialArg: 2 },
  vm_normal_folio_pmd: { event: 'folio' },
  page_folio: { event: 'folio' },
  pfn_swap_entry_folio: { event: 'folio' },
  pte_page: { event: 'folio', liveArg: 0 },
  pmd_page: { event: 'folio', liveArg: 0 },
  pud_page: { event: 'folio', liveArg: 0 },
  softleaf_to_folio: { event: 'folio' },
};

/**
 * Members of the kernel's walk structures that point at a page-table slot, by the level of the
 * slot (struct vm_fault and struct page_vma_mapped_walk: `pmd_t *pmd; pte_t *pte;`): dereferenced,
 * they read that slot.
 */
export const SLOT_MEMBERS: Readonly<Record<string, 'pte' | 'pmd' | 'pud'>> = { pte: 'pte', pmd: 'pmd', pud: 'pud' };

/**
 * Members of struct vm_fault that hold a copy of what a slot member pointed at when the fault was
 * taken (`orig_pte` of `*pte`), by the slot member: a handler compares the slot with its copy
 * under the lock (`pte_same(ptep_get(vmf->pte), vmf->orig_pte)`) before it installs.
 */
export const FAULT_COPY_MEMBERS: Readonly<Record<string, 'pte' | 'pmd'>> = { orig_pte: 'pte', orig_pmd: 'pmd' };

/** The member of struct vm_fault that holds a copy of what the slot member `level` pointed at. */
export function faultCopyMember(level: 'pte' | 'pmd'): string {
  return Object.keys(FAULT_COPY_MEMBERS).find((member) => FAULT_COPY_MEMBERS[member] === level)!;
}

/** Fields that hold a page-table lock, whatever they are read from (`vmf->ptl`, `mm->page_table_lock`). */
export const PAGE_TABLE_LOCK_FIELDS: ReadonlySet<string> = new Set(['ptl', 'page_table_lock']);

/**
 * Functions that pass their (first) argument through unchanged, as far as the model sees: the
 * pgprot_ ones change cache and encryption attributes only, which no rule reads.
 */
export const TRANSPARENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'READ_ONCE', 'likely', 'unlikely',
  'pgprot_noncached', 'pgprot_writecombine', 'pgprot_device', 'pgprot_decrypted', 'pgprot_encrypted', 'pgprot_dmacoherent',
]);

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

/**
 * The mm debugging assertions: without CONFIG_DEBUG_VM they are BUILD_BUG_ON_INVALID(cond), never
 * evaluated (include/linux/mmdebug.h), so what their condition calls can have no effect the code
 * relies on.
 */
export const DEBUG_ONLY_ASSERTIONS: ReadonlySet<string> = new Set(Object.keys(ASSERTIONS).filter((name) => name.startsWith('VM_')));

/** A bit an entry may lack because the code cleared it on purpose. */
export type ClearedBit = 'dirty' | 'uffd_wp' | 'soft_dirty';

/** Helpers whose result lacks a bit because the code meant it to: installing that result loses the bit by design. */
export const CLEARS_ON_PURPOSE: ReadonlyArray<{ readonly helper: RegExp; readonly bit: ClearedBit }> = [
  { helper: /_mkclean$/, bit: 'dirty' },
  { helper: /_clear_uffd_wp$/, bit: 'uffd_wp' },
  { helper: /_clear_soft_dirty$/, bit: 'soft_dirty' },
];

/** The install fact a transition rule reads for each bit cleared on purpose. */
export const INSTALL_FACT_OF_CLEARED: Readonly<Record<ClearedBit, string>> = { dirty: 'cleaned', uffd_wp: 'uffd_wp_cleared', soft_dirty: 'soft_dirty_cleared' };

/**
 * Bits an entry lacks on purpose, each install fact with the condition under which it was
 * cleared: always, for a helper's result; for an entry parameter, what the caller's entry says.
 */
export type ClearedOnPurpose = ReadonlyMap<string, Bool>;

/** Flag macros that stand for several flags (include/linux/mm.h). */
export const FLAG_GROUPS: Readonly<Record<string, readonly string[]>> = {
  VM_ACCESS_FLAGS: ['VM_READ', 'VM_WRITE', 'VM_EXEC'],
};
