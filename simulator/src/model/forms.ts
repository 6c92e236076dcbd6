// The forms an entry can take (SEMANTICS §1.1) and the non-present payload
// fields every architecture shares. A form is a field whose value is a
// guard; exactly one form guard is true under every assignment.

import { inVersionRange, type Profile } from './profile';

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

/**
 * Forms that appeared after the oldest modelled version (docs/profiles.md): before it, no entry
 * has the form, and an entry the engine knows nothing of is none of them.
 */
export const FORM_VERSIONS: readonly { readonly form: Form; readonly levels: readonly Level[]; readonly since: string; readonly evidence: string }[] = [
  { form: 'dev_r', levels: ['pte'], since: '4.14', evidence: 'device-private entries (HMM, ZONE_DEVICE private memory): absent in 4.11.0, present in 5.6.4 include/linux/swapops.h; 4.14 from memory of the HMM merge' },
  { form: 'dev_w', levels: ['pte'], since: '4.14', evidence: 'as dev_r' },
  { form: 'mig_r', levels: ['pmd'], since: '4.14', evidence: 'THP migration entries (is_pmd_migration_entry): absent in 4.11.0, present in 5.6.4; 4.14 from memory of "mm: thp: enable thp migration in generic path"' },
  { form: 'mig_w', levels: ['pmd'], since: '4.14', evidence: 'as mig_r at pmd' },
  { form: 'dev_x', levels: ['pte'], since: '5.14', evidence: 'make_device_exclusive_entry: absent in 5.12.9, present in 5.14 (docs/profiles.md, helpers of 5.14)' },
  { form: 'mig_re', levels: ['pte', 'pmd'], since: '5.19', evidence: 'make_readable_exclusive_migration_entry (docs/profiles.md row 6b)' },
  { form: 'marker', levels: ['pte'], since: '5.19', evidence: 'PTE markers (docs/profiles.md row 6c)' },
  { form: 'dev_r', levels: ['pmd'], since: '6.19', evidence: 'device-private THP: mm/huge_memory.c has no device-private PMD in 6.18.2, has it in 6.19.0' },
  { form: 'dev_w', levels: ['pmd'], since: '6.19', evidence: 'as dev_r at pmd' },
];

/** Whether entries of `form` exist at `level` in the profile's version. */
export function formExists(form: Form, level: Level, profile: Profile): boolean {
  return FORM_VERSIONS.every((v) => v.form !== form || !v.levels.includes(level) || inVersionRange(profile.version, v.since));
}

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
