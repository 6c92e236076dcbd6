// Symbolic execution of one function's CFG over a profile: forks where both
// branch outcomes are satisfiable, applies helpers from the tables, tracks
// page-table slots, checks the hazard rules at installs, and records every
// path's decisions and events. Calls to functions with a summary apply the
// summary (summarize.ts); every bound is explicit and reported.
//
// The Executor holds what one function's analysis knows across its paths (inputs, context
// facts, provenance of entries, findings) and dispatches calls; each concern is a module of
// functions taking it: expressions.ts, installs.ts, eventCalls.ts, helperCalls.ts, paths.ts.

import type { Bool } from '../sym';
import type { FactSource } from '../model/context';
import { isEnabled, parseProfile, type Profile } from '../model/profile';
import { helperSetFor } from '../helpers/registry';
import type { Form, Level } from '../model/forms';
import type { EntryValue, ValueKind } from '../model/value';
import type { InstallKind } from '../helpers/types';
import type { EntryContext, RuleHit } from '../hazards/check';
import type { IrExpr, IrFunction, SourceRange } from '../ir';
import { printExpr } from '../irPrint';
import type { Simulator } from '../simulator';
import { ASSERTIONS, EVENT_FUNCTIONS, TRANSPARENT_FUNCTIONS, type ClearedOnPurpose } from './events';
import { PathState } from './state';
import type { InputRef, Obligation, SummaryLookup } from './summary';
import { applySummary } from './summarize';
import { COUNTS, orderInvariant } from './integers';
import { PFN_OF, ZERO_PFN_TESTS, pfnOf, zeroPfnTest } from './pfns';
import { MADE_UNKNOWN, type Value } from './values';
import { anyFlag } from './flagSets';
import * as eventCalls from './eventCalls';
import * as expressions from './expressions';
import { exactOf } from './expressions';
import * as helperCalls from './helperCalls';
import * as installs from './installs';
import type { InstallOptions } from './installs';
import * as paths from './paths';
import type { FinishedPath } from './paths';
import type { FaultInputs } from './structMembers';

export interface EngineBounds {
  readonly maxPaths: number;
  readonly maxStepsPerPath: number;
  readonly maxLoopUnroll: number;
  /** New BDD nodes the conjunction of a summary's invariants may take before each entry keeps its own (summarize.ts). */
  readonly maxSummaryInvariantNodes: number;
}

export const DEFAULT_BOUNDS: EngineBounds = { maxPaths: 256, maxStepsPerPath: 20000, maxLoopUnroll: 2, maxSummaryInvariantNodes: 200_000 };

/** Calls the engine gives meaning to on a profile: its helpers, the event functions and the assertions. */
export function modelledCalls(profile: Profile | string): (name: string) => boolean {
  const set = helperSetFor(typeof profile === 'string' ? parseProfile(profile) : profile);
  return (name) => set.has(name) || name in EVENT_FUNCTIONS || TRANSPARENT_FUNCTIONS.has(name) || name in ASSERTIONS || name in PFN_OF || ZERO_PFN_TESTS.has(name);
}

type RawRule = { readonly id: string; readonly severity: 'error' | 'warning' | 'information'; readonly message: string };

/** A rule hit on a path, before deduplication. */
export interface RawFinding {
  readonly hit: RuleHit | { readonly rule: RawRule; readonly condition: Bool };
  readonly range: SourceRange;
  readonly state: PathState;
  readonly shown?: EntryValue;
  readonly message?: string;
  readonly wouldBeInstalled?: boolean;
  /** The install wrote a slot the function was given: no hazard if the caller passed a local copy. */
  readonly installsInto?: { readonly param: number; readonly member?: string };
  /** A callee's hazard that can happen at this call (its finding and path are the callee's). */
  readonly imported?: { readonly obligation: Obligation; readonly callee: string };
}

export interface CallRecord {
  readonly range: SourceRange;
  readonly callee: string;
  readonly state: PathState;
  readonly before?: EntryValue;
  readonly after?: EntryValue;
}

export class Executor {
  readonly findings: RawFinding[] = [];

  readonly calls: CallRecord[] = [];

  readonly notModelled = new Set<string>();

  readonly boundsHit = new Set<string>();

  touchesEntries = false;

  pathCount = 0;

  /** Assumptions the engine made about the function's inputs, for the findings' `assumptions`. */
  readonly assumed = new Set<string>();

