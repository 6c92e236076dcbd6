// The hazard rules (DESIGN.md "Hazard rules", SEMANTICS §3 and §5). Each
// condition is a predicate in the helper-table language, so it reads the
// entry through the profile's own predicates (pte_write, pte_dirty …).
//
// Parameters by rule kind:
//   state       — {l}: the installed entry; vma; @folio (the folio it maps).
//                 "Present" is the kernel's {l}_present(): PROT_NONE/NUMA entries
//                 and invalidated PMDs count, as they do for pte_write().
//   transition  — old, new: the slot's previous live value and the new one;
//                 how: install kind facts (store, commit, access_flags …), after_clear
//                 (the slot was cleared since `old` was live), cleaned (the new entry was
//                 made clean on purpose with {l}_mkclean), uffd_wp_cleared and soft_dirty_cleared
//                 (likewise with {l}_clear_uffd_wp, {l}_swp_clear_soft_dirty …); vma; @folio
//   helper      — old, new: a helper's input and output
//   tlb         — tlb: facts downgrade_unflushed, flush_pending, mmap_write_locked,
//                 page_cache_folio_locked (the path holds the lock of a folio that is not anonymous)

import type { Level } from '../model/forms';
import type { ArchName } from '../model/profile';
import type { Law } from '../helpers/types';

export type Severity = 'error' | 'warning' | 'information';
export type RuleKind = 'state' | 'transition' | 'helper' | 'tlb';

export interface RuleDef {
  readonly id: string;
  readonly severity: Severity;
  readonly kind: RuleKind;
  readonly semantics: readonly string[];
  /** One line naming what is wrong; the offending value is appended. */
  readonly message: string;
  readonly levels: readonly Level[];
  readonly archs?: readonly ArchName[];
  /** Config symbols the rule needs (it cannot fire without them). */
  readonly needs?: readonly string[];
  /** Condition per level, or one text with {l} for all levels. */
  readonly condition: string | Partial<Record<Level, string>>;
  /** Helper rules: the law of a helper row they check. */
  readonly law?: Law;
  /** State rules the kernel keeps: assumed of entries read from the page table. */
  readonly assumedAtRead?: boolean;
}

const ALL: readonly Level[] = ['pte', 'pmd', 'pud'];
const PTE_PMD: readonly Level[] = ['pte', 'pmd'];
const LIVE = (v: string) => `(${v}.present | ${v}.protnone | ${v}.invalid)`;
const MIGRATION = (v: string) => `(${v}.mig_r | ${v}.mig_re | ${v}.mig_w)`;
/** Non-present forms that carry soft-dirty and uffd-wp in their swap bits. */
const CARRIER_FORMS = ['swap', 'mig_r', 'mig_re', 'mig_w', 'dev_r', 'dev_w', 'dev_x'];
const CARRIER = (v: string) => `(${CARRIER_FORMS.map((f) => `${v}.${f}`).join(' | ')})`;
/** The entry's uffd-wp, in whichever form: a marker's is its own (its swap bits carry nothing). */
const UFFD_WP = (v: string) => `(${LIVE(v)} ? ${v}.UW : (${CARRIER(v)} & ${v}.swp_uw) | (${v}.marker & ${v}.mk_uw))`;
const SOFT_DIRTY = (v: string) => `(${LIVE(v)} ? ${v}.SFD : ${CARRIER(v)} & ${v}.swp_sd)`;

const SAME_CARRIER_FORM = `(${CARRIER_FORMS.map((f) => `(old.${f} & new.${f})`).join(' | ')})`;
/** old -> new changes form: present to swap/migration, back, or one swap form to another. */
const CONVERSION =
  `((${LIVE('old')} & !${LIVE('new')} & !new.none & !new.hwpoison) | (!${LIVE('old')} & !old.none & ${LIVE('new')})` +
  ` | (${CARRIER('old')} & ${CARRIER('new')} & !${SAME_CARRIER_FORM}))`;
const UFFD_WP_LOST = `(vma.VM_UFFD_WP & !how.uffd_wp_cleared & ${UFFD_WP('old')} & !${UFFD_WP('new')})`;
/**
 * Asked to write-protect (MM_CP_UFFD_WP), the code writes an entry that can carry uffd-wp without
 * it (an invalidated huge entry is a step on the way to the one written next, not counted).
 */
const UFFD_WP_NOT_APPLIED = `(how.uffd_wp_requested & vma.VM_UFFD_WP & (new.present | new.protnone | ${CARRIER('new')}) & !${UFFD_WP('new')})`;
const SOFT_DIRTY_LOST = `(vma_soft_dirty_enabled(vma) & !vma.VM_HUGETLB & !how.soft_dirty_cleared & !(old.dev_r | old.dev_w | new.dev_r | new.dev_w) & ${SOFT_DIRTY('old')} & !${SOFT_DIRTY('new')})`;

