// The forms an entry can take (SEMANTICS §1.1) and the non-present payload
// fields every architecture shares. A form is a field whose value is a
// guard; exactly one form guard is true under every assignment.

export type Level = 'pte' | 'pmd' | 'pud';
export const LEVELS: readonly Level[] = ['pte', 'pmd', 'pud'];

export const FORMS = [
  'present', // hardware-valid leaf
  'none',
  'protnone', // PROT_NONE / NUMA hinting: logically present, hardware-invalid
  'invalid', // PMD/PUD transiently invalidated by pmdp_invalidate (still pmd_present)
  'swap',
  'mig_r', // migration, read
  'mig_re', // migration, read-exclusive
  'mig_w', // migration, write
  'marker', // PTE marker (uffd-wp, poison, guard)
  'dev_r', // device-private, read
  'dev_w', // device-private, write
  'dev_x', // device-exclusive
  'hwpoison',
] as const;
export type Form = (typeof FORMS)[number];

/** Forms that can occur at each level (SEMANTICS §1.1, §1.5). */
export const LEGAL_FORMS: Record<Level, readonly Form[]> = {
  pte: FORMS.filter((f) => f !== 'invalid'),
  pmd: ['present', 'none', 'protnone', 'invalid', 'mig_r', 'mig_re', 'mig_w', 'dev_r', 'dev_w'],
  pud: ['present', 'none', 'invalid'],
};

export const SOFTLEAF_FORMS: readonly Form[] = FORMS.filter(
  (f) => f !== 'present' && f !== 'none' && f !== 'protnone' && f !== 'invalid',
);
export const MIGRATION_FORMS: readonly Form[] = ['mig_r', 'mig_re', 'mig_w'];

/**
 * Non-present payload and carry bits (SEMANTICS §1.1, §2.4). The carry bits
 * (swp_sd, swp_uw, swp_x) live in the entry only; a swp_entry_t value has
 * them clear. Availability per profile is decided by the arch table.
 */
export const SOFTLEAF_FIELDS = [
  'swp_sd', // _PAGE_SWP_SOFT_DIRTY
  'swp_uw', // _PAGE_SWP_UFFD_WP / PTE_SWP_UFFD_WP
  'swp_x', // _PAGE_SWP_EXCLUSIVE / PTE_SWP_EXCLUSIVE
  'mig_a', // migration entry young (offset bit SWP_PFN_BITS)
  'mig_d', // migration entry dirty
  'mk_uw', // PTE_MARKER_UFFD_WP
  'mk_poison', // PTE_MARKER_POISONED
  'mk_guard', // PTE_MARKER_GUARD
] as const;
export type SoftleafField = (typeof SOFTLEAF_FIELDS)[number];
