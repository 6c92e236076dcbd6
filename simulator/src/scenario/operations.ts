// The library of user-visible operations (docs/scenarios.md "Operations"): what the kernel does to
// one page's entry, its VMA and its folio when a program reads, writes, calls mprotect(), uses
// userfaultfd … Data only: per operation, rows by kernel version, each a list of cases (the first
// whose `when` holds runs) citing the kernel code it stands for. Conditions and entry effects are
// written in the helper-table language (helpers/dsl.ts) over `pte vma @folio prot`, so every
// helper they call has the semantics of the scenario's profile: on x86 before 6.3 `pte_mkuffd_wp`
// only sets the bit, from 6.3 it also write-protects, and an operation calling it follows suit.

import type { ArchName } from '../model/profile';

/** Facts set or cleared (on the VMA or the folio); `new` replaces the folio (a fault mapped another page). */
export interface FactChange {
  readonly set?: readonly string[];
  readonly clear?: readonly string[];
  readonly become?: readonly string[];
  /** Only where this holds of the state before (a predicate over `pte vma @folio`). */
  readonly when?: string;
}

/** Which protection `prot` is bound to in an entry effect. */
export type ProtSource =
  /** vma->vm_page_prot: vm_get_page_prot() of the flags, write removed where the VMA wants write notification. */
  | 'vm_page_prot'
  /** vm_get_page_prot(vma->vm_flags): the flags alone, blind to write notification. */
  | 'vm_get_page_prot'
  /** vm_get_page_prot(vma->vm_flags & ~VM_WRITE). */
  | 'vm_get_page_prot_ro'
  | 'PAGE_NONE';

export interface OperationCase {
  readonly when?: string;
  /** What the kernel does here, in a few words (the trace shows it). */
  readonly path: string;
  readonly source: string;
  /** The operation does not complete: SIGSEGV, a userfaultfd message, an error code. */
  readonly trap?: string;
  /** The MMU sets Accessed (and Dirty) on its own: no kernel code runs. */
  readonly hardware?: 'read' | 'write';
  /** The entry afterwards: table-language statements on `pte` (`this`); `old` is the entry before. */
  readonly entry?: string;
  readonly prot?: ProtSource;
  readonly folio?: readonly FactChange[];
  /** The access completes: a read or a write reaches the page. */
  readonly access?: 'read' | 'write';
  /** The page's data may go, as the user asked (MADV_DONTNEED, MADV_FREE): no write is lost by it. */
  readonly discards?: boolean;
  /** Operations that run next (the access retried after a NUMA hinting fault). */
  readonly then?: readonly string[];
  /** The kernel does something here the library does not follow (swap-in, waiting for migration). */
  readonly notModelled?: boolean;
}

export interface OperationVariant {
  readonly since?: string;
  readonly until?: string;
  /** VMA changes made before the entry is walked, and after. */
  readonly vmaBefore?: FactChange;
  readonly vmaAfter?: FactChange;
  readonly cases: readonly OperationCase[];
}

export interface OperationDef {
  /** The words that name it in a scenario (`uffd wp on`). */
  readonly name: string;
  readonly aliases?: readonly string[];
  /** What follows the name (`mprotect PROT…`). */
  readonly usage?: string;
  readonly summary: string;
  /** Config symbols without which the operation does not exist (its system call fails). */
  readonly needs?: readonly string[];
  /** The words after the name are protections (mprotect). */
  readonly takesProtection?: boolean;
  /** Not written in scenarios: run by other operations. */
  readonly internal?: boolean;
  readonly variants: readonly OperationVariant[];
}

/** How the MMU of each architecture reads and writes through an entry (no kernel code involved). */
export interface HardwareAccess {
  /** A write through the entry needs no fault. */
  readonly writable: string;
  readonly readable: string;
  readonly read: string;
  readonly write: string;
  readonly source: string;
}

