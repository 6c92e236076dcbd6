// hugetlb's entry API (include/asm-generic/hugetlb.h, include/linux/hugetlb.h): hugetlb keeps
// its leaf entries as pte_t whatever the level they sit at, and the generic huge_* helpers are
// the PTE helpers of the architecture (`huge_pte_wrprotect(pte)` is `pte_wrprotect(pte)`,
// `set_huge_pte_at(…)` is `set_pte_at(…)`). Architectures that override one (arm64's contiguous
// entries) do per entry what the PTE helper does, so the rows call the profile's PTE helpers.
// Signatures changed over time; each row names the arguments of its versions.

import type { HelperDef } from '../helpers/types';

const GENERIC = 'include/asm-generic/hugetlb.h';
const SET_AT_TAKES_SIZE = '6.6'; // set_huge_pte_at(mm, addr, ptep, pte, sz)
const GET_TAKES_MM = '6.11'; // huge_ptep_get(mm, addr, ptep)
const GET_AND_CLEAR_TAKES_SIZE = '6.14'; // huge_ptep_get_and_clear(mm, addr, ptep, sz)
const MKWRITE_NOVMA = '6.6'; // huge_pte_mkwrite(pte) is pte_mkwrite_novma(pte)

/** A modifier or predicate of one entry that is the PTE helper of the same name. */
function same(kind: 'modifier' | 'predicate', name: string, pteHelper: string, extra: Partial<HelperDef> = {}): HelperDef {
  const params = extra.params ?? 'pte';
  const args = params.split(' ').map((p) => p.split(':')[0]).join(', ');
  return {
    name,
    kind,
    params,
    effect: kind === 'modifier' ? `call ${pteHelper}` : `${pteHelper}(${args})`,
    section: `§2.1 ${name} (${GENERIC}: ${pteHelper})`,
    summary: `hugetlb's ${pteHelper}.`,
    ...extra,
  };
}

