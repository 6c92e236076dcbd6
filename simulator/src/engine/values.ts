// What a C expression evaluates to on one path.

import type { IntegerFacts } from './integers';
import type { Bool } from '../sym';
import type { Level } from '../model/forms';
import type { EntryValue } from '../model/value';

/** `struct` stands for any other structure whose members the engine reads by their names. */
export type ObjectKind = 'vma' | 'vmf' | 'folio' | 'mm' | 'lock' | 'struct';

export type Value =
  /** pte_t / pmd_t / pud_t / swp_entry_t / pgprot_t */
  | { readonly kind: 'entry'; readonly value: EntryValue }
  /** A condition, or an integer used as one (`integer`: what is known of its number). */
  | { readonly kind: 'bool'; readonly value: Bool; readonly equalities?: Equalities; readonly integer?: IntegerFacts }
  /** A pointer to a page-table slot (pte_t *ptep …); `nonNull` as for objects. */
  | { readonly kind: 'slot'; readonly slot: number; readonly level: Level; readonly nonNull?: Bool }
  /**
   * A context object; its facts are unknowns `<name>.<fact>`. `nonNull`, when known, is the
   * condition under which the pointer is not NULL (a lock a walker returned only when it found
   * what it looks for). `pageTable`, for a lock: the condition under which it is a page-table
   * lock (the one a walker returned), not some other spinlock.
   */
  | { readonly kind: 'object'; readonly object: ObjectKind; readonly name: string; readonly nonNull?: Bool; readonly pageTable?: Bool }
  /** A flags word (vma->vm_flags, cp_flags, vmf->flags): `word & FLAG` is the fact FLAG of `owner`. */
  | { readonly kind: 'flags'; readonly owner: string }
  /**
   * A flag constant or an OR of them (VM_SHARED | VM_MAYSHARE). `when`: for a set chosen by a
   * condition (`wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE`), the condition under which a flag of
   * `names` is in it; a flag it does not list is in it always (flagSets.ts).
   */
  | { readonly kind: 'flag-set'; readonly names: readonly string[]; readonly when?: Readonly<Record<string, Bool>> }
  /**
   * Nothing the engine can use: its truth, if asked, is an unknown named by `name`. `made`: what a
   * call the engine did not follow returned or wrote (not a name it has no definition for, as a
   * variable declared outside a hunk). `integer`: what is known of it relative to another integer.
   * `pfnOf`: the entry whose page frame it is (`pte_pfn(entry)`, engine/pfns.ts).
   */
  | { readonly kind: 'unknown'; readonly name: string; readonly made?: boolean; readonly integer?: IntegerFacts; readonly pfnOf?: EntryValue };

export const UNKNOWN = (name: string): Value => ({ kind: 'unknown', name });
/** What a call the engine did not follow gave back. */
export const MADE_UNKNOWN = (name: string): Value => ({ kind: 'unknown', name, made: true });

/** Two entries known equal (`pte_same(a, b)`), on the branch where a condition holds or where it fails. */
export interface Equalities {
  readonly whenTrue: readonly (readonly [EntryValue, EntryValue])[];
  readonly whenFalse: readonly (readonly [EntryValue, EntryValue])[];
}

/** The name a VMA goes by: the function's own `vma`, however it is reached (`vmf->vma`), or its text. */
export function canonicalVma(name: string): string {
  return name === 'vma' || name.endsWith('->vma') ? 'vma' : name;
}

const NO_EQUALITIES: Equalities = { whenTrue: [], whenFalse: [] };

export function equalitiesOf(value: Value): Equalities {
  return value.kind === 'bool' ? (value.equalities ?? NO_EQUALITIES) : NO_EQUALITIES;
}