  /** How many unknowns each opaque condition's text has had (their names count up). */
  private readonly opaqueUses = new Map<string, number>();

  /** Entries a helper made without a bit on purpose ({l}_mkclean …), with those bits as install facts. */
  readonly clearedOnPurpose = new WeakMap<EntryValue, ClearedOnPurpose>();

  /** The unknown of an opaque condition where it is written, shared by the paths that meet it there. */
  private readonly sharedOpaques = new Map<string, Bool>();

  private freshCounter = 0;

  /** The variables that stand for the function's inputs (everything else is its own). */
  readonly inputs = new Map<string, InputRef>();

  /** Parameter index by name, for inputs read through a parameter. */
  readonly paramIndex = new Map<string, number>();

  /** Fact prefixes that name a parameter (`dst_vma`, `cp` for cp_flags). */
  readonly factParams = new Map<string, number>();

  /** Slots the function was given that it found through a parameter (`vmf->pte`): a root assumes the kernel's invariants of them. */
  readonly memberSlots: Array<{ readonly value: EntryValue; readonly level: Level; readonly observed: Bool }> = [];

  /** What the slot members of a vmf the function was given held on entry, and the vmf's copies of them (structMembers.ts). */
  readonly faultInputs = new Map<string, FaultInputs>();

  /** Those whose copy the function read: a root assumes the copy is what the slot held. */
  readonly faultCopies: FaultInputs[] = [];

  /** Variables declared as pointers to entries (`pte_t *ptep`), with the level they point at. */
  readonly pointerLocals = new Map<string, Level>();

  /** The VMA installs are judged against: the function's one VMA parameter, else `vma`. */
  targetVma = 'vma';

  private readonly factSources = new Map<string, FactSource>();

  constructor(
    readonly sim: Simulator,
    readonly fn: IrFunction,
    readonly summaries: SummaryLookup,
    readonly bounds: EngineBounds,
    readonly enabledRules: ReadonlySet<string> | undefined,
    readonly isCancelled: () => boolean,
    /** Functions known to be unable to touch entries (no summary needed to call them). */
    readonly entryFree: (name: string) => boolean = () => false,
  ) {
    for (const param of fn.params) if (param.type.kind === 'slot') this.pointerLocals.set(param.name, param.type.level);
    for (const block of fn.blocks) for (const statement of block.statements) if (statement.kind === 'declare' && statement.type.kind === 'slot') this.pointerLocals.set(statement.name, statement.type.level);
  }

  get alg() {
    return this.sim.alg;
  }

  /** The facts of a context object; each one used is an input of the function's summary. */
  facts(prefix: string): FactSource {
    let source = this.factSources.get(prefix);
    if (!source) {
      const symbolic = this.sim.facts(prefix);
      source = {
        fact: (name) => {
          const value = symbolic.fact(name);
          if (value !== this.alg.FALSE) this.inputs.set(`${prefix}.${name}`, { kind: 'fact', prefix, fact: name });
          return value;
        },
      };
      this.factSources.set(prefix, source);
    }
    return source;
  }

  /** The VMA and folio the function's entries belong to (one of each is modelled). */
  entryContext() {
    return { vma: this.facts(this.targetVma), folio: this.facts('folio') };
  }

  /** Entries built from a VMA's protection (`dst_vma->vm_page_prot`), and helpers' results from them: meant for that VMA. */
  readonly builtFor = new WeakMap<EntryValue, string>();

  /**
   * Entries the engine could not follow the making of (what a call it did not follow returned or
   * wrote), and what helpers made of them: what they hold says nothing of what the code did, so no
   * transition rule judges an install of one. A name it has no definition for (a variable declared
   * outside a hunk) is not one of them: it stands for an entry read from the table.
   */
  readonly unfollowed = new WeakSet<EntryValue>();

  /** `to` is `from` stored elsewhere (set_pte_at copies its entry): what the code meant by `from`, it means by `to`. */
  copyProvenance(from: EntryValue, to: EntryValue): void {
    const cleared = this.clearedOnPurpose.get(from);
    if (cleared) this.clearedOnPurpose.set(to, cleared);
    const meantFor = this.builtFor.get(from);
    if (meantFor !== undefined) this.builtFor.set(to, meantFor);
    if (this.unfollowed.has(from)) this.unfollowed.add(to);
  }

  /** Entries as read from a page table, not yet changed by the function. */
  readonly fromTable = new WeakSet<EntryValue>();

