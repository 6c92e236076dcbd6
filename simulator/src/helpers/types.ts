// The shape of a helper-semantics row. Arch tables (simulator/src/arch/) are
// lists of these; the effect is written in the small language of dsl.ts.

import type { Level } from '../model/forms';

export type ParamKind =
  | 'entry' // pte_t / pmd_t / pud_t at the helper's level
  | 'swp' // swp_entry_t / softleaf_t
  | 'prot' // pgprot_t
  | 'vma' // struct vm_area_struct * (facts: VM_* flags, writenotify …)
  | 'vmflags' // unsigned long vm_flags (facts: VM_*)
  | 'mm' // struct mm_struct * (facts: tlb_flush_pending …)
  | 'folio' // struct folio * / struct page * (facts: anon, exclusive, dirty …)
  | 'flags' // a bitmask argument read by name (PTE_MARKER_*, MM_CP_* …)
  | 'slot' // pte_t * / pmd_t * / pud_t *: a page-table slot
  | 'bool'
  | 'opaque'; // addresses, pfns, counts: not modelled

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  /** Not a C argument: context the engine supplies (e.g. the folio an entry maps). */
  readonly implicit: boolean;
}

export type HelperKind =
  | 'modifier' // pure: entry in, entry out (pte_mkwrite)
  | 'constructor' // pure: builds a value from scratch (mk_pte, make_writable_migration_entry)
  | 'predicate' // pure: returns a boolean (pte_write)
  | 'inplace'; // reads and writes a slot (set_pte_at, ptep_set_wrprotect)

/** How an in-place primitive writes its slot; transition rules look at it. */
export type InstallKind =
  | 'store' // set_pte_at, set_ptes, set_pmd_at: a plain store of a computed value
  | 'atomic-update' // ptep_set_wrprotect: a read-modify-write that cannot lose a hardware update
  | 'clear' // ptep_get_and_clear, ptep_modify_prot_start: the slot becomes none
  | 'commit' // ptep_modify_prot_commit: ends a start/commit transaction
  | 'establish' // pmdp_establish, pmdp_invalidate: atomic exchange
  | 'access-flags' // ptep_set_access_flags: may only make the entry more permissive
  | 'clean' // clear_young_dirty_ptes (MADV_FREE): drops dirty on purpose
  | 'read'; // ptep_get: no write at all

export type EventKind = 'tlb-flush' | 'tlb-flush-local';

export interface EventSpec {
  readonly event: EventKind;
  /** page | pmd | pud | range | mm */
  readonly scope: string;
  /** DSL expression; the event happens only where it holds. */
  readonly when?: string;
}

/** A property of the input a helper must keep; checked where it is applied. */
export type Law = 'dirty' | 'softdirty' | 'uffd_wp' | 'not-write';

export interface HelperDef {
  /** Name; `{l}` stands for pte/pmd/pud and expands per level in `levels`. */
  readonly name: string;
  readonly levels?: readonly Level[];
  readonly kind: HelperKind;
  /**
   * Parameter names; kinds inferred from the name (KIND_BY_NAME) or given as
   * `name:kind`; `@name` is implicit context, not a C argument.
   */
  readonly params: string;
  /** DSL statements (modifier, constructor, inplace) or an expression (predicate). */
  readonly effect: string;
  /**
   * Modifiers the kernel called with a pointer (`make_migration_entry_read(&entry)`, before 5.14):
   * the result is stored back where the pointer points.
   */
  readonly writesBack?: boolean;
  /** For constructors: what is built (default: an entry of the helper's level). */
  readonly builds?: 'entry' | 'swp' | 'prot';
  /** In-place: the slot parameter, what is returned, what is emitted. */
  readonly slot?: string;
  readonly install?: InstallKind;
  /** In-place: `old` (the slot's previous value), `void`, or a DSL expression. */
  readonly returns?: string;
  readonly events?: readonly EventSpec[];
  /** [since, until) kernel versions where this row is the semantics. */
  readonly since?: string;
  readonly until?: string;
  /** Config symbol the row needs; without it the row `absent` applies. */
  readonly needs?: string;
  /** Behaviour when `needs` is not enabled: the generic stub. */
  readonly absent?: 'identity' | 'false' | 'undefined';
  /** SEMANTICS.md section (and kernel function) the row implements. */
  readonly section: string;
  /** One line for hovers, in the reader's terms; the effect is shown beside it. */
  readonly summary: string;
  readonly keeps?: readonly Law[];
  /** Other names the kernel used for this helper (historical or 6.19 softleaf), same semantics. */
  readonly aliases?: readonly { name: string; since?: string; until?: string }[];
}

export interface NotApplicable {
  readonly name: string;
  readonly levels?: readonly Level[];
  readonly reason: string;
}

const KIND_BY_NAME: Readonly<Record<string, ParamKind>> = {
  pte: 'entry', pmd: 'entry', pud: 'entry', entry: 'entry', orig: 'entry', old_pte: 'entry', pteval: 'entry',
  a: 'entry', b: 'entry', oldpte: 'entry', newpte: 'entry',
  swp: 'swp', leaf: 'swp',
  prot: 'prot', newprot: 'prot',
  vma: 'vma', vm_flags: 'vmflags', mm: 'mm', folio: 'folio', page: 'folio',
  ptep: 'slot', pmdp: 'slot', pudp: 'slot',
  dirty: 'bool', full: 'bool', write: 'bool',
  m: 'flags', cp_flags: 'flags', flags: 'flags',
};

export function parseParams(spec: string): Param[] {
  if (spec.trim() === '') return [];
  return spec.split(/[\s,]+/).filter(Boolean).map((item) => {
    const implicit = item.startsWith('@');
    const [name, kind] = item.replace(/^@/, '').split(':') as [string, string | undefined];
    return { name, kind: (kind as ParamKind | undefined) ?? KIND_BY_NAME[name] ?? 'opaque', implicit };
  });
}

/** A bit of an architecture's entry and when it exists. */
export interface BitDef {
  readonly name: string;
  readonly meaning: string;
  readonly since?: string;
  readonly until?: string;
  /** Config symbol without which the mask is 0. */
  readonly needs?: string;
}

/** Everything the simulator knows about one architecture, as data. */
export interface ArchTable {
  readonly arch: string;
  readonly source: string;
  readonly bits: readonly BitDef[];
  /** Which non-present carry/payload fields the arch encodes. */
  readonly softleafBits: readonly BitDef[];
  readonly helpers: readonly HelperDef[];
  /** Helpers of SEMANTICS §2 that this architecture does not have, and why. */
  readonly notApplicable: readonly NotApplicable[];
}
