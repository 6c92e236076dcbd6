// arm64 (SEMANTICS §1.3, §2.1–2.5). Bit names: WR=PTE_WRITE (=PTE_DBM),
// RO=PTE_RDONLY, DT=PTE_DIRTY (software), AF, U=PTE_USER, UXN, PXN,
// SP=PTE_SPECIAL, UW=PTE_UFFD_WP. No soft-dirty: arm64 does not select
// HAVE_ARCH_SOFT_DIRTY. PMD helpers are the PTE helpers through pmd_pte().

import type { ArchTable, HelperDef } from '../helpers/types';
import { SHARED_SOFTLEAF_BITS } from './common';

const VMA_MKWRITE = '6.6'; // pte_mkwrite(pte, vma) everywhere; pte_mkwrite_novma
const MKWRITE_KEEPS_CLEAN = '6.18'; // before: pte_mkwrite_novma always cleared PTE_RDONLY (docs/profiles.md)
const DEVMAP_REMOVED = '6.17';
const PTE_PMD = ['pte', 'pmd'] as const;
const LIVE = 'present | protnone | invalid';

/** pte_modify: hardware dirt into PTE_DIRTY, the protection's bits taken; from 6.7 a writable sw-dirty result is made hw-dirty again. */
function modifyEffect(reDirties: boolean): string {
  return [
    'DT := DT | (WR & !RO)',
    `let live := ${LIVE}`,
    'present := live & prot.present',
    'protnone := live & prot.protnone',
    'invalid := 0',
    'U := prot.U',
    'PXN := prot.PXN',
    'UXN := prot.UXN',
    'RO := prot.RO',
    'WR := prot.WR',
    ...(reDirties ? ['RO := RO & !(DT & WR)'] : []),
  ].join('; ');
}
const MODIFY_REDIRTIES = '6.7'; // "arm64: mm: Always make sw-dirty PTEs hw-dirty in pte_modify" (posted 2023-12-04 as a fix)

