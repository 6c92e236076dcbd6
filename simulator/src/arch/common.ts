// Rows every architecture shares: the generic in-place primitives of
// mm/pgtable-generic.c and include/linux/pgtable.h, the swap / migration /
// marker API (SEMANTICS §2.3, §2.4) and the mm functions whose decision tables
// SEMANTICS §3.9 gives. An arch table overrides a row by naming it again.

import type { BitDef, HelperDef } from '../helpers/types';
import { HUGETLB_HELPERS } from './hugetlb';

/** Non-present payload every architecture encodes the same way (migration A/D, marker bits). */
export const SHARED_SOFTLEAF_BITS: readonly BitDef[] = [
  { name: 'mig_a', meaning: 'migration entry young', needs: 'MIGRATION_ENTRY_AD' },
  { name: 'mig_d', meaning: 'migration entry dirty', needs: 'MIGRATION_ENTRY_AD' },
  { name: 'mk_uw', meaning: 'PTE_MARKER_UFFD_WP', since: '5.19' },
  { name: 'mk_poison', meaning: 'PTE_MARKER_POISONED', since: '6.0' },
  { name: 'mk_guard', meaning: 'PTE_MARKER_GUARD', since: '6.13' },
];

const NP = 'present | protnone | invalid';

export const COMMON_HELPERS: readonly HelperDef[] = [
  // ---- in-place primitives (SEMANTICS §2.3) ----
  { name: 'ptep_get', kind: 'inplace', params: 'ptep', slot: 'ptep', effect: '', returns: 'old', install: 'read', section: '§2.3 ptep_get', summary: 'Reads the slot.', aliases: [{ name: 'ptep_get_lockless' }] },
  { name: 'pmdp_get', kind: 'inplace', params: 'pmdp', slot: 'pmdp', effect: '', returns: 'old', install: 'read', section: '§2.3 pmdp_get', summary: 'Reads the slot.', aliases: [{ name: 'pmdp_get_lockless' }] },
  { name: 'pudp_get', kind: 'inplace', params: 'pudp', slot: 'pudp', effect: '', returns: 'old', install: 'read', section: '§2.3 pudp_get', summary: 'Reads the slot.' },
  { name: 'set_pte_at', kind: 'inplace', params: 'mm addr ptep pte', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'store', section: '§2.3 set_pte_at = set_ptes(…, 1)', summary: 'Stores the entry in the slot (plain store).' },
  { name: 'set_ptes', kind: 'inplace', params: 'mm addr ptep pte nr', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'store', section: '§2.3 set_ptes', summary: 'Stores nr consecutive entries of one folio (modelled on the first).' },
  { name: 'set_pmd_at', kind: 'inplace', params: 'mm addr pmdp pmd', slot: 'pmdp', effect: 'copy pmd', returns: 'void', install: 'store', section: '§2.3 set_pmd_at', summary: 'Stores the huge PMD in the slot.' },
  { name: 'set_pud_at', kind: 'inplace', params: 'mm addr pudp pud', slot: 'pudp', effect: 'copy pud', returns: 'void', install: 'store', section: '§2.3 set_pud_at', summary: 'Stores the huge PUD in the slot.' },
  { name: 'ptep_get_and_clear', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', section: '§2.3 ptep_get_and_clear', summary: 'Atomically exchanges the slot with none and returns the old entry.' },
  { name: 'ptep_get_and_clear_full', kind: 'inplace', params: 'mm addr ptep full', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', section: '§2.3 ptep_get_and_clear_full', summary: 'Clears the slot (non-atomically when the address space is being torn down) and returns the old entry.' },
  { name: 'pte_clear', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: 'clear', returns: 'void', install: 'clear', section: '§2.3 pte_clear', summary: 'Clears the slot.' },
  { name: 'ptep_clear_flush', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', events: [{ event: 'tlb-flush', scope: 'page', when: 'pte_accessible(vma, old)' }], section: '§2.3 ptep_clear_flush (mm/pgtable-generic.c)', summary: 'Clears the slot, then flushes the page from the TLB if the old entry was accessible.' },
  { name: 'pmdp_huge_get_and_clear', kind: 'inplace', params: 'mm addr pmdp', slot: 'pmdp', effect: 'clear', returns: 'old', install: 'clear', section: '§2.3 pmdp_huge_get_and_clear', summary: 'Atomically clears the huge PMD and returns it.', aliases: [{ name: 'pmdp_huge_get_and_clear_full' }] },
  { name: 'pudp_huge_get_and_clear', kind: 'inplace', params: 'mm addr pudp', slot: 'pudp', effect: 'clear', returns: 'old', install: 'clear', section: '§2.3 pudp_huge_get_and_clear', summary: 'Atomically clears the huge PUD and returns it.' },
  { name: 'pmdp_huge_clear_flush', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'clear', returns: 'old', install: 'clear', events: [{ event: 'tlb-flush', scope: 'pmd' }], section: '§2.3 pmdp_huge_clear_flush', summary: 'Clears the huge PMD and flushes its range.' },
  { name: '{l}p_set_wrprotect', levels: ['pte', 'pmd'], kind: 'inplace', params: 'mm addr {l}p', slot: '{l}p', effect: 'call {l}_wrprotect', returns: 'void', install: 'atomic-update', section: '§2.3 ptep_set_wrprotect / pmdp_set_wrprotect', summary: 'Write-protects the live entry with one atomic read-modify-write ({l}_wrprotect).', keeps: ['dirty'] },
  { name: 'pudp_set_wrprotect', kind: 'inplace', params: 'mm addr pudp', slot: 'pudp', effect: 'call pud_wrprotect', returns: 'void', install: 'atomic-update', section: '§2.3 pudp_set_wrprotect (generic: read + set_pud_at)', summary: 'Write-protects the PUD (generic read, pud_wrprotect, set_pud_at; the sanctioned helper).', keeps: ['dirty'] },
  { name: 'wrprotect_ptes', kind: 'inplace', params: 'mm addr ptep nr', slot: 'ptep', effect: 'call pte_wrprotect', returns: 'void', install: 'atomic-update', section: '§2.3 wrprotect_ptes', summary: 'ptep_set_wrprotect on nr entries (modelled on the first).', keeps: ['dirty'] },
  { name: 'ptep_set_access_flags', kind: 'inplace', params: 'vma addr ptep entry dirty', slot: 'ptep', effect: 'copy entry', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush', scope: 'page', when: '!same(old, entry)' }], section: '§2.3 ptep_set_access_flags (generic)', summary: 'If the entry differs, stores it and fixes a spurious fault; only for making the entry more permissive.' },
  { name: 'pmdp_set_access_flags', kind: 'inplace', params: 'vma addr pmdp entry dirty', slot: 'pmdp', effect: 'copy entry', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush', scope: 'pmd', when: '!same(old, entry)' }], section: '§2.3 pmdp_set_access_flags (generic)', summary: 'If the entry differs, stores it and flushes the PMD range.' },
  { name: 'pudp_set_access_flags', kind: 'inplace', params: 'vma addr pudp entry dirty', slot: 'pudp', effect: 'copy entry', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush', scope: 'pud', when: '!same(old, entry)' }], section: '§2.3 pudp_set_access_flags (generic)', summary: 'If the entry differs, stores it and flushes the PUD range.' },
  { name: 'pudp_invalidate', kind: 'inplace', params: 'vma addr pudp', slot: 'pudp', effect: 'call pud_mkinvalid', returns: 'old', install: 'establish', events: [{ event: 'tlb-flush', scope: 'pud' }], section: '§2.3 pudp_invalidate', summary: 'Invalidates the huge PUD and flushes its range.' },
  { name: 'ptep_test_and_clear_young', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'call pte_mkold', returns: 'pte_young(old)', install: 'atomic-update', section: '§2.3 ptep_test_and_clear_young', summary: 'Atomically clears the accessed bit; returns whether it was set.' },
  { name: 'pmdp_test_and_clear_young', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'call pmd_mkold', returns: 'pmd_young(old)', install: 'atomic-update', section: '§2.3 pmdp_test_and_clear_young', summary: 'Atomically clears the accessed bit; returns whether it was set.' },
  { name: 'ptep_clear_flush_young', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'call pte_mkold', returns: 'pte_young(old)', install: 'atomic-update', events: [{ event: 'tlb-flush', scope: 'page', when: 'pte_young(old)' }], section: '§2.3 ptep_clear_flush_young (generic)', summary: 'Clears the accessed bit and flushes the page if it was young.' },
  { name: 'pmdp_clear_flush_young', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'call pmd_mkold', returns: 'pmd_young(old)', install: 'atomic-update', events: [{ event: 'tlb-flush', scope: 'pmd', when: 'pmd_young(old)' }], section: '§2.3 pmdp_clear_flush_young', summary: 'Clears the accessed bit and flushes the PMD range if it was young.' },
  { name: 'ptep_modify_prot_start', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', until: '5.1', section: '§2.3 ptep_modify_prot_start (before 5.1: given the mm)', summary: 'Starts a protection change: clears the slot (so hardware cannot set A/D meanwhile) and returns the old entry.' },
  { name: 'ptep_modify_prot_commit', kind: 'inplace', params: 'mm addr ptep pte', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'commit', until: '5.1', section: '§2.3 ptep_modify_prot_commit (before 5.1: given the mm, not the old entry)', summary: 'Ends a protection change: stores the new entry.' },
  { name: 'ptep_modify_prot_start', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', since: '5.1', section: '§2.3 ptep_modify_prot_start', summary: 'Starts a protection change: clears the slot (so hardware cannot set A/D meanwhile) and returns the old entry.', aliases: [{ name: 'modify_prot_start_ptes' }] },
  { name: 'ptep_modify_prot_commit', kind: 'inplace', params: 'vma addr ptep old_pte pte', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'commit', since: '5.1', section: '§2.3 ptep_modify_prot_commit', summary: 'Ends a protection change: stores the new entry.', aliases: [{ name: 'modify_prot_commit_ptes' }] },
  { name: 'pmdp_invalidate', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'call pmd_mkinvalid', returns: 'old', install: 'establish', events: [{ event: 'tlb-flush', scope: 'pmd' }], section: '§2.3 pmdp_invalidate (mm/pgtable-generic.c)', summary: 'Atomically makes the huge PMD invalid (still pmd_present), flushes its range, returns the old PMD.' },
  { name: 'pmdp_invalidate_ad', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'call pmd_mkinvalid', returns: 'old', install: 'establish', events: [{ event: 'tlb-flush', scope: 'pmd' }], section: '§2.3 pmdp_invalidate_ad (generic = pmdp_invalidate)', summary: 'As pmdp_invalidate.' },
  { name: 'pmdp_establish', kind: 'inplace', params: 'vma addr pmdp pmd', slot: 'pmdp', effect: 'copy pmd', returns: 'old', install: 'establish', section: '§2.3 pmdp_establish', summary: 'Atomically exchanges the PMD and returns the old one.' },
  { name: 'flush_tlb_fix_spurious_fault', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: '', returns: 'void', install: 'read', events: [{ event: 'tlb-flush', scope: 'page' }], section: '§2.3 flush_tlb_fix_spurious_fault (generic: flush_tlb_page)', summary: 'After a spurious fault: flushes the page.' },
  { name: 'clear_young_dirty_ptes', kind: 'inplace', params: 'vma addr ptep nr flags', slot: 'ptep', effect: 'call pte_mkold if flags.CYDP_CLEAR_YOUNG; call pte_mkclean if flags.CYDP_CLEAR_DIRTY', returns: 'void', install: 'clean', section: '§2.3 clear_young_dirty_ptes (MADV_FREE, MADV_COLD)', summary: 'Makes the entries old (CYDP_CLEAR_YOUNG) and clean (CYDP_CLEAR_DIRTY: MADV_FREE drops dirt on purpose).' },

  // ---- swap / migration / markers (SEMANTICS §2.4) ----
  { name: 'pte_to_swp_entry', kind: 'constructor', builds: 'swp', params: 'pte', effect: `copy pte; clear_arch; swp_sd := 0; swp_uw := 0; swp_x := 0; let live := ${NP}; none := none | live; present := 0; protnone := 0; invalid := 0`, section: '§2.4 pte_to_swp_entry', summary: 'Decodes a non-present entry into type + offset; the arch carry bits (exclusive, soft-dirty, uffd-wp) are dropped.', aliases: [{ name: 'softleaf_from_pte', since: '6.19' }] },
  { name: 'pmd_to_swp_entry', kind: 'constructor', builds: 'swp', params: 'pmd', effect: `copy pmd; clear_arch; swp_sd := 0; swp_uw := 0; swp_x := 0; let live := ${NP}; none := none | live; present := 0; protnone := 0; invalid := 0`, section: '§2.4 pmd_to_swp_entry', summary: 'Decodes a non-present PMD (migration or device-private) into type + offset, dropping carry bits.', aliases: [{ name: 'softleaf_from_pmd', since: '6.19' }] },
  { name: 'swp_entry_to_pte', kind: 'constructor', params: 'swp', effect: 'copy swp; clear_arch; swp_sd := 0; swp_uw := 0; swp_x := 0', section: '§2.4 swp_entry_to_pte', summary: 'Encodes type + offset as a PTE with every carry bit clear: callers must re-add soft-dirty / uffd-wp / exclusive.', aliases: [{ name: 'softleaf_to_pte', since: '6.19' }] },
  { name: 'swp_entry_to_pmd', kind: 'constructor', levels: ['pmd'], params: 'swp', effect: 'copy swp; clear_arch; swp_sd := 0; swp_uw := 0; swp_x := 0', section: '§2.4 swp_entry_to_pmd', summary: 'Encodes a migration/device entry as a PMD with carry bits clear.', aliases: [{ name: 'softleaf_to_pmd', since: '6.19' }] },
  { name: '{l}_swp_mksoft_dirty', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'swp_sd := 1', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§2.4 pte_swp_mksoft_dirty', summary: 'Sets the swap soft-dirty carry bit.' },
  { name: '{l}_swp_clear_soft_dirty', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'swp_sd := 0', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§2.4 pte_swp_clear_soft_dirty', summary: 'Clears the swap soft-dirty carry bit.' },
  { name: '{l}_swp_soft_dirty', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'swp_sd', needs: 'MEM_SOFT_DIRTY', absent: 'false', section: '§2.4 pte_swp_soft_dirty', summary: 'Reads the swap soft-dirty carry bit.' },
  { name: '{l}_swp_mkuffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'swp_uw := 1', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§2.4 pte_swp_mkuffd_wp', summary: 'Sets the swap uffd-wp carry bit.' },
  { name: '{l}_swp_clear_uffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'swp_uw := 0', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§2.4 pte_swp_clear_uffd_wp', summary: 'Clears the swap uffd-wp carry bit.' },
  { name: '{l}_swp_uffd_wp', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'swp_uw', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'false', section: '§2.4 pte_swp_uffd_wp', summary: 'Reads the swap uffd-wp carry bit.' },
  { name: 'pte_swp_mkexclusive', kind: 'modifier', params: 'pte', effect: 'swp_x := 1', since: '5.19', section: '§2.4 pte_swp_mkexclusive', summary: 'Marks the swapped-out page as exclusive to this mapping.' },
  { name: 'pte_swp_clear_exclusive', kind: 'modifier', params: 'pte', effect: 'swp_x := 0', since: '5.19', section: '§2.4 pte_swp_clear_exclusive', summary: 'Clears the swap exclusive carry bit.' },
  { name: 'pte_swp_exclusive', kind: 'predicate', params: 'pte', effect: 'swp_x', since: '5.19', section: '§2.4 pte_swp_exclusive', summary: 'Reads the swap exclusive carry bit.' },
  { name: 'pte_swp_clear_flags', kind: 'modifier', params: 'pte', effect: 'swp_x := 0; swp_sd := 0; swp_uw := 0', since: '5.13', section: '§2.4 pte_swp_clear_flags (include/linux/swapops.h)', summary: 'Clears every swap carry bit (exclusive, soft-dirty, uffd-wp), keeping type and offset.' },
  // mm/swapfile.c pte_same_as_swp(): swapoff's test that a slot still holds the swap entry it is
  // unusing, whatever carry bits the slot added (pte_swp_clear_soft_dirty() before 5.13, when
  // uffd-wp was added to what it ignores: pte_swp_clear_flags())
  { name: 'pte_same_as_swp', kind: 'predicate', params: 'a b', effect: 'same(a, b, swp_sd)', until: '5.13', section: '§2.4 pte_same_as_swp (mm/swapfile.c)', summary: 'The entry is the swap entry, but for its soft-dirty bit.' },
  { name: 'pte_same_as_swp', kind: 'predicate', params: 'a b', effect: 'same(a, b, swp_sd, swp_uw, swp_x)', since: '5.13', section: '§2.4 pte_same_as_swp (mm/swapfile.c)', summary: 'The entry is the swap entry, but for its carry bits (exclusive, soft-dirty, uffd-wp).' },
  { name: 'is_swap_pmd', kind: 'predicate', params: 'pmd', effect: `!none & !(${NP})`, until: '6.19', section: '§2.4 is_swap_pmd (include/linux/swapops.h)', summary: 'Neither none nor present: a migration or device entry in a PMD.' },
  { name: 'is_pmd_migration_entry', kind: 'predicate', params: 'pmd', effect: 'mig_r | mig_re | mig_w', until: '6.19', section: '§2.4 is_pmd_migration_entry (include/linux/swapops.h)', summary: 'The PMD is a migration entry.' },
  { name: 'is_swap_pte', kind: 'predicate', params: 'pte', effect: `!none & !(${NP})`, until: '6.19', section: '§2.4 is_swap_pte', summary: 'Neither none nor present: a swap, migration, device or marker entry.' },
  { name: 'make_migration_entry', kind: 'constructor', builds: 'swp', params: 'page write', effect: 'form mig_r; mig_w := write; mig_r := !write', until: '5.14', section: '§2.4 make_migration_entry (before 5.14)', summary: 'Builds a migration entry, writable when `write`.' },
  { name: 'make_migration_entry_read', kind: 'modifier', params: 'swp', effect: 'form mig_r', writesBack: true, until: '5.14', section: '§2.4 make_migration_entry_read (before 5.14: *entry = swp_entry(SWP_MIGRATION_READ, swp_offset(*entry)))', summary: 'Turns the migration entry the pointer points at into a read migration entry.' },
  { name: 'make_readable_migration_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form mig_r', since: '5.14', section: '§2.4 make_readable_migration_entry', summary: 'Builds a read migration entry.' },
  { name: 'make_readable_exclusive_migration_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form mig_re', since: '5.19', section: '§2.4 make_readable_exclusive_migration_entry', summary: 'Builds a read-exclusive migration entry (an exclusive anon page).' },
  { name: 'make_writable_migration_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form mig_w', since: '5.14', section: '§2.4 make_writable_migration_entry', summary: 'Builds a write migration entry: restored writable.' },
  { name: 'make_migration_entry_young', kind: 'modifier', params: 'swp', effect: 'mig_a := cfg.MIGRATION_ENTRY_AD | mig_a', since: '6.1', section: '§2.4 make_migration_entry_young', summary: 'Records "young" in the migration entry when migration_entry_supports_ad(), else nothing.', aliases: [{ name: 'softleaf_mk_young', since: '6.19' }] },
  { name: 'make_migration_entry_dirty', kind: 'modifier', params: 'swp', effect: 'mig_d := cfg.MIGRATION_ENTRY_AD | mig_d', since: '6.1', section: '§2.4 make_migration_entry_dirty', summary: 'Records "dirty" in the migration entry when migration_entry_supports_ad(), else nothing.', aliases: [{ name: 'softleaf_mk_dirty', since: '6.19' }] },
  { name: 'is_migration_entry', kind: 'predicate', params: 'swp', effect: 'mig_r | mig_re | mig_w', until: '6.19', section: '§2.4 is_migration_entry', summary: 'Any migration entry.', aliases: [{ name: 'softleaf_is_migration', since: '6.19' }] },
  { name: 'is_writable_migration_entry', kind: 'predicate', params: 'swp', effect: 'mig_w', since: '5.14', until: '6.19', section: '§2.4 is_writable_migration_entry', summary: 'A write migration entry.', aliases: [{ name: 'softleaf_is_migration_write', since: '6.19' }, { name: 'is_write_migration_entry', until: '5.14' }] },
  { name: 'is_readable_migration_entry', kind: 'predicate', params: 'swp', effect: 'mig_r', since: '5.14', until: '6.19', section: '§2.4 is_readable_migration_entry', summary: 'A read migration entry.', aliases: [{ name: 'softleaf_is_migration_read', since: '6.19' }] },
  { name: 'is_readable_exclusive_migration_entry', kind: 'predicate', params: 'swp', effect: 'mig_re', since: '5.19', until: '6.19', section: '§2.4 is_readable_exclusive_migration_entry', summary: 'A read-exclusive migration entry.', aliases: [{ name: 'softleaf_is_migration_read_exclusive', since: '6.19' }] },
  { name: 'is_migration_entry_young', kind: 'predicate', params: 'swp', effect: 'cfg.MIGRATION_ENTRY_AD & mig_a', since: '6.1', until: '6.19', section: '§2.4 is_migration_entry_young', summary: 'Young recorded in the migration entry (false when A/D are unsupported).', aliases: [{ name: 'softleaf_is_migration_young', since: '6.19' }] },
  { name: 'is_migration_entry_dirty', kind: 'predicate', params: 'swp', effect: 'cfg.MIGRATION_ENTRY_AD & mig_d', since: '6.1', until: '6.19', section: '§2.4 is_migration_entry_dirty', summary: 'Dirty recorded in the migration entry (false when A/D are unsupported).', aliases: [{ name: 'softleaf_is_migration_dirty', since: '6.19' }] },
  { name: 'make_pte_marker', kind: 'constructor', builds: 'swp', params: 'm', effect: 'form marker; mk_uw := m.PTE_MARKER_UFFD_WP; mk_poison := m.PTE_MARKER_POISONED; mk_guard := m.PTE_MARKER_GUARD', since: '5.19', section: '§2.4 make_pte_marker', summary: 'Builds a PTE marker (uffd-wp, poisoned, guard).' },
  { name: 'is_pte_marker', kind: 'predicate', params: 'pte', effect: 'marker', since: '5.19', until: '6.19', section: '§2.4 is_pte_marker', summary: 'A PTE marker.', aliases: [{ name: 'pte_is_marker', since: '6.19' }] },
  { name: 'is_pte_marker_uffd_wp', kind: 'predicate', params: 'pte', effect: 'marker & mk_uw', since: '5.19', until: '6.19', section: '§2.4 is_pte_marker_uffd_wp', summary: 'A uffd-wp marker.', aliases: [{ name: 'pte_is_uffd_wp_marker', since: '6.19' }] },
  { name: 'pte_marker_entry_uffd_wp', kind: 'predicate', params: 'swp', effect: 'marker & mk_uw', since: '5.19', until: '6.19', section: '§2.4 pte_marker_entry_uffd_wp', summary: 'A uffd-wp marker (swap-entry form).', aliases: [{ name: 'softleaf_is_uffd_wp_marker', since: '6.19' }] },
  { name: 'is_poisoned_swp_entry', kind: 'predicate', params: 'swp', effect: 'marker & mk_poison', since: '6.0', until: '6.19', section: '§2.4 is_poisoned_swp_entry', summary: 'A poison marker.', aliases: [{ name: 'softleaf_is_poison_marker', since: '6.19' }] },
  { name: 'is_guard_swp_entry', kind: 'predicate', params: 'swp', effect: 'marker & mk_guard', since: '6.13', until: '6.19', section: '§2.4 is_guard_swp_entry', summary: 'A guard-region marker.', aliases: [{ name: 'softleaf_is_guard_marker', since: '6.19' }] },
  { name: 'pte_swp_uffd_wp_any', kind: 'predicate', params: 'pte', effect: `!none & !(${NP}) & (swp_uw | (cfg.PTE_MARKER_UFFD_WP & marker & mk_uw))`, since: '5.19', section: '§2.4 pte_swp_uffd_wp_any', summary: 'A non-present entry that is uffd-wp protected: the swap bit, or a uffd-wp marker.' },
  { name: 'make_device_private_entry', kind: 'constructor', builds: 'swp', params: 'page write', effect: 'form dev_r; dev_w := write; dev_r := !write', until: '5.14', section: '§2.4 make_device_private_entry (before 5.14)', summary: 'Builds a device-private entry, writable or not.' },
  { name: 'make_readable_device_private_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form dev_r', since: '5.14', section: '§2.4 make_readable_device_private_entry', summary: 'Builds a read device-private entry.' },
  { name: 'make_writable_device_private_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form dev_w', since: '5.14', section: '§2.4 make_writable_device_private_entry', summary: 'Builds a write device-private entry.' },
  { name: 'make_device_exclusive_entry', kind: 'constructor', builds: 'swp', params: 'offset', effect: 'form dev_x', since: '5.14', section: '§2.4 make_device_exclusive_entry', summary: 'Builds a device-exclusive entry.' },
  { name: 'make_hwpoison_entry', kind: 'constructor', builds: 'swp', params: 'page', effect: 'form hwpoison', section: '§2.4 make_hwpoison_entry', summary: 'Builds a hwpoison entry.' },
  { name: 'is_device_private_entry', kind: 'predicate', params: 'swp', effect: 'dev_r | dev_w', until: '6.19', section: '§2.4 is_device_private_entry', summary: 'A device-private entry.', aliases: [{ name: 'softleaf_is_device_private', since: '6.19' }] },
  { name: 'is_writable_device_private_entry', kind: 'predicate', params: 'swp', effect: 'dev_w', since: '5.14', until: '6.19', section: '§2.4 is_writable_device_private_entry', summary: 'A write device-private entry.', aliases: [{ name: 'softleaf_is_device_private_write', since: '6.19' }] },
  { name: 'is_device_exclusive_entry', kind: 'predicate', params: 'swp', effect: 'dev_x', since: '5.14', until: '6.19', section: '§2.4 is_device_exclusive_entry', summary: 'A device-exclusive entry.', aliases: [{ name: 'softleaf_is_device_exclusive', since: '6.19' }] },
  { name: 'is_hwpoison_entry', kind: 'predicate', params: 'swp', effect: 'hwpoison', until: '6.19', section: '§2.4 is_hwpoison_entry', summary: 'A hwpoison entry.', aliases: [{ name: 'softleaf_is_hwpoison', since: '6.19' }] },
  { name: 'softleaf_is_swap', kind: 'predicate', params: 'swp', effect: 'swap', since: '6.19', section: '§2.4 softleaf_is_swap', summary: 'A real swap entry.' },
  { name: 'softleaf_is_marker', kind: 'predicate', params: 'swp', effect: 'marker', since: '6.19', section: '§2.4 softleaf_is_marker', summary: 'A PTE marker.' },

  // ---- entry constructors and protections (SEMANTICS §4.2, §6) ----
  { name: 'mk_pte', kind: 'constructor', params: 'page prot', effect: 'copy prot', section: '§6 mk_pte', summary: 'Builds a PTE from a page and a protection: the bits are the protection\'s.', aliases: [{ name: 'folio_mk_pte' }] },
  { name: 'pfn_pte', kind: 'constructor', params: 'pfn prot', effect: 'copy prot', section: '§6 pfn_pte', summary: 'Builds a PTE from a pfn and a protection.' },
  { name: 'mk_pmd', kind: 'constructor', levels: ['pmd'], params: 'page prot', effect: 'copy prot', section: '§6 mk_pmd', summary: 'Builds a PMD from a page and a protection (pmd_mkhuge makes it a leaf).', aliases: [{ name: 'folio_mk_pmd' }] },
  { name: 'mk_huge_pmd', kind: 'constructor', levels: ['pmd'], params: 'page prot', effect: 'copy prot; call pmd_mkhuge', until: '6.17', section: '§6 mk_huge_pmd (mm/huge_memory.c: mk_pmd then pmd_mkhuge; present in 6.14.0, gone in 6.17.0)', summary: 'Builds a huge PMD leaf from a page and a protection.' },
  { name: 'pfn_pmd', kind: 'constructor', levels: ['pmd'], params: 'pfn prot', effect: 'copy prot', section: '§6 pfn_pmd', summary: 'Builds a PMD from a pfn and a protection.' },
  { name: 'pfn_pud', kind: 'constructor', levels: ['pud'], params: 'pfn prot', effect: 'copy prot', section: '§6 pfn_pud', summary: 'Builds a PUD from a pfn and a protection.' },
  { name: 'pte_advance_pfn', kind: 'modifier', params: 'pte nr', effect: 'copy pte', since: '6.9', section: '§6 pte_advance_pfn (include/linux/pgtable.h)', summary: 'The same entry for the page frame nr further on: every flag bit is unchanged.' },
  { name: 'pte_next_pfn', kind: 'modifier', params: 'pte', effect: 'copy pte', since: '6.6', section: '§6 pte_next_pfn (include/linux/pgtable.h)', summary: 'The same entry for the next page frame: every flag bit is unchanged.' },
  { name: 'maybe_mkwrite', kind: 'modifier', params: 'pte vma', effect: 'call pte_mkwrite if vma.VM_WRITE', section: '§2.1 maybe_mkwrite (include/linux/mm.h)', summary: 'pte_mkwrite only when the VMA has VM_WRITE (a shadow-stack VMA has it too).' },
  { name: 'maybe_pmd_mkwrite', kind: 'modifier', params: 'pmd vma', effect: 'call pmd_mkwrite if vma.VM_WRITE', section: '§2.1 maybe_pmd_mkwrite (mm/huge_memory.c)', summary: 'pmd_mkwrite only when the VMA has VM_WRITE.' },

  // ---- NUMA savedwrite, 4.11 … 6.1 (generic fallbacks; SEMANTICS §2.6, docs/profiles.md) ----
  { name: '{l}_mk_savedwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'call {l}_mkwrite', since: '4.11', until: '6.2', section: '§2.6 pte_mk_savedwrite (generic: pte_mkwrite)', summary: 'Remembers write permission across NUMA hinting: the generic fallback simply makes the entry writable.' },
  { name: '{l}_clear_savedwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'call {l}_wrprotect', since: '4.11', until: '6.2', section: '§2.6 pte_clear_savedwrite (generic: pte_wrprotect)', summary: 'The generic fallback write-protects.' },
  { name: '{l}_savedwrite', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: '{l}_write(this)', since: '4.11', until: '6.2', section: '§2.6 pte_savedwrite (generic: pte_write)', summary: 'The generic fallback reads write permission.' },

  // ---- mm functions with decision tables (SEMANTICS §3.9) ----
  { name: 'vma_soft_dirty_enabled', kind: 'predicate', params: 'vma', effect: 'cfg.MEM_SOFT_DIRTY & !vma.VM_SOFTDIRTY', section: '§3.5 vma_soft_dirty_enabled (mm/internal.h)', summary: 'Soft-dirty tracking is on for the VMA: supported and VM_SOFTDIRTY clear.' },
  { name: 'pte_needs_soft_dirty_wp', kind: 'predicate', params: 'vma pte', effect: 'vma_soft_dirty_enabled(vma) & !pte_soft_dirty(pte)', section: '§3.5 pte_needs_soft_dirty_wp', summary: 'Tracking is on and the entry is not soft-dirty: it must stay write-protected.' },
  { name: 'pmd_needs_soft_dirty_wp', kind: 'predicate', params: 'vma pmd', effect: 'vma_soft_dirty_enabled(vma) & !pmd_soft_dirty(pmd)', section: '§3.5 pmd_needs_soft_dirty_wp', summary: 'Tracking is on and the PMD is not soft-dirty.' },
  { name: 'userfaultfd_wp', kind: 'predicate', params: 'vma', effect: 'vma.VM_UFFD_WP', section: '§4.1 userfaultfd_wp', summary: 'The VMA is registered for uffd write-protect.' },
  { name: 'userfaultfd_pte_wp', kind: 'predicate', params: 'vma pte', effect: 'vma.VM_UFFD_WP & pte_uffd_wp(pte)', section: '§3.4 userfaultfd_pte_wp', summary: 'Registered for uffd-wp and the entry is uffd-wp protected.' },
  { name: 'userfaultfd_huge_pmd_wp', kind: 'predicate', params: 'vma pmd', effect: 'vma.VM_UFFD_WP & pmd_uffd_wp(pmd)', section: '§3.4 userfaultfd_huge_pmd_wp', summary: 'Registered for uffd-wp and the PMD is uffd-wp protected.' },
  { name: 'is_cow_mapping', kind: 'predicate', params: 'vm_flags', effect: 'vm_flags.VM_MAYWRITE & !vm_flags.VM_SHARED', section: '§3.6 is_cow_mapping (include/linux/mm.h)', summary: 'Private and may become writable: fork must write-protect.' },
  { name: 'pgtable_supports_soft_dirty', kind: 'predicate', params: '', effect: 'cfg.MEM_SOFT_DIRTY', since: '6.19', section: '§3.9 pgtable_supports_soft_dirty (include/linux/pgtable.h)', summary: 'IS_ENABLED(CONFIG_MEM_SOFT_DIRTY) unless the architecture decides at run time (riscv).' },
  { name: 'vma_wants_manual_pte_write_upgrade', kind: 'predicate', params: 'vma', effect: '(vma.VM_SHARED & vma.writenotify) | (!vma.VM_SHARED & vma.VM_WRITE)', since: '6.2', section: '§3.9.2 vma_wants_manual_pte_write_upgrade (include/linux/mm.h, later mm/vma.h; absent in 6.1.20, present in 6.2.12)', summary: 'Write permission must be granted entry by entry: a shared VMA that wants write notification, or a private writable one (COW).' },
  { name: 'vma_is_anonymous', kind: 'predicate', params: 'vma', effect: 'vma.anonymous', section: '§3.9 vma_is_anonymous (include/linux/mm.h)', summary: 'No vm_ops: private anonymous memory (a shared anonymous mapping is shmem).' },
  { name: 'vma_wants_writenotify', kind: 'predicate', params: 'vma prot', effect: 'vma.writenotify', section: '§3.9.2 vma_wants_writenotify (mm/vma.c)', summary: 'Shared writable VMA whose entries must start read-only (dirty accounting, soft-dirty, uffd-wp).' },
  { name: 'mm_tlb_flush_pending', kind: 'predicate', params: 'mm', effect: 'mm.tlb_flush_pending', section: '§5.3 mm_tlb_flush_pending', summary: 'A deferred TLB flush is in progress on this mm.' },
  { name: 'folio_test_anon', kind: 'predicate', params: 'folio', effect: 'folio.anon', section: '§4.3 folio_test_anon', summary: 'Anonymous folio.', aliases: [{ name: 'PageAnon' }] },
  { name: 'PageAnonExclusive', kind: 'predicate', params: 'page', effect: 'page.exclusive', section: '§4.3 PageAnonExclusive', summary: 'The anon page is mapped by this process only.' },
  { name: 'folio_test_dirty', kind: 'predicate', params: 'folio', effect: 'folio.dirty', section: '§4.3 folio_test_dirty', summary: 'PG_dirty.', aliases: [{ name: 'PageDirty' }] },
  { name: 'is_zero_folio', kind: 'predicate', params: 'folio', effect: 'folio.zero', section: '§4.3 is_zero_folio (include/linux/mm.h)', summary: 'The shared zero page, or the huge zero folio: never anonymous, mapped by special entries.', aliases: [{ name: 'is_zero_page' }, { name: 'is_huge_zero_folio' }, { name: 'is_huge_zero_page' }] },
  { name: 'folio_test_ksm', kind: 'predicate', params: 'folio', effect: 'folio.ksm', section: '§4.3 folio_test_ksm', summary: 'A KSM folio.', aliases: [{ name: 'PageKsm' }] },
  { name: 'folio_maybe_dma_pinned', kind: 'predicate', params: 'folio', effect: 'folio.pinned', section: '§4.3 folio_maybe_dma_pinned', summary: 'The folio may be pinned for DMA.', aliases: [{ name: 'page_maybe_dma_pinned' }] },
  {
    name: 'can_change_pte_writable', kind: 'predicate', params: 'vma addr pte @folio', since: '6.2',
    effect: 'vma.VM_WRITE & !pte_protnone(pte) & !pte_needs_soft_dirty_wp(vma, pte) & !userfaultfd_pte_wp(vma, pte) & (vma.VM_SHARED ? pte_dirty(pte) : !pte_special(pte) & folio.anon & folio.exclusive)',
    section: '§3.9.1 can_change_pte_writable (mm/mprotect.c, 6.13/6.19: a private entry needs the page vm_normal_page() finds, none for a special entry)',
    summary: 'mprotect/NUMA may map the entry writable: VM_WRITE, not protnone, no soft-dirty or uffd-wp protection pending, and private → exclusive anon page (a special entry maps none), shared → already dirty.',
  },
  {
    name: 'can_change_pte_writable', kind: 'predicate', params: 'vma addr pte @folio', since: '6.0', until: '6.2',
    effect: 'vma.VM_WRITE & !pte_protnone(pte) & !pte_needs_soft_dirty_wp(vma, pte) & !userfaultfd_pte_wp(vma, pte) & pte_dirty(pte) & (vma.VM_SHARED | !pte_special(pte) & folio.anon & folio.exclusive)',
    section: '§3.9.1 can_change_pte_writable (v6.1 mm/mprotect.c: needs pte_dirty for private too)',
    summary: 'As in 6.13+, but a private entry must also be dirty.',
  },
  {
    name: 'can_change_pmd_writable', kind: 'predicate', params: 'vma addr pmd @folio', since: '6.2',
    effect: 'vma.VM_WRITE & !pmd_protnone(pmd) & !pmd_needs_soft_dirty_wp(vma, pmd) & !userfaultfd_huge_pmd_wp(vma, pmd) & (vma.VM_SHARED ? pmd_dirty(pmd) : folio.anon & folio.exclusive)',
    section: '§3.9.1 can_change_pmd_writable (mm/huge_memory.c)',
    summary: 'The PMD version of can_change_pte_writable.',
  },

  // ---- NUMA hinting fault: is write given back? (SEMANTICS §3.7 H-NUMA-WRITE-RESTORE; docs/profiles.md 4a, 4b) ----
  // Not a kernel function: the decision do_numa_page makes, so that write-lost-numa reads the
  // mechanism of each version. Before 4.11 it needs pte_savedwrite, so the rule does not apply.
  {
    name: 'numa_fault_restores_write', kind: 'predicate', params: 'old:entry new:entry vma addr @folio', until: '6.2',
    effect: 'pte_savedwrite(old)',
    section: '§3.7 H-NUMA-WRITE-RESTORE (4.11–6.1 do_numa_page: pte_savedwrite(orig_pte))',
    summary: 'The NUMA hinting fault makes the restored entry writable when the hinting entry saved write (savedwrite).',
  },
  {
    name: 'numa_fault_restores_write', kind: 'predicate', params: 'old:entry new:entry vma addr @folio', since: '6.2',
    effect: 'can_change_pte_writable(vma, addr, new)',
    section: '§3.7 H-NUMA-WRITE-RESTORE (6.2+ do_numa_page: can_change_pte_writable)',
    summary: 'The NUMA hinting fault makes the restored entry writable when can_change_pte_writable() allows it.',
  },

  // ---- hugetlb's entry API: the PTE helpers under hugetlb's names (arch/hugetlb.ts) ----
  ...HUGETLB_HELPERS,
];
