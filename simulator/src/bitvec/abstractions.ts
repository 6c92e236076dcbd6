// Where the built-in tables knowingly say less than the kernel's definitions: each difference
// `mmlens model diff` finds on a mainline tree is either one of these (printed with its reason)
// or a fix the tables need. docs/model.md explains each.

import type { ArchName } from '../model/profile';

export interface DocumentedAbstraction {
  readonly arch: ArchName;
  /** Helper names it covers. */
  readonly helpers: RegExp;
  /** Fields of the result it covers (`result` for a predicate). */
  readonly fields: readonly string[];
  readonly why: string;
}

export const DOCUMENTED_ABSTRACTIONS: readonly DocumentedAbstraction[] = [
  {
    arch: 'x86_64', helpers: /^pte_next_pfn$|^pte_advance_pfn$/, fields: ['SD', 'NX', 'UW', 'SFD', 'SP', 'D', 'A', 'W', 'U', 'PSE', 'present', 'protnone'],
    why: 'the table keeps every flag; the kernel adds to the pfn field, which carries into the bits above it when the pfn is all ones (never for a real page frame)',
  },
  {
    arch: 'x86_64', helpers: /^p[mu]d_mkinvalid$/, fields: ['invalid'],
    why: 'the table makes any PMD/PUD invalid-but-present; the kernel keeps it present only through _PAGE_PSE, and calls it on huge entries only',
  },
  {
    arch: 'x86_64', helpers: /^pte_modify$/, fields: ['PSE'],
    why: 'bit 7 of a 4K PTE is _PAGE_PAT, which the model reads as PSE; before "x86/mm: Fix PAT bit missing from page protection modify mask" (2023) pte_modify took it from the new protection — a cache-attribute bug, not a state the rules read',
  },
  {
    arch: 'arm64', helpers: /^pmd_leaf$|^pmd_trans_huge$/, fields: ['result'],
    why: 'the model has no table bit: a present PMD is a leaf; the kernel reads PMD_TABLE_BIT (bit 1), set on table entries only',
  },
  {
    arch: 'arm64', helpers: /^p[tm][ed]_mkinvalid$/, fields: ['protnone', 'invalid'],
    why: 'the model keeps invalidated entries apart from PROT_NONE ones; the kernel\'s pte_protnone() is true of an invalidated entry without user access and with UXN (not a user mapping)',
  },
  {
    arch: 'arm64', helpers: /^p[tm][ed]_modify$/, fields: ['protnone', 'invalid'],
    why: 'the model\'s PROT_NONE protection leaves UXN free; the kernel\'s PAGE_NONE always has PTE_UXN, which pte_protnone() needs',
  },
];

export function documentedAbstraction(arch: ArchName, helper: string, field: string): DocumentedAbstraction | undefined {
  return DOCUMENTED_ABSTRACTIONS.find((a) => a.arch === arch && a.helpers.test(helper) && a.fields.includes(field));
}