export const HARDWARE: Readonly<Record<ArchName, HardwareAccess>> = {
  x86_64: { readable: 'present', writable: 'present & W', read: 'A := 1', write: 'A := 1; D := 1', source: 'the x86 page walker sets _PAGE_ACCESSED, and _PAGE_DIRTY on a write through a _PAGE_RW entry (Intel SDM vol. 3, 4.8)' },
  arm64: { readable: 'present', writable: 'present & (WR | !RO)', read: 'AF := 1', write: 'AF := 1; RO := 0', source: 'arm64 hardware access flag and dirty-bit management (FEAT_HAFDBS): a write through a PTE_DBM entry clears PTE_RDONLY' },
  generic: { readable: 'present', writable: 'present & W', read: 'A := 1', write: 'A := 1; D := 1', source: 'an MMU that keeps accessed and dirty bits in the entry' },
};

const NOT_MODELLED_FORM: OperationCase = {
  path: 'the entry is not present: swap-in or a wait for migration comes first, which the library does not follow',
  source: 'mm/memory.c do_swap_page(), migration_entry_wait()',
  notModelled: true,
};

/** A write fault that keeps the page: wp_page_reuse() / the shared-page path. */
const REUSE = 'call pte_mkyoung; call pte_mkdirty; call maybe_mkwrite';
/** A fresh entry for a page the fault maps writable (set_pte_range(), wp_page_copy(), do_anonymous_page()). */
const FRESH_WRITABLE = 'copy prot; call pte_mkdirty; call maybe_mkwrite';

const WRITE_CASES: readonly OperationCase[] = [
  { when: 'HW_WRITABLE', path: 'the MMU writes through the writable entry', source: 'HW_SOURCE', hardware: 'write', access: 'write' },
  { when: '!vma.VM_WRITE', path: 'write fault in a VMA without VM_WRITE: SIGSEGV', source: 'arch/x86/mm/fault.c access_error(), mm/memory.c', trap: 'SIGSEGV' },
  { when: 'protnone', path: 'NUMA hinting fault, then the write again', source: 'mm/memory.c handle_pte_fault() → do_numa_page()', then: ['numa fault', 'write'] },
  { when: 'present & userfaultfd_pte_wp(vma, pte)', path: 'write fault on a uffd-wp entry: handle_userfault() sends UFFD_PAGEFAULT_FLAG_WP', source: 'mm/memory.c do_wp_page() → handle_userfault()', trap: 'userfaultfd' },
  { when: 'marker & mk_uw & vma.VM_UFFD_WP', path: 'write fault on a uffd-wp marker: handle_userfault()', source: 'mm/memory.c handle_pte_marker() → pte_marker_handle_uffd_wp()', trap: 'userfaultfd' },
  { when: 'none & vma.anonymous', path: 'do_anonymous_page(): a new zeroed anonymous page, mapped writable and dirty', source: 'mm/memory.c do_anonymous_page()', prot: 'vm_page_prot', entry: FRESH_WRITABLE, folio: [{ become: ['anon', 'exclusive'] }], access: 'write' },
  { when: 'none & vma.VM_SHARED', path: 'do_shared_fault(): the page-cache page, mapped writable and dirty; the folio is dirtied', source: 'mm/memory.c do_shared_fault() → finish_fault() → set_pte_range(), fault_dirty_shared_page()', prot: 'vm_page_prot', entry: FRESH_WRITABLE, folio: [{ become: ['dirty'] }], access: 'write' },
  { when: 'none', path: 'do_cow_fault(): a private copy of the page-cache page, mapped writable and dirty', source: 'mm/memory.c do_cow_fault() → finish_fault()', prot: 'vm_page_prot', entry: FRESH_WRITABLE, folio: [{ become: ['anon', 'exclusive'] }], access: 'write' },
  { when: 'present & vma.VM_SHARED', path: 'write fault on a shared page: wp_page_shared() → wp_page_reuse() maps it writable and dirty; the folio is dirtied', source: 'mm/memory.c do_wp_page() → wp_page_shared() → wp_page_reuse(), fault_dirty_shared_page()', entry: REUSE, folio: [{ set: ['dirty'] }], access: 'write' },
  { when: 'present & folio.anon & folio.exclusive', path: 'write fault on an exclusive anonymous page: wp_page_reuse() maps it writable and dirty', source: 'mm/memory.c do_wp_page() → wp_can_reuse_anon_folio() → wp_page_reuse()', entry: REUSE, access: 'write' },
  { when: 'present', path: 'copy-on-write: wp_page_copy() maps a new exclusive copy writable and dirty', source: 'mm/memory.c do_wp_page() → wp_page_copy()', prot: 'vm_page_prot', entry: 'copy prot; call pte_mkyoung; call pte_mkdirty; call maybe_mkwrite', folio: [{ become: ['anon', 'exclusive'] }], access: 'write' },
  NOT_MODELLED_FORM,
];