  /** Whether `value` is an entry as it was read from a page table. */
  isFromTable(value: EntryValue): boolean {
    return this.fromTable.has(value);
  }

  /** `value` is what a slot the function was given held: read from a page table by the caller. */
  markFromTable(value: EntryValue): void {
    this.fromTable.add(value);
  }

  /** A fresh entry read from the page table: the kernel's invariants (in `context`, by default the function's VMA) are assumed of it. */
  freshEntry(state: PathState, name: string, level: Level, kind: ValueKind = 'entry', context: EntryContext = this.entryContext()): EntryValue {
    const value = this.sim.entry(name, level, kind === 'entry' ? {} : { kind });
    if (kind === 'entry') {
      this.fromTable.add(value);
      state.assumeInvariant(this.alg, this.sim.hazards.readInvariant(this.alg, level, value, context));
      this.touchesEntries = true;
    }
    return value;
  }

  newSlot(state: PathState, name: string, level: Level, value?: EntryValue): Extract<Value, { kind: 'slot' }> {
    const initial = value ?? this.freshEntry(state, name, level);
    state.slots = [...state.slots, { name, level, value: initial, live: initial, observed: this.alg.FALSE }];
    return { kind: 'slot', slot: state.slots.length - 1, level };
  }

  nextFresh(): number {
    return ++this.freshCounter;
  }

  /** The value as a condition. */
  /** `at`: where the condition is written, when it is (paths that meet it there share its unknown). */
  truth(state: PathState, value: Value, text: string, at?: SourceRange): Bool {
    switch (value.kind) {
      case 'bool':
        return value.value;
      case 'flag-set':
        return anyFlag(this.alg, value);
      case 'slot':
      case 'object':
        return value.nonNull ?? this.opaque(state, `${text} != NULL`, at);
      default:
        return this.opaque(state, text, at);
    }
  }

  /**
   * An unknown named by source text; a later assignment to a name in it makes it a new
   * unknown. Where the condition is written (`at`), every path that first meets it there with
   * the same names unchanged gets the same unknown: paths are disjoint, and two that took its
   * two outcomes and meet again can go on as one (x or not x is true). Elsewhere each path gets
   * its own: a variable first used on this path is the newest, which is what keeps conjoining
   * it onto the path's condition cheap (see sym/bdd.ts). An integer parameter tested as it came
   * (`if (dirty)`) is an input: the caller's value.
   */
  opaque(state: PathState, text: string, at?: SourceRange): Bool {
    const key = this.opaqueKey(state, text);
    const pristine = key === text;
    const known = state.opaques.get(key);
    if (known !== undefined) return known;
    const place = at ? `${key}@${at.start.line}:${at.start.character}` : undefined;
    let unknown = place !== undefined ? this.sharedOpaques.get(place) : undefined;
    if (unknown === undefined) {
      const uses = (this.opaqueUses.get(text) ?? 0) + 1;
      this.opaqueUses.set(text, uses);
      const name = uses === 1 ? text : `${text}#${uses - 1}`;
      const param = pristine ? this.paramIndex.get(text) : undefined;
      unknown = this.alg.variable(name, param !== undefined ? 'context' : 'newest-first');
      if (param !== undefined) this.inputs.set(name, { kind: 'param-bool', param });
      if (place !== undefined) this.sharedOpaques.set(place, unknown);
    }
    state.opaques.set(key, unknown);
    return unknown;
  }