export const HUGETLB_HELPERS: readonly HelperDef[] = [
  same('predicate', 'huge_pte_write', 'pte_write'),
  same('predicate', 'huge_pte_dirty', 'pte_dirty'),
  same('predicate', 'huge_pte_none', 'pte_none'),
  same('predicate', 'huge_pte_uffd_wp', 'pte_uffd_wp'),
  same('modifier', 'huge_pte_wrprotect', 'pte_wrprotect'),
  same('modifier', 'huge_pte_mkdirty', 'pte_mkdirty'),
  same('modifier', 'huge_pte_mkuffd_wp', 'pte_mkuffd_wp'),
  same('modifier', 'huge_pte_clear_uffd_wp', 'pte_clear_uffd_wp'),
  same('modifier', 'huge_pte_mkwrite', 'pte_mkwrite', { until: MKWRITE_NOVMA }),
  same('modifier', 'huge_pte_mkwrite', 'pte_mkwrite_novma', { since: MKWRITE_NOVMA }),
  { name: 'huge_pte_modify', kind: 'modifier', params: 'pte prot', effect: 'call pte_modify', section: `§2.1 huge_pte_modify (${GENERIC}: pte_modify)`, summary: "hugetlb's pte_modify." },
  // mm/hugetlb.c make_huge_pte(): the VMA's protection, made writable and dirty or write-protected,
  // then young. The VM_WRITE test is 6.19's (try_mkwrite); older callers passed a `writable` they
  // had computed from VM_WRITE themselves, so both read the same.
  { name: 'make_huge_pte', kind: 'constructor', params: 'vma page writable:bool', effect: 'copy vm_page_prot(vma); call huge_pte_mkdirty if writable & vma.VM_WRITE; call huge_pte_mkwrite if writable & vma.VM_WRITE; call huge_pte_wrprotect unless writable & vma.VM_WRITE; call pte_mkyoung', section: '§6 make_huge_pte (mm/hugetlb.c)', summary: 'Builds a hugetlb entry from the VMA\'s protection: writable and dirty when asked and VM_WRITE, else write-protected; young.' },
  // mm/hugetlb.c: what a hugetlb entry that is not present holds
  { name: 'is_hugetlb_entry_migration', kind: 'predicate', params: 'pte', effect: 'mig_r | mig_re | mig_w', section: '§2.4 is_hugetlb_entry_migration (mm/hugetlb.c)', summary: 'The hugetlb entry is a migration entry.' },
  { name: 'is_hugetlb_entry_hwpoisoned', kind: 'predicate', params: 'pte', effect: 'hwpoison', section: '§2.4 is_hugetlb_entry_hwpoisoned (mm/hugetlb.c)', summary: 'The hugetlb entry is a hwpoison entry.' },

  // ---- in place (SEMANTICS §2.3), as the PTE primitives they wrap ----
  { name: 'huge_ptep_get', kind: 'inplace', params: 'ptep', slot: 'ptep', effect: '', returns: 'old', install: 'read', until: GET_TAKES_MM, section: `§2.3 huge_ptep_get (${GENERIC}: ptep_get)`, summary: 'Reads the hugetlb slot.' },
  { name: 'huge_ptep_get', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: '', returns: 'old', install: 'read', since: GET_TAKES_MM, section: `§2.3 huge_ptep_get (${GENERIC}: ptep_get)`, summary: 'Reads the hugetlb slot.' },
  { name: 'set_huge_pte_at', kind: 'inplace', params: 'mm addr ptep pte', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'store', until: SET_AT_TAKES_SIZE, section: `§2.3 set_huge_pte_at (${GENERIC}: set_pte_at)`, summary: 'Stores the hugetlb entry (plain store).' },
  { name: 'set_huge_pte_at', kind: 'inplace', params: 'mm addr ptep pte sz', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'store', since: SET_AT_TAKES_SIZE, section: `§2.3 set_huge_pte_at (${GENERIC}: set_pte_at)`, summary: 'Stores the hugetlb entry (plain store).' },
  { name: 'huge_ptep_get_and_clear', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', until: GET_AND_CLEAR_TAKES_SIZE, section: `§2.3 huge_ptep_get_and_clear (${GENERIC}: ptep_get_and_clear)`, summary: 'Atomically clears the hugetlb slot and returns the old entry.' },
  { name: 'huge_ptep_get_and_clear', kind: 'inplace', params: 'mm addr ptep sz', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', since: GET_AND_CLEAR_TAKES_SIZE, section: `§2.3 huge_ptep_get_and_clear (${GENERIC}: ptep_get_and_clear)`, summary: 'Atomically clears the hugetlb slot and returns the old entry.' },
  { name: 'huge_pte_clear', kind: 'inplace', params: 'mm addr ptep sz', slot: 'ptep', effect: 'clear', returns: 'void', install: 'clear', section: `§2.3 huge_pte_clear (${GENERIC}: pte_clear)`, summary: 'Clears the hugetlb slot.' },
  { name: 'huge_ptep_clear_flush', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', events: [{ event: 'tlb-flush', scope: 'page', when: 'pte_accessible(vma, old)' }], section: `§2.3 huge_ptep_clear_flush (${GENERIC}: ptep_clear_flush)`, summary: 'Clears the hugetlb slot and flushes it from the TLB if the old entry was accessible.' },
  { name: 'huge_ptep_set_wrprotect', kind: 'inplace', params: 'mm addr ptep', slot: 'ptep', effect: 'call pte_wrprotect', returns: 'void', install: 'atomic-update', keeps: ['dirty'], section: `§2.3 huge_ptep_set_wrprotect (${GENERIC}: ptep_set_wrprotect)`, summary: 'Write-protects the live hugetlb entry with one atomic read-modify-write.' },
  { name: 'huge_ptep_set_access_flags', kind: 'inplace', params: 'vma addr ptep entry dirty', slot: 'ptep', effect: 'copy entry', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush', scope: 'page', when: '!same(old, entry)' }], section: `§2.3 huge_ptep_set_access_flags (${GENERIC}: ptep_set_access_flags)`, summary: 'If the entry differs, stores it; only for making the entry more permissive.' },
  { name: 'huge_ptep_modify_prot_start', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'clear', returns: 'old', install: 'clear', section: '§2.3 huge_ptep_modify_prot_start (include/linux/hugetlb.h: huge_ptep_get_and_clear)', summary: 'Starts a protection change of the hugetlb entry: clears the slot and returns the old entry.' },
  { name: 'huge_ptep_modify_prot_commit', kind: 'inplace', params: 'vma addr ptep old_pte pte', slot: 'ptep', effect: 'copy pte', returns: 'void', install: 'commit', section: '§2.3 huge_ptep_modify_prot_commit (include/linux/hugetlb.h: set_huge_pte_at)', summary: 'Ends a protection change of the hugetlb entry: stores the new entry.' },
];