const READ_CASES: readonly OperationCase[] = [
  { when: 'HW_READABLE', path: 'the MMU reads through the entry and sets Accessed', source: 'HW_SOURCE', hardware: 'read', access: 'read' },
  { when: 'protnone', path: 'NUMA hinting fault, then the read again', source: 'mm/memory.c handle_pte_fault() → do_numa_page()', then: ['numa fault', 'read'] },
  { when: 'none & vma.anonymous', path: 'do_anonymous_page(): the shared zero page, read-only', source: 'mm/memory.c do_anonymous_page() (my_zero_pfn, pte_mkspecial)', prot: 'vm_page_prot', entry: 'copy prot; call pte_mkspecial; W := 0', folio: [{ become: ['zero'] }], access: 'read' },
  { when: 'none', path: 'do_read_fault(): the page-cache page, mapped with vm_page_prot', source: 'mm/memory.c do_read_fault() → finish_fault() → set_pte_range()', prot: 'vm_page_prot', entry: 'copy prot', folio: [{ become: [] }], access: 'read' },
  { when: 'marker', path: 'a read of a uffd-wp marker maps the page read-only', source: 'mm/memory.c handle_pte_marker() → do_fault()', prot: 'vm_page_prot', entry: 'copy prot; W := 0; call pte_mkuffd_wp', folio: [{ become: [] }], access: 'read' },
  NOT_MODELLED_FORM,
];

/** change_pte_range() on a present entry, 6.2 and later: vm_page_prot, then try to give write back. */
const CHANGE_PTE_TRY_WRITABLE = 'call pte_mkwrite if (vma.VM_SHARED ? vma.writenotify : vma.VM_WRITE) & !pte_write(this) & can_change_pte_writable(vma, addr, this)';

/** UFFDIO_WRITEPROTECT on a range not registered for uffd-wp. */
const NOT_REGISTERED: OperationCase = { when: '!vma.VM_UFFD_WP', path: 'the range is not registered for uffd-wp: ENOENT', source: 'mm/userfaultfd.c mwriteprotect_range()', trap: 'ENOENT' };
const MARKER_RESOLVED: OperationCase = { when: 'marker & mk_uw', path: 'uffd_wp_range(false): the uffd-wp marker is cleared', source: 'mm/mprotect.c change_pte_range() (MM_CP_UFFD_WP_RESOLVE)', entry: 'clear' };
const NOTHING_TO_RESET: OperationCase = { path: 'nothing write-protected to reset', source: 'mm/mprotect.c change_pte_range()' };
const NOTHING_TO_PROTECT: OperationCase = { path: 'no present entry: nothing to protect', source: 'mm/mprotect.c change_pte_range()' };

