// Which kernel mask stands for each field of the model, per architecture: how a derived
// helper's 64-bit word is read as the model's named bits (and written from them). A mask that
// is 0 on a profile (`_PAGE_SOFT_DIRTY` without CONFIG_MEM_SOFT_DIRTY) means the field does not
// exist there. `present` and `protnone` are the form bits: a word is present when its present
// bit is set, protnone when that is clear and the protnone bit set.

import type { ArchName } from '../model/profile';

export interface FieldMask {
  readonly field: string;
  /** The macro whose value is the field's one-bit mask. */
  readonly mask: string;
}

export const FIELD_MASKS: Readonly<Record<Exclude<ArchName, 'generic'>, readonly FieldMask[]>> = {
  x86_64: [
    { field: 'present', mask: '_PAGE_PRESENT' },
    { field: 'protnone', mask: '_PAGE_PROTNONE' },
    { field: 'W', mask: '_PAGE_RW' },
    { field: 'D', mask: '_PAGE_DIRTY' },
    { field: 'SD', mask: '_PAGE_SAVED_DIRTY' },
    { field: 'SFD', mask: '_PAGE_SOFT_DIRTY' },
    { field: 'UW', mask: '_PAGE_UFFD_WP' },
    { field: 'A', mask: '_PAGE_ACCESSED' },
    { field: 'U', mask: '_PAGE_USER' },
    { field: 'PSE', mask: '_PAGE_PSE' },
    { field: 'SP', mask: '_PAGE_SPECIAL' },
    { field: 'NX', mask: '_PAGE_NX' },
    { field: 'DEVMAP', mask: '_PAGE_DEVMAP' },
  ],
  arm64: [
    { field: 'present', mask: 'PTE_VALID' },
    { field: 'protnone', mask: 'PTE_PRESENT_INVALID' },
    { field: 'WR', mask: 'PTE_WRITE' },
    { field: 'RO', mask: 'PTE_RDONLY' },
    { field: 'DT', mask: 'PTE_DIRTY' },
    { field: 'AF', mask: 'PTE_AF' },
    { field: 'U', mask: 'PTE_USER' },
    { field: 'UXN', mask: 'PTE_UXN' },
    { field: 'PXN', mask: 'PTE_PXN' },
    { field: 'SP', mask: 'PTE_SPECIAL' },
    { field: 'UW', mask: 'PTE_UFFD_WP' },
    { field: 'DEVMAP', mask: 'PTE_DEVMAP' },
  ],
};

/**
 * The carry flags of a non-present entry (swap, migration, device, marker words): flags the
 * architecture keeps in bits the swap type and offset leave free, at positions that present
 * entries use for other things (x86 `_PAGE_SWP_SOFT_DIRTY` is `_PAGE_RW`).
 */
export const SOFTLEAF_MASKS: Readonly<Record<Exclude<ArchName, 'generic'>, readonly FieldMask[]>> = {
  x86_64: [
    { field: 'swp_sd', mask: '_PAGE_SWP_SOFT_DIRTY' },
    { field: 'swp_uw', mask: '_PAGE_SWP_UFFD_WP' },
    { field: 'swp_x', mask: '_PAGE_SWP_EXCLUSIVE' },
  ],
  arm64: [
    { field: 'swp_uw', mask: 'PTE_SWP_UFFD_WP' },
    { field: 'swp_x', mask: 'PTE_SWP_EXCLUSIVE' },
  ],
};

/** Field → bit index (0 … 63) on one tree and profile; fields whose mask is 0 or undefined are absent. */
export type BitPositions = ReadonlyMap<string, number>;

/**
 * How a word's form is read, per architecture: the first rule whose fields all match (`!F`: F
 * clear) names the form; a word no rule matches is `none` (or a non-present encoding the
 * derived model does not read yet). Mirrors each architecture's pte_present/pte_protnone.
 */
export const FORM_RULES: Readonly<Record<Exclude<ArchName, 'generic'>, readonly { readonly form: 'present' | 'protnone' | 'invalid'; readonly when: readonly string[] }[]>> = {
  x86_64: [
    { form: 'present', when: ['present'] },
    { form: 'protnone', when: ['protnone'] },
    // pmd_present(): an invalidated huge PMD keeps _PAGE_PSE
    { form: 'invalid', when: ['PSE'] },
  ],
  arm64: [
    { form: 'present', when: ['present'] },
    // pte_protnone(): present-invalid with neither user access nor user execute
    { form: 'protnone', when: ['protnone', '!U', 'UXN'] },
    // pte_present_invalid(): present to software, invalid to the hardware (pte_mkinvalid)
    { form: 'invalid', when: ['protnone'] },
  ],
};