export const RULES: readonly RuleDef[] = [
  {
    id: 'shstk-lookalike', severity: 'error', kind: 'state', levels: ALL, archs: ['x86_64'], needs: ['X86_USER_SHADOW_STACK'], assumedAtRead: true,
    semantics: ['H-SHSTK-ONLY-IN-SHSTK-VMA', 'H-SHSTK-FORK'],
    message: 'installs Write=0 Dirty=1 outside a VM_SHADOW_STACK VMA: x86 treats it as a shadow-stack page',
    // pte_shstk() looks at W and D only, so a PROT_NONE/NUMA or invalidated entry counts too (SEMANTICS §1.2.2, §3.7).
    condition: {
      pte: '(present | protnone) & !W & D & !vma.VM_SHADOW_STACK',
      pmd: '(present | protnone | invalid) & !W & D & PSE & !vma.VM_SHADOW_STACK',
      pud: '(present | invalid) & !W & D & PSE & !vma.VM_SHADOW_STACK',
    },
  },
  {
    id: 'uffd-wp-writable', severity: 'error', kind: 'state', levels: PTE_PMD, needs: ['HAVE_ARCH_USERFAULTFD_WP'], assumedAtRead: true,
    semantics: ['H-UFFDWP-IMPLIES-RO'],
    message: 'installs a writable entry with uffd-wp set: writes bypass userfaultfd write-protection',
    condition: '{l}_present(this) & {l}_uffd_wp(this) & {l}_write(this)',
  },
  {
    id: 'softdirty-bypass', severity: 'warning', kind: 'state', levels: ALL, needs: ['MEM_SOFT_DIRTY'], assumedAtRead: true,
    semantics: ['H-SOFTDIRTY-WRITE-FAULT'],
    message: 'installs a writable entry without soft-dirty while the VMA tracks soft-dirty: the next write is not recorded',
    // hugetlb VMAs use huge_pte_* helpers and no soft-dirty write notification: outside this model.
    condition: '{l}_present(this) & {l}_write(this) & !{l}_soft_dirty(this) & vma_soft_dirty_enabled(vma) & !vma.VM_HUGETLB',
  },
  {
    id: 'writenotify-bypass', severity: 'warning', kind: 'state', levels: ALL, assumedAtRead: true,
    semantics: ['H-WRITABLE-MEANS-MAYBE-DIRTY', '§3.9.2', '§3.9.3'],
    message: 'installs a clean writable entry in a shared mapping that wants write notification: the first write skips page_mkwrite and dirty accounting',
    condition: '{l}_present(this) & {l}_write(this) & !{l}_dirty(this) & vma.writenotify',
  },
  {
    id: 'write-without-vm-write', severity: 'error', kind: 'state', levels: ALL, assumedAtRead: true,
    semantics: ['§2.1 maybe_mkwrite', '§3.9.1 row 0'],
    message: 'installs a writable entry in a VMA without VM_WRITE (pte_mkwrite where maybe_mkwrite was needed)',
    condition: '{l}_present(this) & {l}_write(this) & !vma.VM_WRITE',
  },
  {
    id: 'cow-writable', severity: 'error', kind: 'state', levels: PTE_PMD, assumedAtRead: true,
    semantics: ['H-ANON-WRITABLE-IMPLIES-EXCLUSIVE', 'H-COW-WRPROTECT-ON-FORK'],
    message: 'installs a writable entry for an anonymous page that may be shared (not PageAnonExclusive): COW isolation is lost',
    // A special entry maps no folio: vm_normal_page() gives no page for it and a write fault
    // takes wp_pfn_shared() or copies, never reuses (mm/memory.c). An anonymous folio is
    // PMD-mapped only in an anonymous VMA: do_huge_pmd_anonymous_page() and the huge COW
    // (do_huge_pmd_wp_page()) are reached only for vma_is_anonymous() (create_huge_pmd(),
    // wp_huge_pmd()), and khugepaged collapses anonymous memory only there; elsewhere a COW of
    // a huge entry splits it first.
    condition: {
      pte: 'pte_present(this) & pte_write(this) & !pte_special(this) & folio.anon & !folio.exclusive',
      pmd: 'pmd_present(this) & pmd_write(this) & !pmd_special(this) & folio.anon & !folio.exclusive & vma.anonymous',
    },
  },
  {
    id: 'mkdirty-grants-write', severity: 'error', kind: 'helper', levels: ALL, law: 'not-write',
    semantics: ['H-MKDIRTY-NO-WRITE'],
    message: 'setting dirty made a read-only entry writable',
    condition: '!{l}_write(old) & {l}_write(new)',
  },
  {
    id: 'dirty-lost', severity: 'error', kind: 'helper', levels: ALL, law: 'dirty',
    semantics: ['H-MODIFY-KEEPS-DIRTY', 'H-WRPROTECT-KEEPS-DIRTY'],
    message: 'the helper drops the entry\'s dirtiness',
    condition: `${LIVE('old')} & {l}_dirty(old) & !{l}_dirty(new)`,
  },
  {
    id: 'dirty-lost', severity: 'error', kind: 'transition', levels: ALL,
    semantics: ['H-DIRTY-TO-FOLIO-BEFORE-LOSS', 'H-LAZYFREE-DIRTY'],
    message: 'a dirty entry is replaced without the dirtiness reaching the folio (folio_mark_dirty) or the new entry',
    condition: `!how.clean & !how.cleaned & ${LIVE('old')} & {l}_dirty(old) & !folio.dirty & ((${LIVE('new')} & !{l}_dirty(new)) | (${MIGRATION('new')} & !new.mig_d) | (!${LIVE('new')} & !${MIGRATION('new')}))`,
  },
  {
    id: 'bit-lost-on-conversion', severity: 'warning', kind: 'transition', levels: PTE_PMD,
    semantics: ['H-SOFTDIRTY-CARRY', 'H-UFFDWP-SURVIVES-NONPRESENT'],
    message: 'converting between present and swap/migration form, or between two such forms, drops soft-dirty or uffd-wp; or a present entry is replaced by one without its uffd-wp, or one written while write-protecting for userfaultfd lacks it',
    // a swap-form entry re-encoded as another (a writable migration entry made readable by fork
    // or mprotect) carries the bits too; one kept in its form may have them cleared on purpose.
    // hugetlb VMAs track no soft-dirty (as for softdirty-bypass). A poisoned page's entry carries
    // nothing: any access to it is fatal (SIGBUS), so nothing is tracked through it.
    // uffd-wp protects the address, not the page: a live entry replaced by another live one (a
    // COW or unshare copy) keeps it unless resolved on purpose (wp_page_copy() carries it on
    // unshare); soft-dirty is not held to this, a fresh write-fault entry is made soft-dirty anyway
    // change_protection(MM_CP_UFFD_WP) write-protects every entry it writes, a swap or migration
    // entry too (its swap uffd-wp bit), or the protection is gone once the entry is live again
    condition: `(${CONVERSION} & ${SOFT_DIRTY_LOST}) | ((${CONVERSION} | (${LIVE('old')} & ${LIVE('new')})) & ${UFFD_WP_LOST}) | ${UFFD_WP_NOT_APPLIED}`,
  },
  {
    id: 'stale-tlb', severity: 'error', kind: 'tlb', levels: ALL,
    semantics: ['§5.1', '§5.2', '§5.3', '§5.5'],
    message: 'a permission downgrade is still unflushed when the page-table lock is dropped or the page is copied, and no flush-pending protocol covers it',
    // A page-cache folio the path keeps locked until the flush cannot be truncated, reclaimed,
    // migrated or cleaned for writeback meanwhile (each takes the folio lock), and a stale entry
    // reaches only that folio: khugepaged's collapse_pte_mapped_thp() clears the PTEs, drops the
    // PTE lock and leaves the flush to pmdp_collapse_flush() under it. An anonymous folio has no
    // such protection (a racing zap frees it or a COW copies it without the lock).
    condition: 'tlb.downgrade_unflushed & !tlb.flush_pending & !tlb.mmap_write_locked & !tlb.page_cache_folio_locked',
  },
  {
    id: 'write-lost-numa', severity: 'information', kind: 'transition', levels: ['pte'], needs: ['NUMA_BALANCING'],
    semantics: ['H-NUMA-WRITE-RESTORE'],
    message: 'a NUMA-hinting entry is restored read-only although can_change_pte_writable() allows write: an extra write fault follows',
    condition: 'old.protnone & new.present & !pte_write(new) & numa_fault_restores_write(old, new, vma, addr)',
  },
  {
    id: 'migration-entry-type', severity: 'error', kind: 'transition', levels: PTE_PMD, needs: ['MIGRATION'],
    semantics: ['H-MIGRATION-ENTRY-TYPE'],
    message: 'the migration entry allows more than the entry it replaces (writable from read-only, or exclusive from a shared page)',
    condition: `${LIVE('old')} & ((new.mig_w & !{l}_write(old)) | (new.mig_re & !(folio.anon & folio.exclusive)))`,
  },
  {
    id: 'nonatomic-wrprotect', severity: 'warning', kind: 'transition', levels: ALL, archs: ['x86_64', 'arm64'],
    semantics: ['H-SHSTK-ATOMIC-WRPROTECT', 'H-MODIFY-PROT-TRANSACTION'],
    message: 'write permission is removed from a live entry with a plain store: a hardware Dirty update can be lost (use ptep_set_wrprotect or ptep_modify_prot_start/commit)',
    // once the entry was cleared atomically (ptep_get_and_clear), no hardware update can be lost
    condition: 'how.store & !how.after_clear & old.present & {l}_write(old) & new.present & !{l}_write(new)',
  },
  {
    id: 'access-flags-downgrade', severity: 'warning', kind: 'transition', levels: PTE_PMD,
    semantics: ['H-ACCESS-FLAGS-UPGRADE-ONLY'],
    message: '{l}p_set_access_flags is used to make the entry less permissive (it may only add write, dirty or young)',
    condition: `how.access_flags & ${LIVE('old')} & (({l}_write(old) & !{l}_write(new)) | ({l}_dirty(old) & !{l}_dirty(new)) | ({l}_young(old) & !{l}_young(new)))`,
  },
];

export function ruleIds(): string[] {
  return [...new Set(RULES.map((r) => r.id))];
}