  /**
   * The unknown "term < k" for an integer the path does not know (see integers.ts): on first
   * use tied to those already made for the same term on this path. For a parameter as it came,
   * an input: the caller's own comparison of its argument.
   */
  below(state: PathState, term: IrExpr, value: Value, k: number): Bool {
    const exact = exactOf(value);
    if (exact !== undefined) return this.alg.constant(exact < k);
    const termText = printExpr(term);
    const text = `${termText} < ${k}`;
    const key = this.opaqueKey(state, text);
    const known = state.opaques.get(key);
    if (known !== undefined) return known;
    const param = term.kind === 'var' && key === text ? this.paramIndex.get(term.name) : undefined;
    let atom: Bool;
    if (param !== undefined) {
      atom = this.alg.variable(`${text}⟨${this.fn.name}⟩`, 'context');
      this.inputs.set(`${text}⟨${this.fn.name}⟩`, { kind: 'param-below', param, below: k });
      state.opaques.set(key, atom);
    } else {
      atom = this.opaque(state, text);
    }
    const suffix = key.slice(text.length);
    const prefix = `${termText} < `;
    const siblings: Array<readonly [number, Bool]> = [];
    for (const [other, unknown] of state.opaques) {
      if (other === key || !other.startsWith(prefix) || !other.endsWith(suffix)) continue;
      const c = Number(other.slice(prefix.length, other.length - suffix.length));
      if (Number.isInteger(c)) siblings.push([c, unknown]);
    }
    const integer = value.kind === 'bool' ? value.integer : undefined;
    let invariant = orderInvariant(this.alg, k, atom, siblings, integer);
    // a term that is zero is below every positive constant and no other
    if (value.kind === 'bool' && value.value !== this.alg.TRUE) invariant = this.alg.and(invariant, this.alg.implies(this.alg.not(value.value), k > 0 ? atom : this.alg.not(atom)));
    if (invariant !== this.alg.TRUE) state.assumeInvariant(this.alg, invariant);
    return atom;
  }

  /** An opaque condition's key on this path: its text, and the versions of its names once one was assigned. */
  private opaqueKey(state: PathState, text: string): string {
    const names = text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
    const versions = names.map((n) => state.versions.get(n) ?? 0);
    return versions.every((v) => v === 0) ? text : `${text}@${versions.join('.')}`;
  }

  /**
   * A value over fresh unknowns, each of them an input bound by `ref`. Inputs go on top of the
   * variable order with the context facts: what a root assumes of them is conjoined at the
   * end, onto conditions built since, and that is cheap only from above.
   */
  inputValue(name: string, level: Level, kind: ValueKind, ref: (field: string) => InputRef, forms?: readonly Form[]): EntryValue {
    return this.inputValues([name], level, kind, [ref], forms)[0]!;
  }

  /** Input values whose unknowns are side by side (Simulator.entries), for inputs that are compared. */
  inputValues(names: readonly string[], level: Level, kind: ValueKind, refs: ReadonlyArray<(field: string) => InputRef>, forms?: readonly Form[]): EntryValue[] {
    const values = this.sim.entries(names, level, { kind, placement: 'context', ...(forms ? { forms } : {}) });
    values.forEach((value, n) => {
      for (const bit of value.bits) {
        for (const variable of this.alg.support(bit)) this.inputs.set(variable, refs[n]!(variable.slice(names[n]!.length + 1)));
      }
    });
    return values;
  }

  /**
   * The folio as this path left it: dirty also after folio_mark_dirty, an exclusive anonymous
   * page after folio_add_new_anon_rmap(…, RMAP_EXCLUSIVE).
   */
  withDirtied(state: PathState): FactSource {
    const folio = this.facts('folio');
    return {
      fact: (name) =>
        name === 'dirty'
          ? this.alg.or(folio.fact('dirty'), state.folioDirtied)
          : name === 'exclusive' || name === 'anon'
            ? this.alg.or(folio.fact(name), state.folioExclusive)
            : folio.fact(name),
    };
  }

  record(state: PathState, hit: RawFinding['hit'], range: SourceRange, shown?: EntryValue, extra: Partial<RawFinding> = {}): void {
    if (this.enabledRules && !this.enabledRules.has(hit.rule.id)) return;
    if (!this.alg.intersects(state.condition, hit.condition)) return;
    this.findings.push({ hit, range, state: state.clone(), ...(shown ? { shown } : {}), ...extra });
  }

  call(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>): Value {
    const name = expr.callee;
    if (TRANSPARENT_FUNCTIONS.has(name) && expr.args.length > 0) return this.evaluate(state, expr.args[0]!);
    if (name === 'IS_ENABLED' && expr.args[0]?.kind === 'constant') {
      return { kind: 'bool', value: this.alg.constant(isEnabled(this.sim.profile, expr.args[0].name)) };
    }
    const assertion = ASSERTIONS[name];
    if (assertion !== undefined) return eventCalls.assertion(this, state, expr, assertion);
    const event = EVENT_FUNCTIONS[name];
    if (event) return eventCalls.eventCall(this, state, expr, event);
    if (this.sim.has(name)) return helperCalls.helperCall(this, state, expr, this.sim.helper(name));
    const pfnLevel = PFN_OF[name];
    if (pfnLevel) return pfnOf(this, state, expr, pfnLevel);
    if (ZERO_PFN_TESTS.has(name)) return zeroPfnTest(this, state, expr);
    const count = COUNTS[name];
    if (count !== undefined) return { kind: 'bool', value: this.alg.TRUE, integer: { min: count } };
    const summary = this.summaries.get(name);
    if (summary) return applySummary(this, state, expr, summary);
    if (this.entryFree(name)) return this.entryFreeCall(state, expr);
    return this.unknownCall(state, expr);
  }