export const OPERATIONS: readonly OperationDef[] = [
  {
    name: 'read', summary: 'A load from the page.',
    variants: [{ cases: READ_CASES }],
  },
  {
    name: 'write', summary: 'A store to the page.',
    variants: [{ cases: WRITE_CASES }],
  },
  {
    name: 'clear_refs soft-dirty', aliases: ['clear_refs 4'], needs: ['MEM_SOFT_DIRTY'],
    summary: '`echo 4 > /proc/PID/clear_refs`: clears VM_SOFTDIRTY (write notification starts for shared mappings) and write-protects the entry with soft-dirty cleared, so the next write faults and sets it again.',
    variants: [{
      since: '3.11',
      vmaBefore: { clear: ['VM_SOFTDIRTY'] },
      cases: [
        { when: 'present | protnone', path: 'clear_soft_dirty(): pte_wrprotect() and pte_clear_soft_dirty() under ptep_modify_prot_start/commit', source: 'fs/proc/task_mmu.c clear_refs_write() → clear_soft_dirty()', entry: 'call pte_wrprotect; call pte_clear_soft_dirty' },
        { when: '!none', path: 'clear_soft_dirty(): pte_swp_clear_soft_dirty() on the swap entry', source: 'fs/proc/task_mmu.c clear_soft_dirty()', entry: 'call pte_swp_clear_soft_dirty' },
        { path: 'no entry: nothing to clear', source: 'fs/proc/task_mmu.c clear_soft_dirty()' },
      ],
    }],
  },
  {
    name: 'mprotect', usage: 'mprotect read write exec | mprotect none', takesProtection: true,
    summary: 'mprotect() to the protections named: the VMA\'s flags and vm_page_prot change, then change_protection() rewrites the entry.',
    variants: [
      {
        since: '6.0',
        cases: [
          { when: 'present | protnone', path: 'change_pte_range(): pte_modify() to vm_page_prot, then pte_mkwrite() where can_change_pte_writable() allows it (MM_CP_TRY_CHANGE_WRITABLE)', source: 'mm/mprotect.c mprotect_fixup() → change_protection() → change_pte_range()', prot: 'vm_page_prot', entry: `call pte_modify; ${CHANGE_PTE_TRY_WRITABLE}` },
          { path: 'change_pte_range(): a non-present entry keeps its form', source: 'mm/mprotect.c change_pte_range()' },
        ],
      },
      {
        until: '6.0',
        cases: [
          { when: 'present | protnone', path: 'change_pte_range(): pte_modify() to vm_page_prot, then pte_mkwrite() of a dirty entry where the VMA wants write notification and soft-dirty is recorded (dirty_accountable)', source: 'mm/mprotect.c change_pte_range() (5.x: dirty_accountable)', prot: 'vm_page_prot', entry: 'call pte_modify; call pte_mkwrite if vma.writenotify & pte_dirty(this) & (pte_soft_dirty(this) | vma.VM_SOFTDIRTY)' },
          { path: 'change_pte_range(): a non-present entry keeps its form', source: 'mm/mprotect.c change_pte_range()' },
        ],
      },
    ],
  },
  {
    name: 'uffd register wp', needs: ['HAVE_ARCH_USERFAULTFD_WP'],
    summary: 'UFFDIO_REGISTER with UFFDIO_REGISTER_MODE_WP: sets VM_UFFD_WP; entries are not touched. From 6.2 the VMA also wants write notification.',
    variants: [{
      since: '5.7',
      vmaBefore: { set: ['VM_UFFD_WP'] },
      cases: [
        { when: '!(vma.anonymous | (vma.VM_SHARED & !vma.dirty_accountable) | vma.VM_HUGETLB)', path: 'vma_can_userfault(): uffd-wp needs anonymous, shmem or hugetlb memory', source: 'fs/userfaultfd.c userfaultfd_register() → vma_can_userfault()', trap: 'EINVAL' },
        { path: 'VM_UFFD_WP set (6.2+: userfaultfd_set_vm_flags() → vma_set_page_prot())', source: 'fs/userfaultfd.c userfaultfd_register()' },
      ],
    }],
  },
  {
    name: 'uffd unregister', needs: ['HAVE_ARCH_USERFAULTFD_WP'],
    summary: 'UFFDIO_UNREGISTER of a VM_UFFD_WP range: from 6.0 the range\'s write protection is reset with uffd_wp_range(…, false) first, then VM_UFFD_WP is cleared.',
    variants: [
      {
        since: '6.2',
        vmaAfter: { clear: ['VM_UFFD_WP'] },
        cases: [
          { when: '(present | protnone) & vma.VM_UFFD_WP', path: 'uffd_wp_range(false): change_pte_range() with vm_page_prot and MM_CP_TRY_CHANGE_WRITABLE: uffd-wp cleared, write only where can_change_pte_writable() allows', source: 'fs/userfaultfd.c userfaultfd_unregister() → mm/userfaultfd.c uffd_wp_range() (6.2+)', prot: 'vm_page_prot', entry: `call pte_modify; call pte_clear_uffd_wp; ${CHANGE_PTE_TRY_WRITABLE}` },
          MARKER_RESOLVED,
          NOTHING_TO_RESET,
        ],
      },
      {
        since: '6.0', until: '6.2',
        vmaAfter: { clear: ['VM_UFFD_WP'] },
        cases: [
          { when: '(present | protnone) & vma.VM_UFFD_WP', path: 'uffd_wp_range(false): change_protection() with vm_get_page_prot(vma->vm_flags), blind to write notification: uffd-wp cleared and, in a shared writable VMA, write given back', source: 'fs/userfaultfd.c userfaultfd_unregister() → mm/userfaultfd.c uffd_wp_range() (6.0–6.1)', prot: 'vm_get_page_prot', entry: 'call pte_modify; call pte_clear_uffd_wp' },
          MARKER_RESOLVED,
          NOTHING_TO_RESET,
        ],
      },
      {
        since: '5.7', until: '6.0',
        vmaAfter: { clear: ['VM_UFFD_WP'] },
        cases: [{ path: 'VM_UFFD_WP cleared; the entries keep their uffd-wp bits', source: 'fs/userfaultfd.c userfaultfd_unregister() (before 6.0)' }],
      },
    ],
  },
  {
    name: 'uffd wp on', needs: ['HAVE_ARCH_USERFAULTFD_WP'],
    summary: 'UFFDIO_WRITEPROTECT with UFFDIO_WRITEPROTECT_MODE_WP: uffd_wp_range(…, true) write-protects the entry and sets uffd-wp.',
    variants: [
      {
        since: '6.2',
        cases: [
          NOT_REGISTERED,
          { when: 'present | protnone', path: 'uffd_wp_range(true): change_pte_range() with vm_page_prot: pte_modify(), pte_mkuffd_wp(), pte_wrprotect()', source: 'mm/userfaultfd.c mwriteprotect_range() → uffd_wp_range() → mm/mprotect.c change_pte_range()', prot: 'vm_page_prot', entry: 'call pte_modify; call pte_mkuffd_wp; call pte_wrprotect' },
          NOTHING_TO_PROTECT,
        ],
      },
      {
        since: '5.7', until: '6.2',
        cases: [
          NOT_REGISTERED,
          { when: 'present | protnone', path: 'uffd_wp_range(true): change_protection() with vm_get_page_prot(vm_flags & ~VM_WRITE): pte_modify(), pte_wrprotect(), pte_mkuffd_wp()', source: 'mm/userfaultfd.c mwriteprotect_range() (5.7–6.1) → mm/mprotect.c change_pte_range()', prot: 'vm_get_page_prot_ro', entry: 'call pte_modify; call pte_wrprotect; call pte_mkuffd_wp' },
          NOTHING_TO_PROTECT,
        ],
      },
    ],
  },
  {
    name: 'uffd wp off', needs: ['HAVE_ARCH_USERFAULTFD_WP'],
    summary: 'UFFDIO_WRITEPROTECT without MODE_WP: uffd_wp_range(…, false) clears uffd-wp and gives write back (6.2+: only where can_change_pte_writable() allows).',
    variants: [
      {
        since: '6.2',
        cases: [
          NOT_REGISTERED,
          { when: 'present | protnone', path: 'uffd_wp_range(false): vm_page_prot and MM_CP_TRY_CHANGE_WRITABLE', source: 'mm/userfaultfd.c uffd_wp_range() (6.2+) → mm/mprotect.c change_pte_range()', prot: 'vm_page_prot', entry: `call pte_modify; call pte_clear_uffd_wp; ${CHANGE_PTE_TRY_WRITABLE}` },
          MARKER_RESOLVED,
          NOTHING_TO_RESET,
        ],
      },
      {
        since: '5.7', until: '6.2',
        cases: [
          NOT_REGISTERED,
          { when: 'present | protnone', path: 'uffd_wp_range(false): change_protection() with vm_get_page_prot(vma->vm_flags), blind to write notification', source: 'mm/userfaultfd.c mwriteprotect_range() (5.7–6.1) → mm/mprotect.c change_pte_range()', prot: 'vm_get_page_prot', entry: 'call pte_modify; call pte_clear_uffd_wp' },
          MARKER_RESOLVED,
          NOTHING_TO_RESET,
        ],
      },
    ],
  },
  {
    name: 'fork', summary: 'fork(), seen from the parent: a private writable page is write-protected for copy-on-write and an anonymous page is no longer exclusive.',
    variants: [{
      cases: [
        { when: '(present | protnone) & is_cow_mapping(vma)', path: 'copy_present_pte(): ptep_set_wrprotect() on the parent\'s writable entry; the anonymous page is shared from now on', source: 'mm/memory.c copy_pte_range() → copy_present_pte(), folio_try_dup_anon_rmap_pte()', entry: 'call pte_wrprotect if pte_write(this)', folio: [{ clear: ['exclusive'] }] },
        { path: 'copy_present_pte(): a shared mapping keeps the parent\'s entry', source: 'mm/memory.c copy_present_pte()' },
      ],
    }],
  },
  {
    name: 'fork child', summary: 'fork(), and the scenario goes on in the child: its entry is the parent\'s, write-protected for copy-on-write, clean where shared, old, without uffd-wp (the child\'s VMA is not registered).',
    variants: [{
      vmaBefore: { clear: ['VM_UFFD_WP'] },
      cases: [
        { when: 'present | protnone', path: 'copy_present_pte(): the child\'s entry — pte_wrprotect() in a COW mapping, pte_mkclean() if shared, pte_mkold(), pte_clear_uffd_wp()', source: 'mm/memory.c copy_present_pte(), dup_userfaultfd()', entry: 'call pte_wrprotect if is_cow_mapping(vma) & pte_write(this); call pte_mkclean if vma.VM_SHARED; call pte_mkold; call pte_clear_uffd_wp', folio: [{ clear: ['exclusive'] }], discards: true },
        { path: 'the child starts without the entry (copied lazily or not at all)', source: 'mm/memory.c vma_needs_copy()', entry: 'clear', discards: true },
      ],
    }],
  },
  {
    name: 'migrate', needs: ['MIGRATION'],
    summary: 'The page is migrated: try_to_migrate_one() replaces the entry by a migration entry (its write, soft-dirty, uffd-wp and, from 6.1, young/dirty recorded), then remove_migration_pte() maps the new page.',
    variants: [{
      cases: [
        {
          when: 'present',
          path: 'try_to_migrate_one() then remove_migration_pte(): a new entry from vm_page_prot with the recorded bits; the folio is dirtied if the entry was',
          source: 'mm/rmap.c try_to_migrate_one(), mm/migrate.c remove_migration_pte()',
          prot: 'vm_page_prot',
          entry: 'let w := pte_write(this); let d := pte_dirty(this); let y := pte_young(this); let sd := pte_soft_dirty(this); let uw := pte_uffd_wp(this); copy prot; call pte_mkold unless cfg.MIGRATION_ENTRY_AD & y; call pte_mksoft_dirty if sd; call pte_mkdirty if cfg.MIGRATION_ENTRY_AD & d; call pte_mkwrite if w; call pte_mkuffd_wp if uw & !w',
          folio: [{ set: ['dirty'], when: 'pte_dirty(pte)' }],
        },
        { path: 'not mapped: nothing to migrate here', source: 'mm/rmap.c try_to_migrate_one()' },
      ],
    }],
  },
  {
    name: 'numa hint', needs: ['NUMA_BALANCING'],
    summary: 'NUMA balancing scans the page: change_prot_numa() makes the entry PROT_NONE (pte_modify(…, PAGE_NONE)); the next access takes a NUMA hinting fault.',
    variants: [
      { since: '6.2', cases: [{ when: 'present', path: 'change_pte_range(MM_CP_PROT_NUMA): pte_modify() to PAGE_NONE', source: 'mm/mprotect.c change_prot_numa() → change_pte_range()', prot: 'PAGE_NONE', entry: 'call pte_modify' }, { path: 'nothing to scan', source: 'mm/mprotect.c change_pte_range()' }] },
      { since: '4.11', until: '6.2', cases: [{ when: 'present', path: 'change_pte_range(MM_CP_PROT_NUMA): pte_modify() to PAGE_NONE, write kept as savedwrite', source: 'mm/mprotect.c change_pte_range() (4.11–6.1: preserve_write, pte_mk_savedwrite)', prot: 'PAGE_NONE', entry: 'let w := pte_write(this); call pte_modify; call pte_mk_savedwrite if w' }, { path: 'nothing to scan', source: 'mm/mprotect.c change_pte_range()' }] },
      { until: '4.11', cases: [{ when: 'present', path: 'change_pte_range(prot_numa): pte_modify() to PAGE_NONE', source: 'mm/mprotect.c change_pte_range()', prot: 'PAGE_NONE', entry: 'call pte_modify' }, { path: 'nothing to scan', source: 'mm/mprotect.c change_pte_range()' }] },
    ],
  },
  {
    name: 'numa fault', internal: true, needs: ['NUMA_BALANCING'],
    summary: 'The NUMA hinting fault an access to a PROT_NONE entry takes: do_numa_page() restores vm_page_prot, write where the kernel of the version gives it back.',
    variants: [{
      cases: [{ when: 'protnone', path: 'do_numa_page(): pte_modify() to vm_page_prot, pte_mkyoung(), pte_mkwrite() where numa_fault_restores_write()', source: 'mm/memory.c do_numa_page() (numa_rebuild_single_mapping())', prot: 'vm_page_prot', entry: 'call pte_modify; call pte_mkyoung; call pte_mkwrite if numa_fault_restores_write(old, this, vma, addr)' }],
    }],
  },
  {
    name: 'madvise dontneed',
    summary: 'madvise(MADV_DONTNEED): the entry is zapped; a dirty file page keeps its data in the dirtied folio, anonymous data is discarded; from 5.19 a uffd-wp file entry leaves a uffd-wp marker.',
    variants: [{
      cases: [
        { when: 'cfg.PTE_MARKER_UFFD_WP & present & !vma.anonymous & userfaultfd_pte_wp(vma, pte)', path: 'zap_pte_range(): cleared, and zap_install_uffd_wp_if_needed() leaves a uffd-wp marker', source: 'mm/memory.c zap_present_ptes() → zap_install_uffd_wp_if_needed()', entry: 'clear; form marker; mk_uw := 1', folio: [{ set: ['dirty'], when: 'pte_dirty(pte)' }] },
        { when: 'present & vma.anonymous', path: 'zap_pte_range(): cleared; the anonymous data is gone', source: 'mm/memory.c zap_present_ptes()', entry: 'clear', discards: true },
        { when: 'present', path: 'zap_pte_range(): cleared; folio_mark_dirty() if the entry was dirty', source: 'mm/memory.c zap_present_folio_ptes()', entry: 'clear', folio: [{ set: ['dirty'], when: 'pte_dirty(pte)' }] },
        { when: '!none', path: 'zap_nonpresent_ptes(): the swap entry is freed', source: 'mm/memory.c zap_nonpresent_ptes()', entry: 'clear', discards: true },
        { path: 'nothing mapped', source: 'mm/memory.c zap_pte_range()' },
      ],
    }],
  },
  {
    name: 'madvise free',
    summary: 'madvise(MADV_FREE) on private anonymous memory: an exclusive page is made old and clean and the folio lazy-free, so reclaim may drop it unless it is written again.',
    variants: [{
      since: '4.5',
      cases: [
        { when: '!vma.anonymous', path: 'MADV_FREE works on private anonymous memory only: EINVAL', source: 'mm/madvise.c madvise_free_single_vma()', trap: 'EINVAL' },
        { when: 'present & folio.anon & folio.exclusive', path: 'madvise_free_pte_range(): clear_young_dirty_ptes() and folio_clear_dirty(); the folio becomes lazy-free', source: 'mm/madvise.c madvise_free_pte_range()', entry: 'call pte_mkold; call pte_mkclean', folio: [{ clear: ['dirty'], set: ['lazyfree'] }], discards: true },
        { path: 'a shared or unmapped page is left alone', source: 'mm/madvise.c madvise_free_pte_range()' },
      ],
    }],
  },
];

/** The operation a line names: the longest run of its leading words that is a name or an alias. */
export function matchOperation(words: readonly string[], library: readonly OperationDef[] = OPERATIONS): { def: OperationDef; rest: string[] } | undefined {
  for (let n = Math.min(words.length, 4); n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const def = library.find((d) => !d.internal && (d.name === name || d.aliases?.includes(name)));
    if (def) return { def, rest: words.slice(n) };
  }
  return undefined;
}

export function operationNamed(name: string): OperationDef | undefined {
  return OPERATIONS.find((d) => d.name === name);
}
