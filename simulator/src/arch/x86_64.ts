// x86-64 (SEMANTICS §1.2, §2.1–2.3, §2.5, §2.6). Bit names: W=_PAGE_RW,
// D=_PAGE_DIRTY, SD=_PAGE_SAVED_DIRTY (6.6+), SFD=_PAGE_SOFT_DIRTY,
// UW=_PAGE_UFFD_WP, A, U, PSE, SP=_PAGE_SPECIAL, NX, DEVMAP (_PAGE_SOFTW4, gone in 6.17).

import type { ArchTable, HelperDef } from '../helpers/types';
import { SHARED_SOFTLEAF_BITS } from './common';

const SHSTK = '6.6'; // x86 user shadow stacks, _PAGE_SAVED_DIRTY, pte_mkwrite(pte, vma)
const UFFD_WP_WRPROTECTS = '6.3'; // "mm/uffd: Always wr-protect pte in pte|pmd_mkuffd_wp()"
const PMD_MODIFY_KEEPS_DIRTY_AGAIN = '7.3'; // x86/mm: Fix user-space data loss with MADV_FREE and THP
const DEVMAP_REMOVED = '6.17';

const LIVE = 'present | protnone | invalid';

/** pte_modify / pmd_modify / pud_modify: keep _PAGE_CHG_MASK, take the rest from prot, then the SavedDirty shift by the old W. */
function modifyEffect(dropsHardwareDirty: boolean, savedDirty: boolean): string {
  return [
    `let live := ${LIVE}`,
    'let oldw := W',
    'present := live & prot.present',
    'protnone := live & prot.protnone',
    'invalid := 0',
    'W := prot.W',
    'U := prot.U',
    'NX := prot.NX',
    ...(dropsHardwareDirty ? ['D := 0'] : []),
    ...(savedDirty ? ['let d := D', 'let sd := SD', 'D := oldw ? d & W : d | (sd & W)', 'SD := oldw ? sd | (d & !W) : sd & !W'] : []),
  ].join('; ');
}

