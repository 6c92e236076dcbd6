// Invariants the kernel keeps of entries in a user VMA's page tables that no hazard rule states:
// assumed of entries read from a table, as the rules marked assumedAtRead are (DESIGN.md "assume
// the invariants where entries come from"). Each says what never holds, in the rules' language
// and parameters (the entry, vma, @folio), and cites the code that keeps it so. `at` says where it
// is assumed: of every entry read, only of an entry the code asks vm_normal_page() about (one
// that ties every entry to VMA flags makes every path condition larger, for the few that need it),
// or only of an entry whose page frame the code found to be the zero page's (engine/pfns.ts).

import type { Level } from '../model/forms';
import type { ArchName } from '../model/profile';

export interface InvariantDef {
  readonly id: string;
  /** The kernel code that establishes it. */
  readonly source: string;
  readonly levels: readonly Level[];
  readonly archs?: readonly ArchName[];
  readonly at: 'read' | 'page-lookup' | 'zero-pfn';
  /** What no entry read from a table is, per level or one text with {l}. */
  readonly never: string;
}

export const READ_INVARIANTS: readonly InvariantDef[] = [
  {
    id: 'special-outside-pfnmap-is-zero-page',
    // vmf_insert_pfn*() and remap_pfn_range() map raw pfns only into VM_PFNMAP or VM_MIXEDMAP
    // VMAs (mm/memory.c: vm_mixed_ok(), the BUG_ONs of vmf_insert_pfn_prot()); elsewhere a
    // special entry maps the shared zero page (do_anonymous_page(), mfill_atomic_pte_zeropoint(),
    // set_huge_zero_folio(), KSM's zero pages), which is never mapped writable: a write fault
    // replaces it with a copy
    source: 'mm/memory.c vm_mixed_ok(), do_anonymous_page(); mm/huge_memory.c set_huge_zero_folio()',
    levels: ['pte'],
    at: 'page-lookup',
    never: '{l}_present(this) & {l}_special(this) & {l}_write(this) & !vma.VM_PFNMAP & !vma.VM_MIXEDMAP',
  },
  {
    id: 'hugetlb-never-swap-or-device',
    // hugetlb folios are not on the LRU and are never swapped out or made device-private or
    // device-exclusive: the non-present entries of a hugetlb VMA are migration and hwpoison
    // entries (is_hugetlb_entry_migration(), is_hugetlb_entry_hwpoisoned()) and markers
    source: 'mm/hugetlb.c is_hugetlb_entry_migration(), is_hugetlb_entry_hwpoisoned(), hugetlb_fault()',
    levels: ['pte'],
    at: 'read',
    never: 'vma.VM_HUGETLB & (this.swap | this.dev_r | this.dev_w | this.dev_x)',
  },
  {
    id: 'shadow-stack-never-rw',
    // x86 makes an entry of a shadow-stack VMA writable only as shadow stack (Write=0, Dirty=1):
    // pte_mkwrite()/pmd_mkwrite() call pte_mkwrite_shstk()/pmd_mkwrite_shstk() there, and the
    // VMA's vm_page_prot (a private mapping's) has no RW
    source: 'arch/x86/mm/pgtable.c pte_mkwrite(), pmd_mkwrite()',
    levels: ['pte', 'pmd'],
    archs: ['x86_64'],
    at: 'read',
    never: '{l}_present(this) & this.W & vma.VM_SHADOW_STACK',
  },
  {
    id: 'zero-page-never-writable-or-dirty',
    // the zero page is mapped from the VMA's protection and never made writable or dirty:
    // do_anonymous_page() and mfill_atomic_pte_zeropage() build pte_mkspecial(pfn_pte(zero pfn,
    // vm_page_prot)), set_huge_zero_folio() the huge one likewise; vm_mixed_ok() refuses the zero
    // pfn to a mkwrite insert; a write fault copies it (do_wp_page(), do_huge_zero_wp_pmd());
    // mprotect upgrades write only for an exclusive anonymous page or a dirty shared entry
    // (can_change_pte_writable(), can_change_pmd_writable()); so the hardware never dirties it,
    // as can_change_shared_pte_writable() asserts (VM_WARN_ON_ONCE of a dirty zero-pfn entry)
    source: 'mm/memory.c do_anonymous_page(), vm_mixed_ok(); mm/userfaultfd.c mfill_atomic_pte_zeropage(); mm/huge_memory.c set_huge_zero_folio(); mm/mprotect.c can_change_pte_writable(), can_change_shared_pte_writable()',
    levels: ['pte'],
    at: 'zero-pfn',
    never: '{l}_write(this) | {l}_dirty(this)',
  },
];
