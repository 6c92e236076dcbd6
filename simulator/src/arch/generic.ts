// The "generic" architecture (SEMANTICS §1.4): plain set/clear of named
// fields plus the cross-field rules every architecture must keep (uffd-wp
// write-protects, mkdirty never grants write, wrprotect keeps dirty).
// Soft-dirty and uffd-wp exist only when the profile enables them.

import type { ArchTable, HelperDef } from '../helpers/types';
import { SHARED_SOFTLEAF_BITS } from './common';

const VMA_MKWRITE = '6.6';
const LIVE = 'present | protnone | invalid';

const helpers: HelperDef[] = [
  { name: '{l}_write', kind: 'predicate', params: '{l}', effect: 'W', section: '§1.4 generic write', summary: 'The write field.' },
  { name: '{l}_dirty', kind: 'predicate', params: '{l}', effect: 'D', section: '§1.4 generic dirty', summary: 'The dirty field.' },
  { name: '{l}_young', kind: 'predicate', params: '{l}', effect: 'A', section: '§1.4 generic young', summary: 'The young field.' },
  { name: '{l}_special', kind: 'predicate', params: '{l}', effect: 'SP', section: '§1.4 generic special', summary: 'The special field.' },
  { name: '{l}_uffd_wp', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'UW', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'false', section: '§1.4 optional uffd-wp', summary: 'The uffd-wp field (0 without the feature).' },
  { name: '{l}_soft_dirty', kind: 'predicate', params: '{l}', effect: 'SFD', needs: 'MEM_SOFT_DIRTY', absent: 'false', section: '§1.4 optional soft-dirty', summary: 'The soft-dirty field (0 without the feature).' },
  { name: 'pte_present', kind: 'predicate', params: 'pte', effect: 'present | protnone', section: '§1.4 generic present', summary: 'Present or protnone.' },
  { name: '{l}_present', levels: ['pmd', 'pud'], kind: 'predicate', params: '{l}', effect: LIVE, section: '§1.4 generic present', summary: 'Present, protnone or invalidated.' },
  { name: '{l}_protnone', levels: ['pte', 'pmd'], kind: 'predicate', params: '{l}', effect: 'protnone', needs: 'NUMA_BALANCING', absent: 'false', section: '§1.4 protnone stub', summary: 'Protnone (0 without NUMA balancing).' },
  { name: '{l}_none', kind: 'predicate', params: '{l}', effect: 'none', section: '§1.4 generic none', summary: 'Empty.' },
  { name: 'pte_exec', kind: 'predicate', params: 'pte', effect: '!NX', section: '§1.4 generic exec', summary: 'Not no-exec.' },
  { name: '{l}_same', kind: 'predicate', params: 'a b', effect: 'same(a, b)', section: '§2.5 pte_same', summary: 'Full-value equality.' },
  { name: 'pte_accessible', kind: 'predicate', params: 'mm pte', effect: '1', section: '§2.5 pte_accessible (generic: always true)', summary: 'Always true.' },
  { name: '{l}_tlb_downgrade', kind: 'predicate', params: 'old:entry new:entry', effect: 'old.present & (!new.present | ({l}_write(old) & !{l}_write(new)) | ({l}_dirty(old) & !{l}_dirty(new)))', section: '§5.1 model: what a stale TLB entry of old still allows', summary: 'A TLB entry cached for old allows more than new: present or writable lost, or dirty cleared. An upgrade needs no flush.' },
  { name: 'pte_needs_flush', kind: 'predicate', params: 'oldpte newpte', effect: 'oldpte.present', section: '§5.1 generic: always flush', summary: 'Any change of a valid entry is flushed.' },
  { name: 'huge_pmd_needs_flush', kind: 'predicate', params: 'oldpmd:entry newpmd:entry', effect: 'oldpmd.present | oldpmd.invalid', section: '§5.1 generic: always flush', summary: 'Any change of a valid PMD is flushed.' },
  { name: 'pmd_trans_huge', kind: 'predicate', params: 'pmd', effect: 'HUGE', needs: 'TRANSPARENT_HUGEPAGE', absent: 'false', section: '§1.4 huge(level)', summary: 'The huge field.' },
  { name: '{l}_leaf', levels: ['pmd', 'pud'], kind: 'predicate', params: '{l}', effect: 'HUGE', section: '§1.4 huge(level)', summary: 'The huge field.' },

  { name: '{l}_mkwrite_novma', kind: 'modifier', params: '{l}', effect: 'W := 1', since: VMA_MKWRITE, section: '§1.4 generic', summary: 'Sets write.' },
  { name: '{l}_mkwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l} vma', effect: 'call {l}_mkwrite_novma', since: VMA_MKWRITE, section: '§1.4 pte_mkwrite defaults to pte_mkwrite_novma', summary: 'pte_mkwrite_novma (VMA ignored).' },
  { name: '{l}_mkwrite', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'W := 1', until: VMA_MKWRITE, section: '§2.6 pte_mkwrite(pte) before 6.6', summary: 'Sets write.' },
  { name: 'pud_mkwrite', kind: 'modifier', params: 'pud', effect: 'W := 1', section: '§1.4 generic', summary: 'Sets write.' },
  { name: '{l}_wrprotect', kind: 'modifier', params: '{l}', effect: 'W := 0', keeps: ['dirty'], section: '§1.4 wrprotect keeps dirty', summary: 'Clears write; dirty kept.' },
  // every architecture with soft-dirty (x86, s390, powerpc book3s64, riscv) marks it in mkdirty: a write fault is what soft-dirty records
  { name: '{l}_mkdirty', kind: 'modifier', params: '{l}', effect: 'D := 1; call {l}_mksoft_dirty', keeps: ['not-write'], section: '§1.4 mkdirty never sets write; soft-dirty set with dirty', summary: 'Sets dirty, and soft-dirty where the profile has it; write untouched.' },
  { name: '{l}_mkclean', kind: 'modifier', params: '{l}', effect: 'D := 0', section: '§1.4 generic', summary: 'Clears dirty.' },
  { name: '{l}_mkyoung', kind: 'modifier', params: '{l}', effect: 'A := 1', section: '§1.4 generic', summary: 'Sets young.' },
  { name: '{l}_mkold', kind: 'modifier', params: '{l}', effect: 'A := 0', section: '§1.4 generic', summary: 'Clears young.' },
  { name: '{l}_mkuffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'UW := 1; call {l}_wrprotect', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', keeps: ['dirty'], section: '§1.4 uffd-wp implies not writable', summary: 'Sets uffd-wp and write-protects.' },
  { name: '{l}_clear_uffd_wp', levels: ['pte', 'pmd'], kind: 'modifier', params: '{l}', effect: 'UW := 0', needs: 'HAVE_ARCH_USERFAULTFD_WP', absent: 'identity', section: '§1.4 generic', summary: 'Clears uffd-wp.' },
  { name: '{l}_mksoft_dirty', kind: 'modifier', params: '{l}', effect: 'SFD := 1', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§1.4 optional soft-dirty', summary: 'Sets soft-dirty.' },
  { name: '{l}_clear_soft_dirty', kind: 'modifier', params: '{l}', effect: 'SFD := 0', needs: 'MEM_SOFT_DIRTY', absent: 'identity', section: '§1.4 optional soft-dirty', summary: 'Clears soft-dirty.' },
  { name: '{l}_mkspecial', kind: 'modifier', params: '{l}', effect: 'SP := 1', section: '§1.4 generic', summary: 'Sets special.' },
  { name: '{l}_mkhuge', levels: ['pmd', 'pud'], kind: 'modifier', params: '{l}', effect: 'HUGE := 1', section: '§1.4 huge(level)', summary: 'Sets huge.' },
  { name: '{l}_mkinvalid', levels: ['pmd', 'pud'], kind: 'modifier', params: '{l}', effect: `let live := ${LIVE}; invalid := live; present := 0; protnone := 0`, section: '§2.2 pmd_mkinvalid', summary: 'Invalidates; still present to the kernel.', aliases: [{ name: 'pmd_mknotpresent', until: '5.8' }] },
  { name: '{l}_modify', kind: 'modifier', params: '{l} prot', effect: `let live := ${LIVE}; present := live & prot.present; protnone := live & prot.protnone; invalid := 0; W := prot.W; U := prot.U; NX := prot.NX`, keeps: ['dirty', 'softdirty', 'uffd_wp'], section: '§1.4 modify keeps dirty, young, soft-dirty, uffd-wp, special', summary: 'Takes present/write/user/exec from prot; keeps everything else.' },

  { name: 'vm_get_page_prot', kind: 'constructor', builds: 'prot', params: 'vm_flags', effect: 'let any := vm_flags.VM_READ | vm_flags.VM_WRITE | vm_flags.VM_EXEC; form present; present := any; protnone := !any; W := vm_flags.VM_WRITE & vm_flags.VM_SHARED; U := any; A := 1; NX := !vm_flags.VM_EXEC', section: '§4.2 protection_map', summary: 'Private writable: read-only; shared writable: writable.' },
  { name: 'vm_page_prot', kind: 'constructor', builds: 'prot', params: 'vma', effect: 'let any := vma.VM_READ | vma.VM_WRITE | vma.VM_EXEC; form present; present := any; protnone := !any; W := vma.VM_WRITE & vma.VM_SHARED & !vma.writenotify; U := any; A := 1; NX := !vma.VM_EXEC', section: '§4.2 vma->vm_page_prot', summary: 'Writable only for shared writable VMAs without write notification.' },
  { name: 'PAGE_NONE', kind: 'constructor', builds: 'prot', params: '', effect: 'form protnone', section: '§4.2 PAGE_NONE', summary: 'Protnone.' },
  { name: 'PAGE_READONLY', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; U := 1; A := 1; NX := 1', section: '§4.2 PAGE_READONLY', summary: 'Present, read-only.', aliases: [{ name: 'PAGE_COPY' }] },
  { name: 'PAGE_SHARED', kind: 'constructor', builds: 'prot', params: '', effect: 'form present; W := 1; U := 1; A := 1; NX := 1', section: '§4.2 PAGE_SHARED', summary: 'Present, writable.' },
];

export const GENERIC: ArchTable = {
  arch: 'generic',
  source: 'include/linux/pgtable.h, include/asm-generic/pgtable_uffd.h, mm/pgtable-generic.c',
  bits: [
    { name: 'W', meaning: 'write' },
    { name: 'D', meaning: 'dirty' },
    { name: 'SFD', meaning: 'soft-dirty (optional)', needs: 'MEM_SOFT_DIRTY' },
    { name: 'UW', meaning: 'uffd-wp (optional)', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'A', meaning: 'young' },
    { name: 'U', meaning: 'user' },
    { name: 'SP', meaning: 'special' },
    { name: 'NX', meaning: 'no-exec' },
    { name: 'HUGE', meaning: 'huge leaf (PMD/PUD)' },
  ],
  softleafBits: [
    { name: 'swp_sd', meaning: 'swap soft-dirty (optional)', needs: 'MEM_SOFT_DIRTY' },
    { name: 'swp_uw', meaning: 'swap uffd-wp (optional)', needs: 'HAVE_ARCH_USERFAULTFD_WP' },
    { name: 'swp_x', meaning: 'swap exclusive', since: '5.19' },
    ...SHARED_SOFTLEAF_BITS,
  ],
  helpers,
  notApplicable: [
    { name: '{l}_shstk', reason: 'x86 only' },
    { name: '{l}_mkwrite_shstk', reason: 'x86 only' },
    { name: '{l}_mksaveddirty', reason: 'x86 only (SavedDirty)' },
    { name: '{l}_clear_saveddirty', reason: 'x86 only (SavedDirty)' },
    { name: '{l}_devmap', reason: 'arch-specific (x86, arm64 up to 6.16)' },
    { name: '{l}_mkdevmap', reason: 'arch-specific (x86, arm64 up to 6.16)' },
    { name: 'pte_mkinvalid', reason: 'arm64 only' },
    { name: 'pte_mkhuge', reason: 'arch-specific' },
    { name: 'pte_clrhuge', reason: 'arch-specific' },
    { name: 'pte_huge', reason: 'arch-specific' },
    { name: 'pte_mkexec', reason: 'arch-specific' },
    { name: 'pte_exprotect', reason: 'arch-specific' },
  ],
};
