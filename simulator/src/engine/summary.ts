// Function summaries (docs/simulator.md "Summaries"): what a function does to its inputs —
// the entries and slots it is given, the facts of the VMA/folio/mm/flags it is given, the TLB
// and dirty state of its caller's path — and the hazards it may cause, each with the condition
// on those inputs under which it happens. A summary is computed once, in the function's own
// solver, and taken out as plain data (portable formulas), so any caller, in any solver, on any
// thread, or read back from disk, applies it by functional composition: the caller's values
// replace the inputs. A hazard that depends on what the caller passes is therefore judged with
// the caller's facts at each call, and only what survives to a function without callers is
// reported.

import type { Bool, PortableFormulas } from '../sym';
import type { Level } from '../model/forms';
import type { EntryValue, ValueKind } from '../model/value';
import type { Severity } from '../hazards/catalogue';
import type { IrType, SourceRange } from '../ir';
import type { Finding } from './results';
import type { ObjectKind } from './values';

/** What a variable of a summary stands for in its caller. */
export type InputRef =
  /** A bit of an entry/swp/prot parameter (`field` is a layout field or `is_<form>`). */
  | { readonly kind: 'param-value'; readonly param: number; readonly field: string }
  /** Whether the caller cleared a bit on purpose in the entry it passes (`fact`: an install fact, `uffd_wp_cleared`). */
  | { readonly kind: 'param-cleared'; readonly param: number; readonly fact: string }
  /** A bit of the entry a slot parameter (or a slot member of a parameter, `vmf->pte`) holds on entry. */
  | { readonly kind: 'param-slot'; readonly param: number; readonly member?: string; readonly field: string }
  /** A bit of the entry a member of a parameter holds on entry (`vmf->orig_pte`). */
  | { readonly kind: 'param-member'; readonly param: number; readonly member: string; readonly field: string }
  /** Whether a slot member holds the fault's copy of it (`pte_same(ptep_get(vmf->pte), vmf->orig_pte)`): the caller compares its own two. */
  | { readonly kind: 'fault-same'; readonly param: number; readonly level: 'pte' | 'pmd' }
  /** Whether the caller has read or written that slot (transition rules need the old value). */
  | { readonly kind: 'param-observed'; readonly param: number; readonly member?: string }
  /** Whether that pointer is a page-table slot, not a pointer to the caller's local copy (`&pte`). */
  | { readonly kind: 'param-in-table'; readonly param: number }
  /** A boolean parameter, or an integer one used as a condition. */
  | { readonly kind: 'param-bool'; readonly param: number }
  /** Whether an integer parameter is below `below` (integers.ts). */
  | { readonly kind: 'param-below'; readonly param: number; readonly below: number }
  /** Whether a lock parameter is a page-table lock (its caller's walker returned it). */
  | { readonly kind: 'param-lock'; readonly param: number }
  /** A fact of a context object (`vma.VM_WRITE`, `cp.MM_CP_UFFD_WP`); bound to a parameter when one has that name. */
  | { readonly kind: 'fact'; readonly prefix: string; readonly fact: string }
  /** The caller's path state at the call. */
  | { readonly kind: 'state'; readonly which: StateInput };

export type StateInput = 'downgrade' | 'flush_pending' | 'folio_dirtied' | 'folio_exclusive';

export const STATE_VARIABLE: Readonly<Record<StateInput, string>> = {
  downgrade: 'caller.downgrade_unflushed',
  flush_pending: 'caller.flush_pending',
  folio_dirtied: 'caller.folio_dirtied',
  folio_exclusive: 'caller.folio_exclusive',
};

/** An entry value as indices into the summary's formula roots. */
export interface PortableEntry {
  readonly kind: ValueKind;
  readonly level: Level;
  readonly bits: readonly number[];
}

export type PortableValue =
  | { readonly kind: 'entry'; readonly entry: PortableEntry }
  | { readonly kind: 'bool'; readonly bit: number }
  /** The slot a slot parameter points to (`nonNull`: where it is not NULL, for functions that may return NULL). */
  | { readonly kind: 'param-slot'; readonly param: number; readonly nonNull?: number }
  /** A slot the function found itself (a table it mapped): new to the caller. */
  | { readonly kind: 'slot'; readonly name: string; readonly level: Level; readonly value: PortableEntry; readonly live: PortableEntry; readonly nonNull?: number }
  | { readonly kind: 'object'; readonly object: ObjectKind; readonly name: string; readonly param?: number; readonly nonNull?: number; readonly pageTable?: number }
  | { readonly kind: 'unknown' };

/** One call on the way from a summary's function down to where a hazard happens. */
export interface CallStep {
  readonly function: string;
  /** The file of `function` when it is not the analysed document. */
  readonly file?: string;
  readonly range: SourceRange;
  readonly callee: string;
}

/** A hazard the function causes under `condition` (over its inputs). */
export interface Obligation {
  readonly rule: string;
  readonly severity: Severity;
  readonly condition: number;
  /** The slot parameter the offending install writes: no hazard when the caller passes a local copy. */
  readonly installsInto?: { readonly param: number; readonly member?: string };
  /** The finding as it looked where it happened (its function, file, line, path and trace). */
  readonly finding: Finding;
  /** From the summary's function down to where it happened (empty: in the function itself). */
  readonly via: readonly CallStep[];
}

export interface FunctionSummary {
  readonly name: string;
  /** The file the function is defined in, when it is not the analysed document. */
  readonly file?: string;
  readonly profile: string;
  readonly params: readonly { readonly name: string; readonly type: IrType }[];
  /** Variables that are inputs, by name; every other variable is the function's own (fresh at each call). */
  readonly inputs: readonly (readonly [string, InputRef])[];
  /** Fact prefixes that name a parameter (`dst_vma` → its index, `cp` → the cp_flags parameter). */
  readonly factParams: Readonly<Record<string, number>>;
  readonly formulas: PortableFormulas;
  readonly returned?: PortableValue;
  /** What slot parameters (or slot members of parameters) hold when it returns. */
  readonly slots: readonly { readonly param: number; readonly member?: string; readonly value: PortableEntry; readonly live: PortableEntry; readonly observed: number }[];
  /** Members of parameters it assigned (`vmf->orig_pte`, `vmf->pte`). */
  readonly members: readonly { readonly param: number; readonly member: string; readonly value: PortableValue }[];
  readonly state: Readonly<Record<StateInput, number>>;
  /** What holds of the function's own unknowns that its results mention (invariants of entries it read). */
  readonly constraint: number;
  readonly obligations: readonly Obligation[];
  readonly touchesEntries: boolean;
  /** Calls it made that nothing models, for the caller's notes. */
  readonly notModelled: readonly string[];
  /** Bounds its exploration hit (then its effects are those of the paths explored). */
  readonly boundsHit: readonly string[];
}

/** Summaries of the functions a call may reach, by name. */
export interface SummaryLookup {
  get(name: string): FunctionSummary | undefined;
}

export const NO_SUMMARIES: SummaryLookup = { get: () => undefined };

/** Whether a summary changes nothing a caller tracks: calling it is like calling an unknown pure function. */
export function isInert(summary: FunctionSummary): boolean {
  return !summary.touchesEntries && summary.obligations.length === 0 && summary.slots.length === 0 && summary.members.length === 0;
}

/** An entry value's bits as portable roots. */
export function portableEntry(value: EntryValue, roots: Bool[]): PortableEntry {
  const bits: number[] = [];
  for (const bit of value.bits) {
    bits.push(roots.length);
    roots.push(bit);
  }
  return { kind: value.kind, level: value.level, bits };
}