const helpers: HelperDef[] = [
  // ---- predicates (§1.3.2, §2.5) ----
  { name: '{l}_write', kind: 'predicate', params: '{l}', effect: 'WR', section: '§1.3.2 pte_write', summary: 'Writable: PTE_WRITE (DBM).' },
  { name: '{l}_dirty', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'DT | (WR & !RO)', section: '§1.3.2 pte_dirty', summary: 'Dirty: software PTE_DIRTY, or hardware-dirty (writable and not PTE_RDONLY).' },
  { name: '{l}_young', kind: 'predicate', params: '{l}', effect: 'AF', section: '§2.5 pte_young', summary: 'Access flag.' },
  { name: '{l}_special', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'SP', section: '§2.5 pte_special', summary: 'PTE_SPECIAL.' },
  { name: '{l}_uffd_wp', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'UW', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'false', section: '§2.5 pte_uffd_wp', summary: 'PTE_UFFD_WP.' },
  { name: '{l}_soft_dirty', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: '0', needs: 'MEM_SOFT_DIRTY', absent: 'false', section: '§1.3.1 no soft-dirty on arm64', summary: 'Always false: arm64 has no soft-dirty bit.' },
  { name: '{l}_present', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: LIVE, section: '§1.3.3 pte_present', summary: 'Valid, or present-invalid (PROT_NONE, NUMA hinting, invalidated PMD).' },
  { name: '{l}_protnone', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'protnone', needs: 'NUMA_BALANCING', absent: 'false', section: '§1.3.3 pte_protnone', summary: 'Present-invalid, not user, UXN: PROT_NONE / NUMA hinting.' },
  { name: '{l}_none', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'none', section: '§1.3.3 pte_none', summary: 'Value 0.' },
  { name: 'pmd_trans_huge', kind: 'predicate', params: 'pmd', effect: LIVE, needs: 'TRANSPARENT_HUGEPAGE', absent: 'false', section: '§2.5 pmd_trans_huge', summary: 'A present leaf (not a table).' },
  { name: 'pmd_leaf', kind: 'predicate', params: 'pmd', effect: LIVE, section: '§2.5 pmd_leaf', summary: 'A present leaf.' },
  { name: '{l}_devmap', levels: PTE_PMD, kind: 'predicate', params: '{l}', effect: 'DEVMAP', until: DEVMAP_REMOVED, section: '§2.1 pte_devmap (v6.13)', summary: 'PTE_DEVMAP.' },
  { name: '{l}_same', levels: PTE_PMD, kind: 'predicate', params: 'a b', effect: 'same(a, b)', section: '§2.5 pte_same', summary: 'Full-value equality.' },
  { name: 'pte_accessible', kind: 'predicate', params: 'mm pte', effect: `present | (mm.tlb_flush_pending & (${LIVE}))`, section: '§2.5 pte_accessible', summary: 'Valid, or present while a flush is pending.' },
  { name: '{l}_tlb_downgrade', kind: 'predicate', params: 'old:entry new:entry', effect: 'old.present & (!new.present | (old.WR & !new.WR) | (!old.RO & new.RO) | (old.U & !new.U) | (!old.UXN & new.UXN))', section: '§5.1 model: what a stale TLB entry of old still allows', summary: 'A TLB entry cached for old allows more than new: valid, writable (WRITE or not RDONLY), user or executable lost. An upgrade needs no flush.' },
  { name: 'pte_needs_flush', kind: 'predicate', params: 'oldpte newpte', effect: 'oldpte.present & (!newpte.present | (oldpte.RO ^ newpte.RO) | (oldpte.WR ^ newpte.WR) | (oldpte.AF ^ newpte.AF) | (oldpte.U ^ newpte.U) | (oldpte.UXN ^ newpte.UXN) | (oldpte.PXN ^ newpte.PXN))', section: '§5.1 pte_needs_flush (arch/arm64/include/asm/tlbflush.h)', summary: 'Any change of a hardware bit of a valid entry needs a flush.' },
  { name: 'huge_pmd_needs_flush', kind: 'predicate', params: 'oldpmd:entry newpmd:entry', effect: 'oldpmd.present & (!newpmd.present | (oldpmd.RO ^ newpmd.RO) | (oldpmd.WR ^ newpmd.WR) | (oldpmd.AF ^ newpmd.AF) | (oldpmd.U ^ newpmd.U) | (oldpmd.UXN ^ newpmd.UXN) | (oldpmd.PXN ^ newpmd.PXN))', section: '§5.1 huge_pmd_needs_flush', summary: 'As pte_needs_flush for huge PMDs.' },
  { name: 'pud_present', kind: 'predicate', params: 'pud', effect: 'present', section: '§1.5 pud_present', summary: 'Valid.' },
  { name: 'pud_none', kind: 'predicate', params: 'pud', effect: 'none', section: '§1.5 pud_none', summary: 'Value 0.' },

  // ---- pure modifiers (§2.1, §2.2) ----
  { name: '{l}_mkwrite_novma', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'WR := 1; RO := RO & !DT', since: MKWRITE_KEEPS_CLEAN, section: '§2.1 pte_mkwrite_novma', summary: 'Sets PTE_WRITE; clears PTE_RDONLY only if already dirty (never invents dirt).' },
  { name: '{l}_mkwrite_novma', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'WR := 1; RO := 0', since: VMA_MKWRITE, until: MKWRITE_KEEPS_CLEAN, section: '§2.1 pte_mkwrite_novma before 6.18 (docs/profiles.md)', summary: 'Sets PTE_WRITE and clears PTE_RDONLY: the entry reads hardware-dirty.' },
  { name: '{l}_mkwrite', levels: PTE_PMD, kind: 'modifier', params: '{l} vma', effect: 'call {l}_mkwrite_novma', since: VMA_MKWRITE, section: '§2.1 pte_mkwrite (generic wrapper: VMA ignored)', summary: 'pte_mkwrite_novma: the VMA is ignored on arm64.' },
  { name: '{l}_mkwrite', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'WR := 1; RO := 0', until: VMA_MKWRITE, section: '§2.6 pte_mkwrite(pte) before 6.6', summary: 'Sets PTE_WRITE and clears PTE_RDONLY.' },
  { name: '{l}_wrprotect', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'DT := DT | (WR & !RO); WR := 0; RO := 1', keeps: ['dirty'], section: '§2.1 pte_wrprotect', summary: 'Moves hardware dirt into PTE_DIRTY, clears PTE_WRITE, sets PTE_RDONLY.' },
  { name: '{l}_mkdirty', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'DT := 1; RO := RO & !WR', keeps: ['not-write'], section: '§2.1 pte_mkdirty', summary: 'Sets PTE_DIRTY; clears PTE_RDONLY only if writable. Never grants write.' },
  { name: '{l}_mkclean', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'DT := 0; RO := 1', section: '§2.1 pte_mkclean', summary: 'Clears PTE_DIRTY and sets PTE_RDONLY (a writable entry becomes writable-clean).' },
  { name: '{l}_mkyoung', kind: 'modifier', params: '{l}', effect: 'AF := 1', section: '§2.1 pte_mkyoung', summary: 'Sets AF.' },
  { name: '{l}_mkold', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'AF := 0', section: '§2.1 pte_mkold', summary: 'Clears AF.' },
  { name: '{l}_mkuffd_wp', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'UW := 1; call {l}_wrprotect', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', keeps: ['dirty'], section: '§2.1 pte_mkuffd_wp', summary: 'Sets PTE_UFFD_WP and write-protects.' },
  { name: '{l}_clear_uffd_wp', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'UW := 0', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§2.1 pte_clear_uffd_wp', summary: 'Clears PTE_UFFD_WP.' },
  { name: '{l}_mksoft_dirty', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: '', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§1.3.1 generic stub', summary: 'Identity: no soft-dirty on arm64.' },
  { name: '{l}_clear_soft_dirty', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: '', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§1.3.1 generic stub', summary: 'Identity: no soft-dirty on arm64.' },
  { name: 'pte_mkspecial', kind: 'modifier', params: 'pte', effect: 'SP := 1', section: '§2.1 pte_mkspecial', summary: 'Sets PTE_SPECIAL.' },
  { name: 'pmd_mkspecial', kind: 'modifier', params: 'pmd', effect: 'SP := 1', needs: 'ARCH_SUPPORTS_PMD_PFNMAP', absent: 'undefined', section: '§2.2 pmd_mkspecial', summary: 'Sets PTE_SPECIAL.' },
  { name: '{l}_mkhuge', levels: ['pmd', 'pud'], kind: 'modifier', params: '{l}', effect: '', section: '§2.2 pmd_mkhuge', summary: 'Makes it a section (block) entry; PTE_VALID untouched, so a present-invalid PMD stays present-invalid.' },
  { name: '{l}_mkinvalid', levels: PTE_PMD, kind: 'modifier', params: '{l}', effect: 'invalid := present | invalid; present := 0', section: '§2.1 pte_mkinvalid / §2.2 pmd_mkinvalid', summary: 'PTE_PRESENT_INVALID:=1, PTE_VALID:=0; U/UXN kept, so a PROT_NONE entry stays protnone.', aliases: [{ name: 'pmd_mknotpresent', until: '5.8' }] },
  { name: 'pte_mkdevmap', kind: 'modifier', params: 'pte', effect: 'SP := 1; DEVMAP := 1', until: DEVMAP_REMOVED, section: '§2.1 pte_mkdevmap (v6.13)', summary: 'Sets PTE_DEVMAP and PTE_SPECIAL.' },
  { name: 'pmd_mkdevmap', kind: 'modifier', params: 'pmd', effect: 'DEVMAP := 1', until: DEVMAP_REMOVED, section: '§2.2 pmd_mkdevmap (v6.13)', summary: 'Sets PTE_DEVMAP.' },
  { name: '{l}_modify', levels: PTE_PMD, kind: 'modifier', params: '{l} prot', effect: modifyEffect(true), since: MODIFY_REDIRTIES, keeps: ['dirty', 'uffd_wp'], section: '§2.1 pte_modify (arm64)', summary: 'Moves hardware dirt into PTE_DIRTY, takes U/PXN/UXN/RDONLY/VALID/WRITE from prot, then re-dirties (clears RDONLY when writable and dirty).' },
  { name: '{l}_modify', levels: PTE_PMD, kind: 'modifier', params: '{l} prot', effect: modifyEffect(false), until: MODIFY_REDIRTIES, keeps: ['dirty', 'uffd_wp'], section: '§2.1 pte_modify (arm64, before 6.7)', summary: 'Moves hardware dirt into PTE_DIRTY and takes U/PXN/UXN/RDONLY/VALID/WRITE from prot: a writable dirty entry may come back sw-dirty with RDONLY set.' },

  // ---- protections (§4.2) ----
  { name: 'vm_get_page_prot', kind: 'constructor', builds: 'prot', params: 'vm_flags', effect: 'let any := vm_flags.VM_READ | vm_flags.VM_WRITE | vm_flags.VM_EXEC; form present; present := any; protnone := !any; WR := vm_flags.VM_WRITE & vm_flags.VM_SHARED; RO := 1; U := any; UXN := !vm_flags.VM_EXEC; PXN := 1; AF := 1', section: '§4.2 vm_get_page_prot (arch/arm64/mm/mmap.c)', summary: 'Private writable → PAGE_READONLY (no WRITE); shared writable → PAGE_SHARED (WRITE|RDONLY: writable-clean).' },
  { name: 'vm_page_prot', kind: 'constructor', builds: 'prot', params: 'vma', effect: 'let any := vma.VM_READ | vma.VM_WRITE | vma.VM_EXEC; form present; present := any; protnone := !any; WR := vma.VM_WRITE & vma.VM_SHARED & !vma.writenotify; RO := 1; U := any; UXN := !vma.VM_EXEC; PXN := 1; AF := 1', section: '§4.2 vma->vm_page_prot', summary: 'The VMA\'s protection: writable-clean only for shared writable VMAs without write notification.' },
  { name: 'PAGE_NONE', kind: 'constructor', builds: 'prot', params: '', effect: 'form protnone; RO := 1; UXN := 1; PXN := 1; AF := 1', section: '§1.3.3 PAGE_NONE', summary: 'Present-invalid, RDONLY, PXN, UXN.' },
  { name: 'PAGE_READONLY', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; RO := 1; U := 1; UXN := 1; PXN := 1; AF := 1', section: '§4.2 PAGE_READONLY', summary: 'Valid, user, RDONLY.', aliases: [{ name: 'PAGE_COPY' }] },
  { name: 'PAGE_SHARED', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; WR := 1; RO := 1; U := 1; UXN := 1; PXN := 1; AF := 1', section: '§4.2 PAGE_SHARED', summary: 'Valid, user, WRITE|RDONLY (writable-clean).' },

  // ---- in-place overrides (§2.3) ----
  { name: 'ptep_set_access_flags', kind: 'inplace', params: 'vma addr ptep entry dirty', slot: 'ptep', effect: 'AF := AF | entry.AF; WR := WR | entry.WR; DT := DT | entry.DT; RO := RO & entry.RO', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush-local', scope: 'page', when: 'dirty & !same(old, entry)' }], section: '§2.3 __ptep_set_access_flags (arch/arm64/mm/fault.c)', summary: 'Merges AF/WRITE/DIRTY (OR) and RDONLY (AND) into the live entry: only ever more permissive; local flush if `dirty`.' },
  { name: 'flush_tlb_fix_spurious_fault', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: '', returns: 'void', install: 'read', events: [{ event: 'tlb-flush-local', scope: 'page' }], section: '§2.3 flush_tlb_fix_spurious_fault (arm64: local invalidate)', summary: 'Invalidates the page in the local TLB.' },
  { name: 'pmdp_set_access_flags', kind: 'inplace', params: 'vma addr pmdp entry dirty', slot: 'pmdp', effect: 'AF := AF | entry.AF; WR := WR | entry.WR; DT := DT | entry.DT; RO := RO & entry.RO', returns: '!same(old, entry)', install: 'access-flags', events: [{ event: 'tlb-flush-local', scope: 'pmd', when: 'dirty & !same(old, entry)' }], section: '§2.3 pmdp_set_access_flags (arm64)', summary: 'As ptep_set_access_flags on the PMD.' },
];

export const ARM64: ArchTable = {
  arch: 'arm64',
  source: 'arch/arm64/include/asm/pgtable.h, pgtable-prot.h, arch/arm64/mm/fault.c (v6.19.9)',
  bits: [
    { name: 'WR', meaning: 'PTE_WRITE = PTE_DBM: software writable, hardware dirty-bit management' },
    { name: 'RO', meaning: 'PTE_RDONLY (AP[2]): hardware read-only' },
    { name: 'DT', meaning: 'PTE_DIRTY: software dirty' },
    { name: 'UW', meaning: 'PTE_UFFD_WP', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'AF', meaning: 'PTE_AF: access flag' },
    { name: 'U', meaning: 'PTE_USER' },
    { name: 'UXN', meaning: 'PTE_UXN' },
    { name: 'PXN', meaning: 'PTE_PXN' },
    { name: 'SP', meaning: 'PTE_SPECIAL' },
    { name: 'DEVMAP', meaning: 'PTE_DEVMAP', until: DEVMAP_REMOVED },
  ],
  softleafBits: [
    { name: 'swp_uw', meaning: 'PTE_SWP_UFFD_WP (bit 3)', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'swp_x', meaning: 'PTE_SWP_EXCLUSIVE (bit 2)', since: '5.19' },
    ...SHARED_SOFTLEAF_BITS,
  ],
  helpers,
  notApplicable: [
    { name: '{l}_shstk', reason: 'arm64 has no W=0/D=1 shadow-stack encoding (GCS uses permission indirection)' },
    { name: '{l}_mkwrite_shstk', reason: 'x86 only' },
    { name: '{l}_mksaveddirty', reason: 'x86 only (SavedDirty)' },
    { name: '{l}_clear_saveddirty', reason: 'x86 only (SavedDirty)' },
    { name: 'pte_mkhuge', reason: 'not defined for arm64 PTEs (hugetlb uses arch_make_huge_pte)' },
    { name: 'pte_clrhuge', reason: 'not defined for arm64 PTEs' },
    { name: 'pte_huge', reason: 'not defined for arm64 PTEs' },
    { name: 'pte_mkexec', reason: 'not defined on arm64' },
    { name: 'pte_exec', reason: 'not modelled on arm64 (UXN/PXN)' },
    { name: 'pte_exprotect', reason: 'not defined on arm64' },
    { name: '{l}_swp_mksoft_dirty', reason: 'arm64 has no swap soft-dirty bit (generic stub)' },
    { name: 'pud_*', reason: 'arm64 does not select HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: only pud_young, pud_mkyoung, pud_write, pud_mkhuge exist (SEMANTICS §1.5)' },
    { name: 'pudp_*', reason: 'no huge PUDs on arm64' },
    { name: 'set_pud_at', reason: 'no huge PUDs on arm64' },
    { name: 'pfn_pud', reason: 'no huge PUDs on arm64' },
  ],
};