  /** A fact of the mm on this path: `mmap_write_locked` also where the path took the lock itself. */
  mmFact(state: PathState, mm: FactSource, name: string): Bool {
    return name === 'mmap_write_locked' ? this.alg.or(state.mmapWriteLocked, mm.fact(name)) : mm.fact(name);
  }

  /** A function that cannot touch entries: only its result and out-parameters are unknown. */
  private entryFreeCall(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>): Value {
    for (const arg of expr.args) {
      this.evaluate(state, arg);
      this.forgetOutParameter(state, arg);
    }
    return MADE_UNKNOWN(printExpr(expr));
  }

  /** `&local` passed to a call the engine does not follow: the local may hold anything after it. */
  forgetOutParameter(state: PathState, arg: IrExpr): void {
    if (arg.kind !== 'address-of' || arg.operand.kind !== 'var') return;
    // a local structure handed on (`&pvmw`): its members may point elsewhere after it
    const base = arg.operand.name;
    for (const key of [...state.locals.keys()]) if (key.startsWith(`${base}.`)) state.locals.delete(key);
    state.locals.set(arg.operand.name, MADE_UNKNOWN(`${arg.operand.name}#${this.nextFresh()}`));
    state.touch(arg.operand.name);
  }

  /** A call whose effects are unknown; `evaluated` are its arguments when the caller has evaluated them already. */
  unknownCall(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, evaluated?: ReadonlyArray<Value | undefined>): Value {
    const why = this.sim.set.whyMissing(expr.callee);
    this.notModelled.add(why ? `${expr.callee} (${why})` : expr.callee);
    for (const [i, arg] of expr.args.entries()) {
      const value = evaluated?.[i] ?? this.evaluate(state, arg);
      if (value.kind === 'slot') {
        const current = state.slots[value.slot]!;
        const fresh = this.freshEntry(state, `${current.name}#${this.nextFresh()}`, current.level);
        state.slots = state.slots.map((s, i) => (i === value.slot ? { ...s, value: fresh, live: fresh, observed: this.alg.FALSE } : s));
      }
      this.forgetOutParameter(state, arg);
    }
    return MADE_UNKNOWN(printExpr(expr));
  }

  // ---- what the concern modules call of each other, through the executor ----

  evaluate(state: PathState, expr: IrExpr): Value {
    return expressions.evaluate(this, state, expr);
  }

  field(state: PathState, expr: Extract<IrExpr, { kind: 'field' }>): Value {
    return expressions.field(this, state, expr);
  }

  readSlot(state: PathState, slot: number, range: SourceRange): Value {
    return installs.readSlot(this, state, slot, range);
  }

  install(state: PathState, slot: number, next: EntryValue, kind: InstallKind, range: SourceRange, detail: string, given: InstallOptions = {}): void {
    return installs.install(this, state, slot, next, kind, range, detail, given);
  }

  assumeDomain(state: PathState, callee: string, entry: EntryValue, at?: SourceRange): void {
    return installs.assumeDomain(this, state, callee, entry, at);
  }

  kernelMm(mm: Value | undefined): Bool {
    return eventCalls.kernelMm(this, mm);
  }

  pageTableLock(lock: Value | undefined, expr: IrExpr | undefined): Bool {
    return eventCalls.pageTableLock(this, lock, expr);
  }

  freshOpaqueValue(state: PathState, text: string, kind: 'entry' | 'swp' | 'prot', level: Level, context?: EntryContext): EntryValue {
    return helperCalls.freshOpaqueValue(this, state, text, kind, level, context);
  }

  assign(state: PathState, target: IrExpr, value: Value, range: SourceRange): void {
    return paths.assign(this, state, target, value, range);
  }

  explore(fn: IrFunction, initial: PathState): FinishedPath[] {
    return paths.explore(this, fn, initial);
  }
}

export { STATE_RULE } from './paths';
export type { FinishedPath, InstallOptions };
export { UNKNOWN_PROT_ASSUMPTION } from './helperCalls';