const helpers: HelperDef[] = [
  // ---- predicates (§1.2.2, §2.5) ----
  { name: 'pte_shstk', kind: 'predicate', params: 'pte', effect: 'cfg.X86_FEATURE_SHSTK & !W & D', since: SHSTK, section: '§1.2.2 pte_shstk', summary: 'A shadow-stack entry: W=0 and D=1 on a CPU with shadow stacks (looks at W and D only).' },
  { name: '{l}_shstk', levels: ['pmd', 'pud'], kind: 'predicate', params: '{l}', effect: 'cfg.X86_FEATURE_SHSTK & !W & D & PSE', since: SHSTK, section: '§1.2.2 pmd_shstk/pud_shstk', summary: 'A shadow-stack huge entry: W=0, D=1 and PSE=1.' },
  { name: '{l}_write', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'W | {l}_shstk(this)', since: SHSTK, section: '§1.2.2 pte_write/pmd_write', summary: 'Writable: W=1, or a shadow-stack entry (W=0 D=1).' },
  { name: '{l}_write', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'W', until: SHSTK, section: '§2.6 pte_write before 6.6', summary: 'Writable: W=1.' },
  { name: 'pud_write', kind: 'predicate', params: 'pud', effect: 'W', section: '§1.2.2 pud_write', summary: 'Writable: W=1 only (ignores shadow stack).' },
  { name: '{l}_dirty', kind: 'predicate', params: '{l}', effect: 'D | SD', since: SHSTK, section: '§1.2.2 pte_dirty', summary: 'Dirty: hardware D or SavedDirty.' },
  { name: '{l}_dirty', kind: 'predicate', params: '{l}', effect: 'D', until: SHSTK, section: '§2.6 pte_dirty before 6.6', summary: 'Dirty: hardware D.' },
  { name: '{l}_young', kind: 'predicate', params: '{l}', effect: 'A', section: '§1.2.2 pte_young', summary: 'Accessed bit.' },
  { name: '{l}_special', kind: 'predicate', params: '{l}', effect: 'SP', section: '§1.2.2 pte_special', summary: '_PAGE_SPECIAL.' },
  { name: '{l}_uffd_wp', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'UW', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'false', section: '§1.2.2 pte_uffd_wp', summary: 'uffd-wp bit.' },
  { name: '{l}_soft_dirty', kind: 'predicate', params: '{l}', effect: 'SFD', needs: 'MEM_SOFT_DIRTY', absent: 'false', section: '§1.2.2 pte_soft_dirty', summary: 'Soft-dirty bit.' },
  { name: 'pte_present', kind: 'predicate', params: 'pte', effect: 'present | protnone', section: '§1.2.2 pte_present', summary: 'P or PROTNONE.' },
  { name: 'pmd_present', kind: 'predicate', params: 'pmd', effect: LIVE, section: '§1.2.2 pmd_present', summary: 'P, PROTNONE or PSE (an invalidated huge PMD stays present).' },
  { name: 'pud_present', kind: 'predicate', params: 'pud', effect: 'present', section: '§1.2.2 pud_present', summary: 'P only.' },
  { name: '{l}_protnone', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'protnone', needs: 'NUMA_BALANCING', absent: 'false', section: '§1.2.2 pte_protnone', summary: 'PROTNONE and not P (a NUMA-hinting or PROT_NONE entry).' },
  { name: '{l}_none', kind: 'predicate', params: '{l}', effect: 'none', section: '§1.2.2 pte_none', summary: 'Empty (stray A/D ignored).' },
  { name: 'pte_huge', kind: 'predicate', params: 'pte', effect: 'PSE', section: '§1.2.2 pte_huge', summary: 'PSE.' },
  { name: 'pte_exec', kind: 'predicate', params: 'pte', effect: '!NX', section: '§1.2.2 pte_exec', summary: 'Not NX.' },
  { name: '{l}_leaf', levels: ['pmd', 'pud'], kind: 'predicate', params: '{l}', effect: 'PSE', section: '§1.2.2 pmd_leaf', summary: 'PSE.' },
  { name: 'pmd_trans_huge', kind: 'predicate', params: 'pmd', effect: 'PSE', since: DEVMAP_REMOVED, needs: 'TRANSPARENT_HUGEPAGE', absent: 'false', section: '§1.2.2 pmd_trans_huge', summary: 'PSE.' },
  { name: 'pmd_trans_huge', kind: 'predicate', params: 'pmd', effect: 'PSE & !DEVMAP', until: DEVMAP_REMOVED, needs: 'TRANSPARENT_HUGEPAGE', absent: 'false', section: '§1.2.2 pmd_trans_huge (6.13: not devmap)', summary: 'PSE and not DEVMAP.' },
  { name: '{l}_devmap', kind: 'predicate', params: '{l}', effect: 'DEVMAP', until: DEVMAP_REMOVED, section: '§2.1 pte_devmap (removed 6.17)', summary: '_PAGE_DEVMAP.' },
  { name: '{l}_same', kind: 'predicate', params: 'a b', effect: 'same(a, b)', section: '§1.2.2 pte_same', summary: 'Full-value equality: any difference in A, D, SD, SFD, UW makes entries differ.' },
  { name: 'pte_accessible', kind: 'predicate', params: 'mm pte', effect: 'present | (protnone & mm.tlb_flush_pending)', section: '§1.2.2 pte_accessible', summary: 'A CPU may still hold it in the TLB: P, or PROTNONE while a flush is pending.' },
  { name: '{l}_tlb_downgrade', kind: 'predicate', params: 'old:entry new:entry', effect: 'old.present & (!new.present | (old.W & !new.W) | (old.U & !new.U) | (!old.NX & new.NX) | ({l}_write(old) & old.D & !new.D))', section: '§5.1 model: what a stale TLB entry of old still allows', summary: 'A TLB entry cached for old allows more than new: present, writable, user or executable lost, or Dirty cleared on a writable entry (a CPU holding it writes without setting D; one that cannot write through it records nothing). An upgrade needs no flush.' },
  { name: 'pte_needs_flush', kind: 'predicate', params: 'oldpte newpte', effect: 'oldpte.present & (!newpte.present | (oldpte.D & !newpte.D) | (oldpte.W ^ newpte.W) | (oldpte.U ^ newpte.U) | (oldpte.NX ^ newpte.NX) | (oldpte.PSE ^ newpte.PSE))', section: '§5.1 pte_needs_flush (arch/x86/include/asm/tlbflush.h)', summary: 'Changing old to new needs a TLB flush: P or D cleared, or RW/USER/NX/PSE changed.' },
  { name: 'huge_pmd_needs_flush', kind: 'predicate', params: 'oldpmd:entry newpmd:entry', effect: '(oldpmd.present | oldpmd.invalid) & (!newpmd.present | (oldpmd.D & !newpmd.D) | (oldpmd.A & !newpmd.A) | (oldpmd.W ^ newpmd.W) | (oldpmd.U ^ newpmd.U) | (oldpmd.NX ^ newpmd.NX))', section: '§5.1 huge_pmd_needs_flush', summary: 'As pte_needs_flush for huge PMDs (A counts too).' },

  // ---- pure modifiers (§2.1, §2.2) ----
  { name: '{l}_mksaveddirty', kind: 'modifier', params: '{l}', effect: 'SD := SD | (D & !W); D := D & W', since: SHSTK, section: '§2.1 pte_mksaveddirty', summary: 'On a read-only entry, moves D into SavedDirty.' },
  { name: '{l}_clear_saveddirty', kind: 'modifier', params: '{l}', effect: 'D := D | (SD & W); SD := SD & !W', since: SHSTK, section: '§2.1 pte_clear_saveddirty', summary: 'On a writable entry, moves SavedDirty back into D.' },
  { name: '{l}_wrprotect', kind: 'modifier', params: '{l}', effect: 'W := 0; call {l}_mksaveddirty', since: SHSTK, keeps: ['dirty'], section: '§2.1 pte_wrprotect', summary: 'Clears W, then moves D into SavedDirty so no W=0/D=1 (shadow-stack look-alike) remains.' },
  { name: '{l}_wrprotect', kind: 'modifier', params: '{l}', effect: 'W := 0', until: SHSTK, keeps: ['dirty'], section: '§2.6 pte_wrprotect before 6.6', summary: 'Clears W.' },
  { name: '{l}_mkdirty', kind: 'modifier', params: '{l}', effect: 'D := 1; SFD := 1; call {l}_mksaveddirty', since: SHSTK, keeps: ['not-write'], section: '§2.1 pte_mkdirty', summary: 'Sets D and soft-dirty; on a read-only entry the dirt goes to SavedDirty. Never grants write.' },
  { name: '{l}_mkdirty', kind: 'modifier', params: '{l}', effect: 'D := 1; SFD := 1', until: SHSTK, keeps: ['not-write'], section: '§2.6 pte_mkdirty before 6.6', summary: 'Sets D and soft-dirty.' },
  { name: '{l}_mkclean', kind: 'modifier', params: '{l}', effect: 'D := 0; SD := 0', section: '§2.1 pte_mkclean', summary: 'Clears D and SavedDirty.' },
  { name: '{l}_mkyoung', kind: 'modifier', params: '{l}', effect: 'A := 1', section: '§2.1 pte_mkyoung', summary: 'Sets A.' },
  { name: '{l}_mkold', kind: 'modifier', params: '{l}', effect: 'A := 0', section: '§2.1 pte_mkold', summary: 'Clears A.' },
  { name: '{l}_mkwrite_novma', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'W := 1', since: SHSTK, section: '§2.1 pte_mkwrite_novma', summary: 'Sets W (no SavedDirty→D move).' },
  { name: '{l}_mkwrite_shstk', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'W := 0; D := 1', since: SHSTK, section: '§2.1 pte_mkwrite_shstk', summary: 'Makes a shadow-stack entry: W=0, D=1 (SavedDirty and soft-dirty untouched).' },
  { name: '{l}_mkwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l} vma', effect: 'call {l}_mkwrite_shstk if vma.VM_SHADOW_STACK; call {l}_mkwrite_novma unless vma.VM_SHADOW_STACK; call {l}_clear_saveddirty unless vma.VM_SHADOW_STACK', since: SHSTK, section: '§2.1 pte_mkwrite (arch/x86/mm/pgtable.c)', summary: 'In a shadow-stack VMA makes a shadow-stack entry (W=0 D=1); otherwise sets W and moves SavedDirty back into D.' },
  { name: '{l}_mkwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'W := 1', until: SHSTK, section: '§2.6 pte_mkwrite(pte) before 6.6', summary: 'Sets W.' },
  { name: 'pud_mkwrite', kind: 'modifier', params: 'pud', effect: 'W := 1; call pud_clear_saveddirty', since: SHSTK, section: '§2.2 pud_mkwrite', summary: 'Sets W and moves SavedDirty back into D; never a shadow-stack entry.' },
  { name: 'pud_mkwrite', kind: 'modifier', params: 'pud', effect: 'W := 1', until: SHSTK, section: '§2.2 pud_mkwrite before 6.6', summary: 'Sets W.' },
  { name: '{l}_mkuffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'UW := 1; call {l}_wrprotect', since: UFFD_WP_WRPROTECTS, needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', keeps: ['dirty'], section: '§2.1 pte_mkuffd_wp', summary: 'Sets uffd-wp and write-protects.' },
  { name: '{l}_mkuffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'UW := 1', until: UFFD_WP_WRPROTECTS, needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§2.6 pte_mkuffd_wp before 6.3', summary: 'Sets uffd-wp only: the caller must write-protect.' },
  { name: '{l}_clear_uffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'UW := 0', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§2.1 pte_clear_uffd_wp', summary: 'Clears uffd-wp (W is not restored).' },
  { name: '{l}_mksoft_dirty', kind: 'modifier', params: '{l}', effect: 'SFD := 1', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§2.1 pte_mksoft_dirty', summary: 'Sets soft-dirty.' },
  { name: '{l}_clear_soft_dirty', kind: 'modifier', params: '{l}', effect: 'SFD := 0', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§2.1 pte_clear_soft_dirty', summary: 'Clears soft-dirty.' },
  { name: 'pte_mkspecial', kind: 'modifier', params: 'pte', effect: 'SP := 1', section: '§2.1 pte_mkspecial', summary: 'Sets _PAGE_SPECIAL.' },
  { name: 'pmd_mkspecial', kind: 'modifier', params: 'pmd', effect: 'SP := 1', needs: 'ARCH_SUPPORTS_PMD_PFNMAP', absent: 'undefined', section: '§2.2 pmd_mkspecial', summary: 'Sets _PAGE_SPECIAL.' },
  { name: 'pud_mkspecial', kind: 'modifier', params: 'pud', effect: 'SP := 1', needs: 'ARCH_SUPPORTS_PUD_PFNMAP', absent: 'undefined', section: '§2.2 pud_mkspecial', summary: 'Sets _PAGE_SPECIAL.' },
  { name: '{l}_mkhuge', kind: 'modifier', params: '{l}', effect: 'PSE := 1', section: '§2.1 pte_mkhuge / §2.2 pmd_mkhuge', summary: 'Sets PSE.' },
  { name: 'pte_clrhuge', kind: 'modifier', params: 'pte', effect: 'PSE := 0', section: '§2.1 pte_clrhuge', summary: 'Clears PSE.' },
  { name: 'pte_mkexec', kind: 'modifier', params: 'pte', effect: 'NX := 0', section: '§2.1 pte_mkexec', summary: 'Clears NX.' },
  { name: 'pte_mkdevmap', kind: 'modifier', params: 'pte', effect: 'SP := 1; DEVMAP := 1', until: DEVMAP_REMOVED, section: '§2.1 pte_mkdevmap (v6.13)', summary: 'Sets _PAGE_SPECIAL and _PAGE_DEVMAP.' },
  { name: '{l}_mkdevmap', levels: ['pmd', 'pud'], kind: 'modifier', params: '{l}', effect: 'DEVMAP := 1', until: DEVMAP_REMOVED, section: '§2.2 pmd_mkdevmap (v6.13)', summary: 'Sets _PAGE_DEVMAP.' },
  { name: 'pte_modify', kind: 'modifier', params: 'pte prot', effect: modifyEffect(false, true), since: SHSTK, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§2.1 pte_modify', summary: 'Keeps A, dirtiness, soft-dirty, uffd-wp, special; takes present/W/U/NX from prot; then moves D→SD if the old entry was writable, else SD→D.' },
  { name: 'pte_modify', kind: 'modifier', params: 'pte prot', effect: modifyEffect(false, false), until: SHSTK, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§2.6 pte_modify before 6.6', summary: 'Keeps A, D, soft-dirty, uffd-wp, special; takes present/W/U/NX from prot.' },
  { name: 'pmd_modify', kind: 'modifier', params: 'pmd prot', effect: modifyEffect(true, true), since: SHSTK, until: PMD_MODIFY_KEEPS_DIRTY_AGAIN, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§2.2 pmd_modify (6.6–7.2: _HPAGE_CHG_MASK & ~_PAGE_DIRTY)', summary: 'Like pte_modify but hardware D is masked out before the SavedDirty shift: a writable dirty PMD loses its dirtiness (H-MODIFY-KEEPS-DIRTY).' },
  { name: 'pmd_modify', kind: 'modifier', params: 'pmd prot', effect: modifyEffect(false, true), since: PMD_MODIFY_KEEPS_DIRTY_AGAIN, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§2.6 pmd_modify after the MADV_FREE data-loss fix', summary: 'Like pte_modify (hardware D kept).' },
  { name: 'pmd_modify', kind: 'modifier', params: 'pmd prot', effect: modifyEffect(false, false), until: SHSTK, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§2.6 pmd_modify before 6.6', summary: 'Keeps A, D, soft-dirty, uffd-wp; takes present/W/U/NX from prot.' },
  { name: 'pud_modify', kind: 'modifier', params: 'pud prot', effect: modifyEffect(false, true), since: SHSTK, keeps: ['dirty', 'softdirty'], section: '§2.2 pud_modify', summary: 'Like pte_modify with the huge mask (hardware D kept).' },
  { name: 'pud_modify', kind: 'modifier', params: 'pud prot', effect: modifyEffect(false, false), until: SHSTK, keeps: ['dirty', 'softdirty'], section: '§2.2 pud_modify', summary: 'Keeps A, D, soft-dirty; takes present/W/U/NX from prot.' },
  { name: '{l}_mkinvalid', levels: ['pmd', 'pud'], kind: 'modifier', params: '{l}', effect: `let live := ${LIVE}; invalid := live; present := 0; protnone := 0`, section: '§2.2 pmd_mkinvalid', summary: 'P:=0 and PROTNONE:=0, all else kept: PSE keeps a PMD pmd_present and pmd_trans_huge.', aliases: [{ name: 'pmd_mknotpresent', until: '5.8' }] },

  // ---- protections (§4.2) ----
  { name: 'vm_get_page_prot', kind: 'constructor', builds: 'prot', params: 'vm_flags', effect: 'let any := vm_flags.VM_READ | vm_flags.VM_WRITE | vm_flags.VM_EXEC; form present; present := any; protnone := !any; W := vm_flags.VM_WRITE & vm_flags.VM_SHARED; U := any; A := 1; NX := !vm_flags.VM_EXEC', section: '§4.2 vm_get_page_prot (arch/x86/mm/pgprot.c protection_map)', summary: 'protection_map: private writable → PAGE_COPY (no W); shared writable → PAGE_SHARED (W); none → PAGE_NONE (protnone).' },
  { name: 'vm_page_prot', kind: 'constructor', builds: 'prot', params: 'vma', effect: 'let any := vma.VM_READ | vma.VM_WRITE | vma.VM_EXEC; form present; present := any; protnone := !any; W := vma.VM_WRITE & vma.VM_SHARED & !vma.writenotify; U := any; A := 1; NX := !vma.VM_EXEC', section: '§4.2 vma->vm_page_prot (vma_set_page_prot)', summary: 'The VMA\'s protection: writable only for shared writable VMAs that do not want write notification.' },
  { name: 'PAGE_NONE', kind: 'constructor', builds: 'prot', params: '', effect: 'form protnone; A := 1', section: '§4.2 PAGE_NONE', summary: 'A | PROTNONE.' },
  { name: 'PAGE_READONLY', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; U := 1; A := 1; NX := 1', section: '§4.2 PAGE_READONLY', summary: 'P U A NX.', aliases: [{ name: 'PAGE_COPY' }] },
  { name: 'PAGE_SHARED', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; W := 1; U := 1; A := 1; NX := 1', section: '§4.2 PAGE_SHARED', summary: 'P W U A NX.' },

  // ---- in-place overrides (§2.3) ----
  { name: 'ptep_set_access_flags', kind: 'inplace', params: 'vma addr ptep entry dirty', slot: 'ptep', effect: 'copy entry if dirty', returns: '!same(old, entry)', install: 'access-flags', section: '§2.3 ptep_set_access_flags (arch/x86/mm/pgtable.c)', summary: 'Stores the entry if it differs and `dirty`; no flush (a stale read-only TLB entry only causes a spurious fault).' },
  { name: 'pmdp_set_access_flags', kind: 'inplace', params: 'vma addr pmdp entry dirty', slot: 'pmdp', effect: 'copy entry if dirty', returns: '!same(old, entry)', install: 'access-flags', section: '§2.3 pmdp_set_access_flags (x86)', summary: 'Stores the PMD if it differs and `dirty`; no flush.' },
  { name: 'ptep_clear_flush_young', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: 'A := 0', returns: 'old.A', install: 'atomic-update', section: '§2.3 ptep_clear_flush_young (x86: no flush)', summary: 'Clears A; no TLB flush on x86 (a stale A only affects aging).' },
  { name: 'pmdp_invalidate_ad', kind: 'inplace', params: 'vma addr pmdp', slot: 'pmdp', effect: 'call pmd_mkinvalid', returns: 'old', install: 'establish', section: '§2.3 pmdp_invalidate_ad (arch/x86/mm/pgtable.c)', summary: 'Atomically invalidates the huge PMD without a flush (an invalid entry cannot gain A/D); the caller flushes if needed.' },
  { name: 'flush_tlb_fix_spurious_fault', kind: 'inplace', params: 'vma addr ptep', slot: 'ptep', effect: '', returns: 'void', install: 'read', section: '§2.3 flush_tlb_fix_spurious_fault (x86: no-op)', summary: 'Nothing on x86: a stale read-only TLB entry is refetched on the fault.' },
];

export const X86_64: ArchTable = {
  arch: 'x86_64',
  source: 'arch/x86/include/asm/pgtable.h, pgtable_types.h, arch/x86/mm/pgtable.c (v6.19.9; older versions per SEMANTICS §2.6)',
  bits: [
    { name: 'W', meaning: '_PAGE_RW: hardware writable' },
    { name: 'D', meaning: '_PAGE_DIRTY: hardware dirty' },
    { name: 'SD', meaning: '_PAGE_SAVED_DIRTY: dirty of a read-only entry', since: SHSTK },
    { name: 'SFD', meaning: '_PAGE_SOFT_DIRTY', needs: 'MEM_SOFT_DIRTY' },
    { name: 'UW', meaning: '_PAGE_UFFD_WP', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'A', meaning: '_PAGE_ACCESSED' },
    { name: 'U', meaning: '_PAGE_USER' },
    { name: 'PSE', meaning: '_PAGE_PSE: huge leaf (PAT on 4K PTEs)' },
    { name: 'SP', meaning: '_PAGE_SPECIAL' },
    { name: 'NX', meaning: '_PAGE_NX' },
    { name: 'DEVMAP', meaning: '_PAGE_DEVMAP', until: DEVMAP_REMOVED },
  ],
  softleafBits: [
    { name: 'swp_sd', meaning: '_PAGE_SWP_SOFT_DIRTY (bit 1)', needs: 'MEM_SOFT_DIRTY' },
    { name: 'swp_uw', meaning: '_PAGE_SWP_UFFD_WP (bit 2)', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'swp_x', meaning: '_PAGE_SWP_EXCLUSIVE (bit 3)', since: '5.19' },
    ...SHARED_SOFTLEAF_BITS,
  ],
  helpers,
  notApplicable: [
    { name: 'pte_mkinvalid', reason: 'x86 has no pte_mkinvalid (PTEs are cleared, not invalidated)' },
    { name: '{l}_mkuffd_wp', levels: ['pud'], reason: 'no uffd-wp at PUD level (SEMANTICS §1.5)' },
    { name: '{l}_clear_uffd_wp', levels: ['pud'], reason: 'no uffd-wp at PUD level (SEMANTICS §1.5)' },
    { name: '{l}_uffd_wp', levels: ['pud'], reason: 'no uffd-wp at PUD level (SEMANTICS §1.5)' },
    { name: 'pud_mkwrite_novma', reason: 'pud_mkwrite takes no VMA on x86' },
    { name: 'pte_exprotect', reason: 'not defined on x86 in 6.19' },
  ],
};
