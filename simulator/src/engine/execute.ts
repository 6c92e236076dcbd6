// Symbolic execution of one function's CFG over a profile: forks where both
// branch outcomes are satisfiable, applies helpers from the tables, tracks
// page-table slots, checks the hazard rules at installs, and records every
// path's decisions and events. Calls to functions with a summary apply the
// summary (summarize.ts); every bound is explicit and reported.

import { BddLimitError, type Bool } from '../sym';
import type { FactSource } from '../model/context';
import { isEnabled, parseProfile, type Profile } from '../model/profile';
import { helperSetFor } from '../helpers/registry';
import { SOFTLEAF_FORMS, type Form, type Level } from '../model/forms';
import { selectValue, type EntryValue, type ValueKind } from '../model/value';
import type { ArgValue, CompiledHelper } from '../helpers/compile';
import type { InstallKind, Param } from '../helpers/types';
import type { EntryContext, RuleHit } from '../hazards/check';
import type { BlockId, IrBlock, IrExpr, IrFunction, IrStatement, SourceRange, StateAnnotation } from '../ir';
import { printExpr } from '../irPrint';
import type { Simulator } from '../simulator';
import { ASSERTIONS, CLEARS_ON_PURPOSE, DEBUG_ONLY_ASSERTIONS, EVENT_FUNCTIONS, FAULT_COPY_MEMBERS, FLAG_GROUPS, faultCopyMember, PAGE_TABLE_LOCK_FIELDS, SLOT_MEMBERS, TRANSPARENT_FUNCTIONS, type ClearedBit, type EventFunction } from './events';
import { PathState, type Decision, type SlotState } from './state';
import { blockOrder, loopBodies, type LoopBodies } from './loops';
import type { InputRef, Obligation, SummaryLookup } from './summary';
import { applySummary } from './summarize';
import { COMPARISONS, COUNTS, POSITIVE_SIZES, compareExact, compareOffsets, compareWith, integerSum, joinIntegers, mirrored, orderInvariant, shifted, type Comparison, type IntegerFacts } from './integers';
import { MADE_UNKNOWN, UNKNOWN, canonicalVma, type Equalities, type Value } from './values';

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
  return (name) => set.has(name) || name in EVENT_FUNCTIONS || TRANSPARENT_FUNCTIONS.has(name) || name in ASSERTIONS;
}

export const UNKNOWN_PROT_ASSUMPTION = 'a pgprot_t the engine cannot follow is the VMA\'s vm_page_prot, as mm code maps user pages with';

/** Entries that modifiers like pte_mkwrite apply to (present, NUMA-hinting, invalidated huge). */
const LIVE_FORMS: readonly Form[] = ['present', 'protnone', 'invalid'];

export interface InstallOptions {
  /** ptep_set_access_flags: the entry that may only add permissions. */
  readonly accessFlagsEntry?: EntryValue;
  /** The entry the slot held before, when the API says so (commit's old_pte). */
  readonly previous?: EntryValue;
  /** Where the install's mm is the kernel's own (set_pte_at(&init_mm, …)). */
  readonly kernel?: Bool;
}

/** The install fact a transition rule reads for each bit cleared on purpose. */
const INSTALL_FACT_OF_CLEARED: Readonly<Record<ClearedBit, string>> = { dirty: 'cleaned', uffd_wp: 'uffd_wp_cleared', soft_dirty: 'soft_dirty_cleared' };

function isEntry(value: ArgValue): value is EntryValue {
  return typeof value === 'object' && value !== null && 'bits' in value;
}

/** ptep_modify_prot_commit(vma, addr, ptep, old_pte, pte): old_pte is what the transaction replaced. */
function commitOldValue(args: Readonly<Record<string, ArgValue>>): { previous?: EntryValue } {
  const old = args['old_pte'];
  return isEntry(old) ? { previous: old } : {};
}

type RawRule = { readonly id: string; readonly severity: 'error' | 'warning' | 'information'; readonly message: string };

/** A rule hit on a path, before deduplication. */
/** A vmf parameter's slot member on entry and the vmf's copy of what it held (`orig_pte`). */
export interface FaultInputs {
  /** The input that says whether the two are the same entry (pte_same). */
  readonly compared: string;
  readonly param: number;
  readonly value: EntryValue;
  readonly copy: EntryValue;
  readonly level: 'pte' | 'pmd';
}

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

/** A block a path is about to run, and the block it came from (for counting loop arrivals). */
interface WorkItem {
  readonly block: BlockId;
  readonly state: PathState;
  readonly from?: BlockId;
  /** What the merge at a join point compares, computed once (merging changes only the condition, guard and invariants). */
  signature?: string;
}

export interface FinishedPath {
  readonly state: PathState;
  readonly end: 'return' | 'fragment-end' | 'bound';
  readonly returned?: Value;
}

export class Executor {
  readonly findings: RawFinding[] = [];
  readonly calls: CallRecord[] = [];
  readonly notModelled = new Set<string>();
  readonly boundsHit = new Set<string>();
  touchesEntries = false;
  private pathCount = 0;
  /** Assumptions the engine made about the function's inputs, for the findings' `assumptions`. */
  readonly assumed = new Set<string>();
  /** How many unknowns each opaque condition's text has had (their names count up). */
  private readonly opaqueUses = new Map<string, number>();
  /** Entries a helper made without a bit on purpose ({l}_mkclean …), with those bits as install facts. */
  private readonly clearedOnPurpose = new WeakMap<EntryValue, ReadonlySet<string>>();
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
  /** What the slot members of a vmf the function was given held on entry, and the vmf's copies of them (`orig_pte`): inputs made side by side. */
  private readonly faultInputs = new Map<string, FaultInputs>();
  /** Those whose copy the function read: a root assumes the copy is what the slot held. */
  readonly faultCopies: FaultInputs[] = [];
  /** Variables declared as pointers to entries (`pte_t *ptep`), with the level they point at. */
  private readonly pointerLocals = new Map<string, Level>();
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

  // ---- context objects -------------------------------------------------------------------

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
  private readonly builtFor = new WeakMap<EntryValue, string>();

  /**
   * Entries the engine could not follow the making of (what a call it did not follow returned or
   * wrote), and what helpers made of them: what they hold says nothing of what the code did, so no
   * transition rule judges an install of one. A name it has no definition for (a variable declared
   * outside a hunk) is not one of them: it stands for an entry read from the table.
   */
  private readonly unfollowed = new WeakSet<EntryValue>();

  /** `to` is `from` stored elsewhere (set_pte_at copies its entry): what the code meant by `from`, it means by `to`. */
  private copyProvenance(from: EntryValue, to: EntryValue): void {
    const cleared = this.clearedOnPurpose.get(from);
    if (cleared) this.clearedOnPurpose.set(to, cleared);
    const meantFor = this.builtFor.get(from);
    if (meantFor !== undefined) this.builtFor.set(to, meantFor);
    if (this.unfollowed.has(from)) this.unfollowed.add(to);
  }

  /** Entries as read from a page table, not yet changed by the function. */
  private readonly fromTable = new WeakSet<EntryValue>();

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

  // ---- truth and expressions ---------------------------------------------------------------

  /** The value as a condition. */
  /** `at`: where the condition is written, when it is (paths that meet it there share its unknown). */
  truth(state: PathState, value: Value, text: string, at?: SourceRange): Bool {
    switch (value.kind) {
      case 'bool':
        return value.value;
      case 'flag-set':
        return this.alg.constant(value.names.length > 0);
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

  evaluate(state: PathState, expr: IrExpr): Value {
    switch (expr.kind) {
      case 'number':
        return { kind: 'bool', value: this.alg.constant(expr.value !== 0), integer: { exact: expr.value } };
      case 'bool':
        return { kind: 'bool', value: this.alg.constant(expr.value) };
      case 'constant':
        return this.constant(expr.name);
      case 'config':
        return { kind: 'bool', value: this.alg.constant(isEnabled(this.sim.profile, expr.symbol)) };
      case 'var': {
        const local = state.locals.get(expr.name);
        if (local && (local.kind === 'bool' || local.kind === 'unknown') && !local.integer?.from) {
          // an integer read as a local holds it: the base of what is computed from it
          return { ...local, integer: { ...local.integer, from: { base: `${expr.name}@${state.versions.get(expr.name) ?? 0}`, exact: 0 } } };
        }
        return local ?? CONVENTIONAL_OBJECTS[expr.name] ?? UNKNOWN(expr.name);
      }
      case 'cast':
        return this.evaluate(state, expr.operand);
      case 'field':
        return this.field(state, expr);
      case 'deref': {
        const pointer = this.evaluate(state, expr.pointer);
        if (pointer.kind === 'slot' && !expr.index) return this.readSlot(state, pointer.slot, expr.range);
        // a pointer to an entry the engine lost track of (`ptep++`), or a walk structure's slot
        // member (`*pvmw.pte`, `*vmf->pmd`), points at a slot all the same: kept for the path
        const level = expr.index ? undefined : expr.pointer.kind === 'var' ? this.pointerLocals.get(expr.pointer.name) : expr.pointer.kind === 'field' ? SLOT_MEMBERS[expr.pointer.field] : undefined;
        if (level && pointer.kind === 'unknown') {
          const given = this.givenMemberSlot(state, expr.pointer);
          if (given) return this.readSlot(state, given.slot, expr.range);
          const text = printExpr(expr.pointer);
          const slot = this.newSlot(state, `*${text}`, level);
          state.locals.set(text, slot);
          return this.readSlot(state, slot.slot, expr.range);
        }
        return UNKNOWN(printExpr(expr));
      }
      case 'address-of':
        return this.evaluate(state, expr.operand);
      case 'unary': {
        const operand = this.evaluate(state, expr.operand);
        // a negated constant is as nonzero as the constant (`return -EINVAL;`)
        if (expr.op === '-' && operand.kind === 'bool' && operand.integer?.exact !== undefined) return { kind: 'bool', value: operand.value, integer: { exact: -operand.integer.exact } };
        if ((expr.op === '-' || expr.op === '+') && (operand.kind === 'bool' || operand.kind === 'flag-set')) return operand;
        if (expr.op === '!') {
          const value = this.alg.not(this.truth(state, operand, printExpr(expr.operand), expr.operand.range));
          const eq = operand.kind === 'bool' ? operand.equalities : undefined;
          return eq ? { kind: 'bool', value, equalities: { whenTrue: eq.whenFalse, whenFalse: eq.whenTrue } } : { kind: 'bool', value };
        }
        return UNKNOWN(printExpr(expr));
      }
      case 'binary':
        return this.binary(state, expr);
      case 'ternary': {
        const condition = this.truth(state, this.evaluate(state, expr.condition), printExpr(expr.condition), expr.condition.range);
        const then = this.evaluate(state, expr.then);
        const otherwise = this.evaluate(state, expr.otherwise);
        if (then.kind === 'entry' && otherwise.kind === 'entry') return { kind: 'entry', value: selectValue(this.alg, condition, then.value, otherwise.value) };
        if (then.kind === 'bool' && otherwise.kind === 'bool') return { kind: 'bool', value: this.alg.ite(condition, then.value, otherwise.value) };
        return UNKNOWN(printExpr(expr));
      }
      case 'call':
        return this.call(state, expr);
      case 'opaque':
        return UNKNOWN(expr.text);
    }
  }

  /** What is known of a number added to an integer: its facts, or a size the kernel steps by. */
  private step(expr: IrExpr, value: Value): IntegerFacts | undefined {
    const known = integerOf(value);
    if (known?.exact !== undefined || known?.min !== undefined) return known;
    return expr.kind === 'constant' && POSITIVE_SIZES.has(expr.name) ? { min: 1 } : undefined;
  }

  private constant(name: string): Value {
    if (name === 'NULL') return { kind: 'bool', value: this.alg.FALSE };
    const helper = this.sim.set.get(name);
    if (helper?.def.kind === 'constructor' && helper.params.length === 0) return { kind: 'entry', value: this.sim.apply(name) };
    return { kind: 'flag-set', names: FLAG_GROUPS[name] ?? [name] };
  }

  field(state: PathState, expr: Extract<IrExpr, { kind: 'field' }>): Value {
    const key = printExpr(expr);
    const assigned = state.locals.get(key);
    if (assigned) return assigned;
    let base = this.evaluate(state, expr.base);
    // members only vm_area_struct has say what their base is, whatever the engine knew of it
    if (base.kind !== 'object' && VMA_MEMBERS.has(expr.field)) base = { kind: 'object', object: 'vma', name: canonicalVma(printExpr(expr.base)) };
    if (base.kind !== 'object' && (expr.field === 'vma' || expr.field === 'vm_mm' || PAGE_TABLE_LOCK_FIELDS.has(expr.field))) base = { kind: 'object', object: 'struct', name: printExpr(expr.base) };
    if (base.kind === 'object') {
      const value = this.objectField(state, base, expr.field, key);
      if (value) {
        state.locals.set(key, value);
        return value;
      }
    }
    return UNKNOWN(key);
  }

  private objectField(state: PathState, base: Extract<Value, { kind: 'object' }>, field: string, key: string): Value | undefined {
    const { object, name } = base;
    if (field === 'vma' || field === 'vm_area') return { kind: 'object', object: 'vma', name: 'vma' };
    if (field === 'vm_mm' || field === 'mm') return { kind: 'object', object: 'mm', name: 'mm' };
    if (PAGE_TABLE_LOCK_FIELDS.has(field)) return { kind: 'object', object: 'lock', name: key, pageTable: this.alg.TRUE };
    if (object === 'vma' && field === 'vm_flags') return { kind: 'flags', owner: name };
    if (object === 'vma' && field === 'vm_page_prot') {
      const prot = this.sim.apply('vm_page_prot', this.facts(name));
      this.builtFor.set(prot, name);
      return { kind: 'entry', value: prot };
    }
    if (object === 'vmf') {
      const copied = FAULT_COPY_MEMBERS[field];
      if (copied) {
        // a caller's copy may differ from what the slot holds when this function reads it (a
        // handler re-checks pte_same() under the lock); of a vmf of its own the two start as one value
        const param = this.paramIndex.get(name);
        if (param !== undefined) {
          const inputs = this.faultInputsOf(name, param, copied);
          if (!this.faultCopies.includes(inputs)) this.faultCopies.push(inputs);
          return { kind: 'entry', value: inputs.copy };
        }
        const slot = this.faultSlot(state, base, copied);
        return { kind: 'entry', value: state.slots[slot.slot]!.value };
      }
      if (field === 'pte' || field === 'pmd') return this.faultSlot(state, base, field);
      if (field === 'pud') return this.newSlot(state, `*${key}`, 'pud');
      if (field === 'flags') return { kind: 'flags', owner: 'vmf' };
    }
    return undefined;
  }

  /**
   * The slot a fault is about (`*vmf->pte` / `*vmf->pmd`), created once per path. For a
   * vmf the function was given, it is an input: what the caller's vmf points to.
   */
  private faultSlot(state: PathState, vmf: Extract<Value, { kind: 'object' }>, level: 'pte' | 'pmd'): Extract<Value, { kind: 'slot' }> {
    const slot = this.memberSlot(state, vmf.name, level, true);
    // the handler maps the same table at the fault's address again: the same slot
    if (level === 'pte') state.slotsByAddress.set(`pte|${vmf.name}->pmd|${vmf.name}->address`, slot.slot);
    return slot;
  }

  /**
   * The slot a slot member of a structure points at (`*pvmw->pmd`), created once per path. Of a
   * structure the function was given, not assigned on the path, it is an input: what the
   * caller's member points at (its `pvmw.pmd`, with what the caller knows of it).
   */
  private memberSlot(state: PathState, base: string, level: Level, fault = false): Extract<Value, { kind: 'slot' }> {
    const key = `${base}->${level}`;
    const existing = state.locals.get(key);
    if (existing?.kind === 'slot') return existing;
    const param = this.paramIndex.get(base);
    let slot: Extract<Value, { kind: 'slot' }>;
    if (param !== undefined && state.versions.get(key) === undefined) {
      const value = fault && level !== 'pud'
        ? this.faultInputsOf(base, param, level).value
        : this.inputValue(`*${key}`, level, 'entry', (field) => ({ kind: 'param-slot', param, member: level, field }));
      const observed = this.alg.variable(`*${key}.observed`, 'context');
      this.inputs.set(`*${key}.observed`, { kind: 'param-observed', param, member: level });
      state.slots = [...state.slots, { name: `*${key}`, level, value, live: value, observed, param: { param, member: level } }];
      if (!this.memberSlots.some((m) => m.observed === observed)) this.memberSlots.push({ value, level, observed });
      slot = { kind: 'slot', slot: state.slots.length - 1, level };
    } else {
      slot = this.newSlot(state, `*${key}`, level);
    }
    state.locals.set(key, slot);
    return slot;
  }

  /** A slot member of a structure the function was given (`pvmw->pmd`), not assigned on the path: its input slot. */
  private givenMemberSlot(state: PathState, pointer: IrExpr): Extract<Value, { kind: 'slot' }> | undefined {
    if (pointer.kind !== 'field' || !pointer.arrow || pointer.base.kind !== 'var') return undefined;
    const level = SLOT_MEMBERS[pointer.field];
    if (!level || !this.paramIndex.has(pointer.base.name) || state.versions.get(printExpr(pointer)) !== undefined) return undefined;
    return this.memberSlot(state, pointer.base.name, level);
  }

  /**
   * A slot member of a vmf the function was given compared with the vmf's copy of it: an input
   * of its own, which each caller answers by comparing its two (they may be far apart in its
   * variable order, where the comparison is too large to compose: see applySummary).
   */
  private faultComparison(a: EntryValue, b: EntryValue): Bool | undefined {
    const fault = [...this.faultInputs.values()].find((f) => (f.value === a && f.copy === b) || (f.value === b && f.copy === a));
    if (!fault) return undefined;
    this.inputs.set(fault.compared, { kind: 'fault-same', param: fault.param, level: fault.level });
    if (!this.faultCopies.includes(fault)) this.faultCopies.push(fault);
    return this.alg.variable(fault.compared, 'context');
  }

  /** The entries behind a vmf parameter's slot member and its copy of it, created once, side by side. */
  private faultInputsOf(vmf: string, param: number, level: 'pte' | 'pmd'): FaultInputs {
    const key = `${vmf}->${level}`;
    let inputs = this.faultInputs.get(key);
    if (!inputs) {
      const member = faultCopyMember(level);
      const [value, copy] = this.inputValues([`*${key}`, `${vmf}->${member}`], level, 'entry', [
        (field) => ({ kind: 'param-slot', param, member: level, field }),
        (field) => ({ kind: 'param-member', param, member, field }),
      ]);
      inputs = { compared: `*${key} same as its copy`, param, value: value!, copy: copy!, level };
      this.faultInputs.set(key, inputs);
    }
    return inputs;
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

  private binary(state: PathState, expr: Extract<IrExpr, { kind: 'binary' }>): Value {
    const left = this.evaluate(state, expr.left);
    const right = this.evaluate(state, expr.right);
    const text = printExpr(expr);
    const t = (v: Value, e: IrExpr) => this.truth(state, v, printExpr(e), e.range);
    const [a, b] = [exactOf(left), exactOf(right)];
    if (COMPARISONS.has(expr.op) && !(isZero(expr.left) || isZero(expr.right))) {
      const op = expr.op as Comparison;
      if (a !== undefined && b !== undefined) return { kind: 'bool', value: this.alg.constant(compareExact(op, a, b)) };
      const relative = compareOffsets(op, integerOf(left)?.from, integerOf(right)?.from);
      if (relative !== undefined) return { kind: 'bool', value: this.alg.constant(relative) };
      if (b !== undefined && isInteger(left)) return { kind: 'bool', value: compareWith(this.alg, op, b, (k) => this.below(state, expr.left, left, k)) };
      if (a !== undefined && isInteger(right)) return { kind: 'bool', value: compareWith(this.alg, mirrored(op), a, (k) => this.below(state, expr.right, right, k)) };
    }
    if (expr.op === '+' || expr.op === '-') {
      const sum = integerSum(expr.op, left, right);
      if (sum?.exact !== undefined) return { kind: 'bool', value: this.alg.constant(sum.exact !== 0), integer: sum };
      if (sum?.min !== undefined && sum.min > 0) return { kind: 'bool', value: this.alg.TRUE, integer: sum };
      // an address stepped on (`addr += PAGE_SIZE`) is known relative to where it was
      const from = shifted(expr.op, integerOf(left), this.step(expr.right, right)) ?? (expr.op === '+' ? shifted('+', integerOf(right), this.step(expr.left, left)) : undefined);
      if (from) return { kind: 'unknown', name: text, integer: { ...sum, from } };
    }
    // `pte + i` with i zero: the first entry of the range is the slot itself
    if ((expr.op === '+' || expr.op === '-') && left.kind === 'slot' && b === 0) return left;
    switch (expr.op) {
      case '&&': {
        const whenTrue = [...equalitiesOf(left).whenTrue, ...equalitiesOf(right).whenTrue];
        return { kind: 'bool', value: this.alg.and(t(left, expr.left), t(right, expr.right)), ...(whenTrue.length > 0 ? { equalities: { whenTrue, whenFalse: [] } } : {}) };
      }
      case '||': {
        const whenFalse = [...equalitiesOf(left).whenFalse, ...equalitiesOf(right).whenFalse];
        return { kind: 'bool', value: this.alg.or(t(left, expr.left), t(right, expr.right)), ...(whenFalse.length > 0 ? { equalities: { whenTrue: [], whenFalse } } : {}) };
      }
      case '&': {
        const flags = left.kind === 'flags' ? left : right.kind === 'flags' ? right : undefined;
        const set = left.kind === 'flag-set' ? left : right.kind === 'flag-set' ? right : undefined;
        if (flags && set) {
          const source = this.facts(flags.owner);
          return { kind: 'bool', value: this.alg.orAll(set.names.map((n) => source.fact(n))) };
        }
        if (left.kind === 'bool' && right.kind === 'bool') return { kind: 'bool', value: this.alg.and(left.value, right.value) };
        return UNKNOWN(text);
      }
      case '|': {
        // `flags = 0; … flags |= MM_CP_…;`: a zero is the empty set of flags
        const asSet = (v: Value) => (v.kind === 'flag-set' ? v.names : v.kind === 'bool' && v.value === this.alg.FALSE ? [] : undefined);
        const [a, b] = [asSet(left), asSet(right)];
        if (a && b && (left.kind === 'flag-set' || right.kind === 'flag-set')) return { kind: 'flag-set', names: [...a, ...b] };
        if (left.kind === 'bool' && right.kind === 'bool') return { kind: 'bool', value: this.alg.or(left.value, right.value) };
        return UNKNOWN(text);
      }
      case '==':
      case '!=': {
        let result: Bool | undefined = this.sameFlags(state, expr.left, expr.right);
        if (result !== undefined) return { kind: 'bool', value: expr.op === '==' ? result : this.alg.not(result) };
        if (left.kind === 'bool' && right.kind === 'bool') result = this.alg.iff(left.value, right.value);
        else if (isZero(expr.right)) result = this.alg.not(t(left, expr.left));
        else if (isZero(expr.left)) result = this.alg.not(t(right, expr.right));
        if (result === undefined) return UNKNOWN(text);
        return { kind: 'bool', value: expr.op === '==' ? result : this.alg.not(result) };
      }
      default:
        return UNKNOWN(text);
    }
  }

  /**
   * `(a->vm_flags & MASK) == (b->vm_flags & MASK)`: the two words agree on every flag of MASK
   * (undefined when the comparison is not of that shape).
   */
  private sameFlags(state: PathState, left: IrExpr, right: IrExpr): Bool | undefined {
    // the shape first: the operands were evaluated already, and evaluating them again repeats their calls
    const isMask = (e: IrExpr): e is Extract<IrExpr, { kind: 'binary' }> => e.kind === 'binary' && e.op === '&';
    if (!isMask(left) || !isMask(right)) return undefined;
    const masked = (e: Extract<IrExpr, { kind: 'binary' }>) => {
      const [a, b] = [this.evaluate(state, e.left), this.evaluate(state, e.right)];
      const word = a.kind === 'flags' ? a : b.kind === 'flags' ? b : undefined;
      const mask = a.kind === 'flag-set' ? a : b.kind === 'flag-set' ? b : undefined;
      return word && mask ? { source: this.facts(word.owner), names: mask.names } : undefined;
    };
    const [a, b] = [masked(left), masked(right)];
    if (!a || !b || a.names.join() !== b.names.join()) return undefined;
    return this.alg.andAll(a.names.map((name) => this.alg.iff(a.source.fact(name), b.source.fact(name))));
  }

  // ---- slots --------------------------------------------------------------------------------

  readSlot(state: PathState, slot: number, range: SourceRange): Value {
    const current = state.slots[slot]!;
    if (current.observed !== this.alg.TRUE) state.slots = state.slots.map((s, i) => (i === slot ? { ...s, observed: this.alg.TRUE } : s));
    state.events.push({ kind: 'read', range, detail: current.name, after: current.value, level: current.level });
    this.touchesEntries = true;
    return { kind: 'entry', value: current.value };
  }

  /** Writes a slot and checks the install rules (state rules on the new value, transition rules against the live old one). */
  install(state: PathState, slot: number, next: EntryValue, kind: InstallKind, range: SourceRange, detail: string, given: InstallOptions = {}): void {
    const current = state.slots[slot]!;
    // a commit that no start cleared the slot for is a plain store over the live entry it holds
    // (start and commit "must be exactly paired"): what the commit is told it replaces is not what
    // it replaces. Judged where the path itself read the slot and did not clear it: of a slot the
    // function was given, or one it lost track of (`ptep += idx`), the start may be the caller's.
    const unpaired = kind === 'commit' && current.live === current.value && current.param === undefined && current.observed === this.alg.TRUE;
    const how: InstallKind = unpaired ? 'store' : kind;
    const options: InstallOptions = unpaired ? { ...given, previous: undefined } : given;
    const cleared = how === 'clear';
    if (options.previous) this.assumeDomain(state, 'commit', options.previous);
    const live = cleared ? current.value : (options.previous ?? current.live);
    const accessFlagsEntry = options.accessFlagsEntry;
    const updated: SlotState = { ...current, value: next, live: cleared ? current.value : next, observed: this.alg.TRUE };
    state.slots = state.slots.map((s, i) => (i === slot ? updated : s));
    state.events.push({ kind: 'install', range, detail, before: current.value, after: next, level: current.level });
    this.touchesEntries = true;
    if (how === 'read') return;
    // the kernel's own page tables follow kernel rules, not those of a user VMA
    const user = this.alg.not(this.alg.or(current.kernel ?? this.alg.FALSE, options.kernel ?? this.alg.FALSE));
    if (user === this.alg.FALSE) return;
    // an entry built from a VMA's protection goes into that VMA's tables
    const context = { vma: this.facts(this.builtFor.get(next) ?? this.targetVma), folio: this.withDirtied(state) };
    const extra = current.param ? { installsInto: current.param } : {};
    const inUser = (hit: RuleHit): RuleHit => ({ ...hit, condition: this.alg.and(hit.condition, user) });
    if (!cleared) for (const hit of this.sim.hazards.checkState(this.alg, current.level, next, context)) this.record(state, inUser(hit), range, next, extra);
    // A blind store knows nothing of the old value unless this path (or, for a slot it was
    // given, the caller) looked at the slot; read-modify-write helpers see it themselves.
    const knowsOld = how === 'store' ? current.observed : this.alg.TRUE;
    if (!cleared && knowsOld !== this.alg.FALSE && !this.unfollowed.has(next)) {
      const cleared = this.clearedOnPurpose.get(next);
      const facts = { afterClear: !options.previous && current.live !== current.value, ...(cleared ? { cleared } : {}) };
      // the slot's own VMA, where known, is where its old entry lived and the new one replaces it
      const here = current.vma !== undefined ? { ...context, vma: this.facts(current.vma) } : context;
      for (const hit of this.sim.hazards.checkTransition(this.alg, current.level, live, accessFlagsEntry ?? next, how, here, facts)) {
        this.record(state, inUser({ ...hit, condition: this.alg.and(hit.condition, knowsOld) }), range, next, extra);
      }
    }
    // a store through a pointer to a caller's local copy downgrades nothing a TLB holds; a store
    // into a slot cleared since its entry was live is no downgrade of that entry: the clear was
    // one already, and a TLB can only hold what the slot held
    const cachedOld = how === 'store' && !options.previous ? current.value : live;
    if (this.restoresCleared(state, current, next, how)) {
      state.downgradeUnflushed = current.clearDowngrade!.before;
      state.slots = state.slots.map((s, i) => (i === slot ? { ...s, clearDowngrade: undefined } : s));
      return;
    }
    const before = state.downgradeUnflushed;
    if (knowsOld !== this.alg.FALSE) this.noteDowngrade(state, current.level, cachedOld, next, this.alg.andAll([knowsOld, user, current.inTable ?? this.alg.TRUE]));
    const clearDowngrade = cleared && state.downgradeUnflushed !== before ? { before, after: state.downgradeUnflushed } : undefined;
    if (clearDowngrade || updated.clearDowngrade) state.slots = state.slots.map((s, i) => (i === slot ? { ...s, clearDowngrade } : s));
  }

  /** A plain store of exactly the entry an unflushed clear took out, with no downgrade made since (see SlotState.clearDowngrade). */
  private restoresCleared(state: PathState, current: SlotState, next: EntryValue, how: InstallKind): boolean {
    const clear = current.clearDowngrade;
    if (how !== 'store' || !clear || state.downgradeUnflushed !== clear.after || current.live === current.value) return false;
    return next.bits.length === current.live.bits.length && next.bits.every((bit, i) => bit === current.live.bits[i]);
  }

  /**
   * Kernel code applies entry modifiers (pte_mkwrite, pte_mkyoung …) and protection
   * commits only to live entries, and the `_swp_` modifiers only to swap-like entries: an argument whose form the path does
   * not know is assumed to be of that kind. A path where it cannot be keeps its condition.
   */
  private assumeDomain(state: PathState, callee: string, entry: EntryValue): void {
    const forms = callee.includes('_swp_') ? SOFTLEAF_FORMS : LIVE_FORMS;
    const layout = this.sim.set.layout;
    const inDomain = this.alg.orAll(forms.map((form) => entry.bits[layout.formIndex(form)]!));
    if (!this.alg.entails(state.condition, inDomain) && this.alg.intersects(state.condition, inDomain)) state.assume(this.alg, inDomain);
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

  /** A TLB entry cached for `old` may allow more than `next`: it must be flushed before anyone relies on the change. */
  private noteDowngrade(state: PathState, level: Level, old: EntryValue, next: EntryValue, knowsOld: Bool): void {
    const name = `${level}_tlb_downgrade`;
    if (!this.sim.has(name)) return;
    const needs = this.sim.test(name, old, next);
    state.downgradeUnflushed = this.alg.or(state.downgradeUnflushed, this.alg.and(knowsOld, needs));
  }

  record(state: PathState, hit: RawFinding['hit'], range: SourceRange, shown?: EntryValue, extra: Partial<RawFinding> = {}): void {
    if (this.enabledRules && !this.enabledRules.has(hit.rule.id)) return;
    if (!this.alg.intersects(state.condition, hit.condition)) return;
    this.findings.push({ hit, range, state: state.clone(), ...(shown ? { shown } : {}), ...extra });
  }

  // ---- calls -------------------------------------------------------------------------------

  call(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>): Value {
    const name = expr.callee;
    if (TRANSPARENT_FUNCTIONS.has(name) && expr.args.length > 0) return this.evaluate(state, expr.args[0]!);
    if (name === 'IS_ENABLED' && expr.args[0]?.kind === 'constant') {
      return { kind: 'bool', value: this.alg.constant(isEnabled(this.sim.profile, expr.args[0].name)) };
    }
    const assertion = ASSERTIONS[name];
    if (assertion !== undefined) return this.assertion(state, expr, assertion);
    const event = EVENT_FUNCTIONS[name];
    if (event) return this.eventCall(state, expr, event);
    if (this.sim.has(name)) return this.helperCall(state, expr, this.sim.helper(name));
    const count = COUNTS[name];
    if (count !== undefined) return { kind: 'bool', value: this.alg.TRUE, integer: { min: count } };
    const summary = this.summaries.get(name);
    if (summary) return applySummary(this, state, expr, summary);
    if (this.entryFree(name)) return this.entryFreeCall(state, expr);
    return this.unknownCall(state, expr);
  }

  /**
   * `VM_WARN_ON(cond)`, `BUG_ON(cond)` …: the kernel asserts that `cond` does not hold, so the
   * path that continues past it does not have it. As a value (`if (WARN_ON(x))`) it is false.
   */
  private assertion(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, conditionIndex: number): Value {
    const argument = expr.args[conditionIndex];
    if (!argument) return { kind: 'bool', value: this.alg.FALSE };
    // a debugging assertion is judged on a copy: what its condition calls changes nothing on the path
    const judged = DEBUG_ONLY_ASSERTIONS.has(expr.callee) ? state.clone() : state;
    const asserted = this.truth(judged, this.evaluate(judged, argument), printExpr(argument), argument.range);
    for (const arg of expr.args) if (arg !== argument) this.evaluate(judged, arg);
    if (judged !== state) state.takeKnowledge(judged);
    state.assume(this.alg, this.alg.not(asserted));
    return { kind: 'bool', value: this.alg.FALSE };
  }

  private eventCall(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, event: EventFunction): Value {
    const args = expr.args.map((a) => this.evaluate(state, a));
    const detail = printExpr(expr);
    if (event.event !== 'map' && event.event !== 'folio') state.events.push({ kind: event.event, range: expr.range, detail });
    if (event.lockOut !== undefined) {
      const out = expr.args[event.lockOut];
      if (out?.kind === 'address-of') this.assign(state, out.operand, { kind: 'object', object: 'lock', name: printExpr(out.operand), pageTable: this.alg.TRUE }, expr.range);
    }
    switch (event.event) {
      case 'flush':
        state.downgradeUnflushed = this.alg.FALSE;
        break;
      case 'gather':
        // owed to the mmu_gather now: flushed before it finishes, and pending until then
        state.downgradeUnflushed = this.alg.FALSE;
        state.flushPending = this.alg.TRUE;
        break;
      case 'flush-pending-begin':
        state.flushPending = this.alg.TRUE;
        break;
      case 'flush-pending-end':
        if (expr.callee === 'tlb_finish_mmu') state.downgradeUnflushed = this.alg.FALSE;
        state.flushPending = this.alg.FALSE;
        break;
      case 'unlock': {
        const lock = event.lockArg !== undefined ? args[event.lockArg] : undefined;
        const pageTable = event.lockArg === undefined ? this.alg.TRUE : this.pageTableLock(lock, expr.args[event.lockArg]);
        if (pageTable !== this.alg.FALSE) {
          this.checkTlb(state, expr.range, 'the page-table lock is dropped', pageTable);
          // judged here, where the lock it was made under is dropped: a later unlock (of another
          // table's lock, or in a caller) is not where it goes stale; one made under the lock
          // held around this one is judged where that one is dropped
          state.downgradeUnflushed = this.alg.or(this.alg.and(state.downgradeUnflushed, this.alg.not(pageTable)), this.alg.and(state.outerDowngrade, pageTable));
          state.outerDowngrade = this.alg.and(state.outerDowngrade, this.alg.not(pageTable));
        }
        break;
      }
      case 'copy':
        this.checkTlb(state, expr.range, 'the page is copied', this.alg.TRUE, true);
        break;
      case 'folio-dirty':
        state.folioDirtied = this.alg.TRUE;
        break;
      case 'mmap-write-lock':
        state.mmapWriteLocked = this.alg.TRUE;
        break;
      case 'mmap-write-unlock':
        state.mmapWriteLocked = this.alg.FALSE;
        break;
      case 'folio-exclusive': {
        // exclusive unless the flags say otherwise: the flag, or every call of the old API
        const flags = event.flagsArg !== undefined ? args[event.flagsArg] : undefined;
        const exclusive = event.flagsArg === undefined ? this.alg.TRUE : flags?.kind === 'flag-set' ? this.alg.constant(flags.names.includes('RMAP_EXCLUSIVE')) : flags?.kind === 'bool' ? flags.value : this.alg.FALSE;
        state.folioExclusive = this.alg.or(state.folioExclusive, exclusive);
        break;
      }
      case 'folio-file': {
        // a fact of the folio, not of this step: it was never anonymous on this path
        const notAnon = this.alg.not(this.facts('folio').fact('anon'));
        if (this.alg.intersects(state.condition, notAnon)) state.assume(this.alg, notAnon);
        break;
      }
      case 'folio': {
        const entry = event.specialArg !== undefined ? args[event.specialArg] : undefined;
        if (entry?.kind !== 'entry' || !this.sim.has('pte_special')) return { kind: 'object', object: 'folio', name: 'folio' };
        // no page: the entry is special (a page may still be found for one: vm_ops->find_normal_page)
        const nonNull = this.alg.or(this.alg.not(this.sim.test('pte_special', entry.value)), this.opaque(state, `${detail} != NULL`));
        const kept = this.sim.hazards.lookupInvariant(this.alg, 'pte', entry.value, this.entryContext());
        if (this.alg.intersects(state.condition, kept)) state.assumeInvariant(this.alg, kept);
        return { kind: 'object', object: 'folio', name: 'folio', nonNull };
      }
      case 'lock':
      case 'map': {
        if (event.event === 'lock' && !event.findsOnly) this.takeLock(state, event.lockArg === undefined ? this.alg.TRUE : this.pageTableLock(args[event.lockArg], expr.args[event.lockArg]));
        if (event.returnsLock) {
          const slot = args.find((a): a is Extract<Value, { kind: 'slot' }> => a.kind === 'slot');
          const nonNull = event.returnsLock === 'huge' && slot ? this.hugeLeaf(state.slots[slot.slot]!.value) : undefined;
          return { kind: 'object', object: 'lock', name: detail, pageTable: this.alg.TRUE, ...(nonNull !== undefined ? { nonNull } : {}) };
        }
        if (!event.returnsSlot) return UNKNOWN(detail);
        if (event.hugetlb) {
          // only a hugetlb VMA has hugetlb leaves to walk
          const vma = args.find((a) => a.kind === 'object' && a.object === 'vma');
          state.assume(this.alg, this.facts(vma?.kind === 'object' ? vma.name : this.targetVma).fact('VM_HUGETLB'));
        }
        const existing = args.find((a) => a.kind === 'slot' && a.level === event.returnsSlot);
        if (existing) return existing;
        return this.slotAt(state, event, expr, args);
      }
    }
    return UNKNOWN(detail);
  }

  /** The slot a table walk finds: the one found before at the same table and address, or a new one. */
  private slotAt(state: PathState, event: EventFunction, expr: Extract<IrExpr, { kind: 'call' }>, args: readonly Value[]): Value {
    const level = event.returnsSlot!;
    const key = event.address ? `${level}|${event.address.map((i) => (expr.args[i] ? printExpr(expr.args[i]!) : '?')).join('|')}` : undefined;
    const known = key !== undefined ? state.slotsByAddress.get(key) : undefined;
    if (known !== undefined) return { kind: 'slot', slot: known, level };
    // a walker given a VMA finds a slot of that VMA: what it holds keeps that VMA's invariants and
    // is meant for that VMA, wherever the code puts it (fork copies it into a copy of the VMA)
    const vmaArg = args.find((a) => a.kind === 'object' && a.object === 'vma');
    const vma = vmaArg?.kind === 'object' ? vmaArg.name : undefined;
    const name = `*${printExpr(expr)}`;
    const initial = vma !== undefined ? this.freshEntry(state, name, level, 'entry', { vma: this.facts(vma), folio: this.facts('folio') }) : undefined;
    if (initial) this.builtFor.set(initial, vma!);
    const slot = this.newSlot(state, name, level, initial);
    if (vma !== undefined) state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, vma } : s));
    if (key !== undefined) state.slotsByAddress.set(key, slot.slot);
    const kernel = event.kernel ? this.alg.TRUE : this.kernelMm(args.find((a) => a.kind === 'object' && a.object === 'mm'));
    if (kernel !== this.alg.FALSE) state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, kernel } : s));
    return slot;
  }

  /** Whether an mm is the kernel's own (init_mm): its page tables map the kernel, not a user VMA. */
  private kernelMm(mm: Value | undefined): Bool {
    if (mm?.kind !== 'object' || mm.object !== 'mm') return this.alg.FALSE;
    return mm.name === 'init_mm' ? this.alg.TRUE : this.facts(mm.name).fact('init_mm');
  }

  /** The condition under which a lock is the page-table lock (what a walker or pmd_lock returned). */
  /** A fact of the mm on this path: `mmap_write_locked` also where the path took the lock itself. */
  mmFact(state: PathState, mm: FactSource, name: string): Bool {
    return name === 'mmap_write_locked' ? this.alg.or(state.mmapWriteLocked, mm.fact(name)) : mm.fact(name);
  }

  /** A page-table lock (where `pageTable`) taken inside another: a downgrade made so far belongs to the outer one. */
  private takeLock(state: PathState, pageTable: Bool): void {
    state.outerDowngrade = this.alg.or(state.outerDowngrade, this.alg.and(state.downgradeUnflushed, pageTable));
    state.downgradeUnflushed = this.alg.and(state.downgradeUnflushed, this.alg.not(pageTable));
  }

  pageTableLock(lock: Value | undefined, expr: IrExpr | undefined): Bool {
    if (lock?.kind === 'object' && lock.object === 'lock') return lock.pageTable ?? this.alg.FALSE;
    if (expr && PAGE_TABLE_LOCK_FIELDS.has(fieldName(expr) ?? '')) return this.alg.TRUE;
    return this.alg.FALSE;
  }

  /** A PMD or PUD that pmd_trans_huge_lock() locks: a huge leaf, or a migration or device entry in its place. */
  private hugeLeaf(value: EntryValue): Bool {
    const layout = this.sim.set.layout;
    const form = (f: Form) => value.bits[layout.formIndex(f)]!;
    const level = value.level;
    const leaf = this.sim.has(`${level}_trans_huge`) ? this.sim.test(`${level}_trans_huge`, value) : this.sim.has(`${level}_leaf`) ? this.sim.test(`${level}_leaf`, value) : this.alg.TRUE;
    return this.alg.orAll([this.alg.and(this.alg.orAll(LIVE_FORMS.map(form)), leaf), ...(['mig_r', 'mig_re', 'mig_w', 'dev_r', 'dev_w'] as const).map(form)]);
  }

  /**
   * At an unlock (of a page-table lock, where `pageTable` holds: the downgrades made under it) or
   * a page copy (`everyLock`: a downgrade made under any lock held): is a downgrade still unflushed?
   */
  checkTlb(state: PathState, range: SourceRange, what: string, pageTable: Bool = this.alg.TRUE, everyLock = false): void {
    const mm = this.facts('mm');
    const downgrade = everyLock ? this.alg.or(state.downgradeUnflushed, state.outerDowngrade) : state.downgradeUnflushed;
    const facts: FactSource = {
      fact: (name) =>
        name === 'downgrade_unflushed' ? downgrade : name === 'flush_pending' ? this.alg.or(state.flushPending, mm.fact('tlb_flush_pending')) : this.mmFact(state, mm, name),
    };
    for (const hit of this.sim.hazards.checkTlb(this.alg, 'pte', facts)) {
      this.record(state, { ...hit, condition: this.alg.and(hit.condition, pageTable) }, range, undefined, { message: `${hit.rule.message} (${what})` });
    }
  }

  private argument(state: PathState, param: Param, expr: IrExpr | undefined, level: Level): ArgValue {
    if (!expr) return this.missingArgument(state, param, level);
    const value = this.evaluate(state, expr);
    const text = printExpr(expr);
    switch (param.kind) {
      case 'entry':
      case 'swp':
      case 'prot': {
        if (value.kind === 'entry') return value.value;
        const fresh = this.freshOpaqueValue(state, text, param.kind, level);
        if (value.kind === 'unknown' && value.made && param.kind !== 'prot') this.unfollowed.add(fresh);
        return fresh;
      }
      case 'vma':
      case 'vmflags':
        return this.facts(value.kind === 'object' ? value.name : value.kind === 'flags' ? value.owner : this.targetVma);
      case 'mm':
        return this.facts('mm');
      case 'folio':
        return this.withDirtied(state);
      case 'flags':
        if (value.kind === 'flag-set') return this.sim.constantFacts(value.names);
        if (value.kind === 'flags') return this.facts(value.owner);
        if (value.kind === 'bool' && value.value === this.alg.FALSE) return this.sim.constantFacts([]);
        return this.facts(text);
      case 'bool':
        return this.truth(state, value, text);
      case 'slot':
      case 'opaque':
        return undefined;
    }
  }

  /**
   * An argument the call does not pass (implicit context, or code written for
   * another kernel's signature, e.g. 6.1's one-argument pte_mkwrite()): the
   * function's own context objects, or an unknown.
   */
  private missingArgument(state: PathState, param: Param, level: Level): ArgValue {
    switch (param.kind) {
      case 'folio':
        return this.withDirtied(state);
      case 'vma':
      case 'vmflags':
        return this.facts(this.targetVma);
      case 'mm':
        return this.facts('mm');
      case 'flags':
        return this.facts(param.name);
      case 'bool':
        return this.opaque(state, `${param.name}?`);
      case 'entry':
      case 'swp':
      case 'prot':
        return this.freshOpaqueValue(state, param.name, param.kind, level);
      default:
        return undefined;
    }
  }

  /** An entry-typed value the engine cannot evaluate: a fresh value named by its text. */
  freshOpaqueValue(state: PathState, text: string, kind: 'entry' | 'swp' | 'prot', level: Level, context?: EntryContext): EntryValue {
    const name = `${text}#${this.nextFresh()}`;
    if (kind === 'entry') return this.freshEntry(state, name, level, 'entry', context);
    if (kind === 'prot') {
      // a protection mm code maps user pages with comes from the VMA (DESIGN "every pgprot_t is constrained by what can produce it")
      this.assumed.add(UNKNOWN_PROT_ASSUMPTION);
      return this.sim.apply('vm_page_prot', this.facts(this.targetVma));
    }
    return this.sim.entry(name, level, { kind: 'swp', forms: SOFTLEAF_FORMS });
  }

  private helperCall(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, helper: CompiledHelper): Value {
    const visible = helper.params.filter((p) => !p.implicit);
    if (expr.args.length !== visible.length) {
      this.notModelled.add(`${expr.callee} with ${expr.args.length} arguments (the table has ${visible.length} on ${this.sim.profile.name})`);
    }
    const args: Record<string, ArgValue> = {};
    let slotValue: Value | undefined;
    let firstEntry: EntryValue | undefined;
    for (const param of helper.params) {
      const index = visible.indexOf(param);
      const argExpr = index >= 0 ? expr.args[index] : undefined;
      if (param.kind === 'slot') {
        slotValue = argExpr ? this.evaluate(state, argExpr) : undefined;
        continue;
      }
      const value = this.argument(state, param, argExpr, helper.level);
      args[param.name] = value;
      if (!firstEntry && isEntry(value)) firstEntry = value;
    }
    this.touchesEntries = true;
    switch (helper.def.kind) {
      case 'predicate': {
        const value = helper.test(this.alg, args);
        // pte_same(a, b): where it holds the two are one entry (exact, whatever their size)
        const [a, b] = helper.params.filter((p) => p.kind === 'entry').map((p) => args[p.name]);
        if (/_same$/.test(helper.name) && isEntry(a) && isEntry(b) && a !== b) {
          return { kind: 'bool', value: this.faultComparison(a, b) ?? value, equalities: { whenTrue: [[a, b]], whenFalse: [] } };
        }
        return { kind: 'bool', value };
      }
      case 'modifier':
      case 'constructor': {
        if (helper.def.kind === 'modifier' && firstEntry) this.assumeDomain(state, expr.callee, firstEntry);
        // a swap entry is decoded (pte_to_swp_entry) only from an entry that holds one; 6.19's
        // softleaf_from_pte() is made for any entry
        if (helper.def.kind === 'constructor' && expr.callee.includes('_to_swp_') && firstEntry?.kind === 'entry') this.assumeDomain(state, expr.callee, firstEntry);
        const out = helper.apply(this.alg, args);
        const cleared = CLEARS_ON_PURPOSE.filter((c) => c.helper.test(helper.name)).map((c) => INSTALL_FACT_OF_CLEARED[c.bit]);
        if (cleared.length > 0) this.clearedOnPurpose.set(out, new Set(cleared));
        const meantFor = Object.values(args).map((a) => (isEntry(a) ? this.builtFor.get(a) : undefined)).find((name) => name !== undefined);
        if (meantFor !== undefined) this.builtFor.set(out, meantFor);
        if (Object.values(args).some((a) => isEntry(a) && this.unfollowed.has(a))) this.unfollowed.add(out);
        if (helper.def.kind === 'constructor') firstEntry = undefined;
        if (firstEntry && helper.keeps.length > 0 && helper.def.kind === 'modifier') {
          for (const hit of this.sim.hazards.checkHelper(this.alg, helper, firstEntry, out)) this.record(state, hit, expr.range, out);
        }
        this.calls.push({ range: expr.range, callee: expr.callee, state: state.clone(), ...(firstEntry ? { before: firstEntry } : {}), after: out });
        state.events.push({ kind: 'call', range: expr.range, detail: printExpr(expr), ...(firstEntry ? { before: firstEntry } : {}), after: out, level: helper.level });
        const pointer = helper.def.writesBack ? expr.args[0] : undefined;
        if (pointer?.kind === 'address-of') this.assign(state, pointer.operand, { kind: 'entry', value: out }, expr.range);
        return { kind: 'entry', value: out };
      }
      case 'inplace': {
        const slotExpr = expr.args[visible.findIndex((p) => p.kind === 'slot')];
        const slot = slotValue?.kind === 'slot' ? slotValue.slot : this.slotFor(state, expr, slotExpr, helper.level);
        // one that changes the entry in place (pmdp_invalidate, ptep_set_wrprotect …) is applied to a live one, as a modifier is
        if (/^call /.test(helper.def.effect.trim())) this.assumeDomain(state, expr.callee, state.slots[slot]!.value);
        const current = state.slots[slot]!;
        const result = helper.applyInPlace(this.alg, current.value, args);
        const install = result.install;
        // a store of an entry with a bit cleared on purpose (set_pte_at copies it into a new value) installs that entry
        const stored = Object.values(args).find((a): a is EntryValue => isEntry(a) && a.bits.every((bit, i) => bit === result.slot.bits[i]));
        if (stored) this.copyProvenance(stored, result.slot);
        if (install === 'read') {
          this.readSlot(state, slot, expr.range);
        } else {
          const mmIndex = visible.findIndex((p) => p.kind === 'mm');
          const mmArg = mmIndex >= 0 && expr.args[mmIndex] ? this.evaluate(state, expr.args[mmIndex]!) : undefined;
          const kernel = this.kernelMm(mmArg);
          this.install(state, slot, result.slot, install, expr.range, printExpr(expr), {
            ...(install === 'access-flags' && firstEntry ? { accessFlagsEntry: firstEntry } : {}),
            ...(install === 'commit' ? commitOldValue(args) : {}),
            ...(kernel !== this.alg.FALSE ? { kernel } : {}),
          });
        }
        for (const event of result.events) {
          state.downgradeUnflushed = this.alg.and(state.downgradeUnflushed, this.alg.not(event.guard));
          state.events.push({ kind: 'flush', range: expr.range, detail: `${event.event} (${event.scope}) in ${expr.callee}` });
        }
        this.calls.push({ range: expr.range, callee: expr.callee, state: state.clone(), before: current.value, after: result.slot });
        if (result.returned === undefined) return UNKNOWN(printExpr(expr));
        return typeof result.returned === 'number' ? { kind: 'bool', value: result.returned } : { kind: 'entry', value: result.returned };
      }
    }
  }

  /**
   * A slot argument the engine could not resolve: a new slot. A plain variable (a pointer
   * declared outside a hunk) or a member (`pvmw->pmd`) names the slot and keeps it for the rest of
   * the path, so that `pmdp_invalidate(…, pvmw->pmd)` and a later `set_pmd_at(…, pvmw->pmd, …)`
   * write the same entry.
   */
  private slotFor(state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, slotExpr: IrExpr | undefined, level: Level): number {
    const given = slotExpr ? this.givenMemberSlot(state, slotExpr) : undefined;
    if (given) return given.slot;
    const named = slotExpr?.kind === 'var' || (slotExpr?.kind === 'field' && SLOT_MEMBERS[slotExpr.field]) ? printExpr(slotExpr) : undefined;
    const value = this.newSlot(state, named ? `*${named}` : `*(${printExpr(expr)})`, level);
    if (named) state.locals.set(named, value);
    return value.slot;
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

  // ---- statements and paths -------------------------------------------------------------------

  assign(state: PathState, target: IrExpr, value: Value, range: SourceRange): void {
    if (target.kind === 'var') {
      state.locals.set(target.name, value);
      state.touch(target.name);
      return;
    }
    if (target.kind === 'deref') {
      const pointer = this.evaluate(state, target.pointer);
      if (pointer.kind === 'slot' && value.kind === 'entry') {
        this.install(state, pointer.slot, value.value, 'store', range, `${printExpr(target)} = …`);
        return;
      }
    }
    const key = printExpr(target);
    state.locals.set(key, value);
    state.touch(key);
  }

  private statement(state: PathState, statement: IrStatement): void {
    switch (statement.kind) {
      case 'declare':
        state.locals.set(statement.name, statement.init ? this.evaluate(state, statement.init) : UNKNOWN(statement.name));
        state.touch(statement.name);
        return;
      case 'assign':
        this.assign(state, statement.target, this.evaluate(state, statement.value), statement.range);
        return;
      case 'eval':
        this.evaluate(state, statement.expr);
        return;
      case 'opaque':
        return;
      case 'assert-state':
        this.assertState(state, statement.annotation);
        return;
    }
  }

  /** `@mm state`: the subject (a local entry, or the last installed slot) has these bits on every path. */
  private assertState(state: PathState, annotation: StateAnnotation): void {
    const subject = annotation.subject;
    let value: EntryValue | undefined;
    if (subject) {
      const local = state.locals.get(subject);
      if (local?.kind === 'entry') value = local.value;
      else value = state.slots.find((s) => s.name === subject || s.name === `*${subject}`)?.value;
    } else {
      const last = [...state.events].reverse().find((e) => (e.kind === 'install' || e.kind === 'call') && e.after);
      value = last?.after;
    }
    const layout = this.sim.set.layout;
    if (!value) {
      this.record(state, { rule: STATE_RULE, condition: this.alg.TRUE }, annotation.range, undefined, { message: `@mm state: nothing named ${subject ?? '(the last entry)'} on this path` });
      return;
    }
    const parts: Bool[] = [];
    if (annotation.form) parts.push(value.bits[layout.formIndex(annotation.form as never)] ?? this.alg.FALSE);
    for (const bit of annotation.bits) {
      const index = layout.indexOf(bit.name);
      const actual = index === undefined ? this.alg.FALSE : value.bits[index]!;
      parts.push(bit.value ? actual : this.alg.not(actual));
    }
    const violation = this.alg.not(this.alg.andAll(parts));
    this.record(state, { rule: STATE_RULE, condition: violation }, annotation.range, value);
  }

  /** Explores every path of `fn` from `initial`; returns the finished paths. */
  explore(fn: IrFunction, initial: PathState): FinishedPath[] {
    const finished: FinishedPath[] = [];
    const blocks = new Map<number, IrBlock>(fn.blocks.map((b) => [b.id, b]));
    const loops = loopBodies(fn);
    const order = blockOrder(fn);
    const work: WorkItem[] = [{ block: fn.entry, state: initial }];
    while (work.length > 0) {
      if (this.isCancelled()) {
        this.boundsHit.add('analysis stopped: cancelled or out of its time budget');
        break;
      }
      const item = this.nextItem(work, order, loops);
      try {
        this.advance(item, blocks, loops, work, finished);
      } catch (error) {
        // out of BDD nodes: keep what the explored paths found (the manager grants a reserve for that)
        if (!(error instanceof BddLimitError)) throw error;
        this.boundsHit.add(`${error.message}: the remaining paths were not explored`);
        break;
      }
    }
    return finished;
  }

  /**
   * The next path to run: one at the earliest block in reverse postorder, so that the paths
   * that meet at a join point are all there when it runs. Those that arrive with the same state
   * (they differ only in decisions that changed nothing the engine follows, such as a counter or
   * an opaque flag) go on as one path whose condition is the union of theirs.
   */
  private nextItem(work: WorkItem[], order: ReadonlyMap<BlockId, number>, loops: LoopBodies): WorkItem {
    let best = 0;
    for (let i = 1; i < work.length; i++) if ((order.get(work[i]!.block) ?? Infinity) < (order.get(work[best]!.block) ?? Infinity)) best = i;
    const item = work.splice(best, 1)[0]!;
    const header = loops.has(item.block);
    const key = (other: WorkItem) => (other.signature ??= `${header ? `${other.from}|` : ''}${stateSignature(other.state, (entry) => this.clearedOnPurpose.get(entry))}`);
    for (let i = work.length - 1; i >= 0; i--) {
      const other = work[i]!;
      if (other.block !== item.block || key(other) !== key(item)) continue;
      work.splice(i, 1);
      item.state.condition = this.alg.or(item.state.condition, other.state.condition);
      item.state.guard = this.alg.or(item.state.guard, other.state.guard);
      item.state.invariants = this.alg.and(item.state.invariants, other.state.invariants);
      item.state.steps = Math.max(item.state.steps, other.state.steps);
      item.state.locals = joinIntegers(item.state.locals, other.state.locals);
      this.pathCount = Math.max(0, this.pathCount - 1);
    }
    return item;
  }

  /**
   * What a return statement gives the caller. A function returning an integer is read by its
   * callers as a condition (`if (err)`, `if (!validate(…))`): its result is kept as one, so the
   * facts that decide it (a VMA flag, a folio test) reach the caller's branch.
   */
  private returned(state: PathState, expr: IrExpr): Value {
    const value = this.evaluate(state, expr);
    const type = this.fn.returnType.kind;
    if ((type === 'int' || type === 'bool') && value.kind !== 'bool') return { kind: 'bool', value: this.truth(state, value, printExpr(expr), expr.range) };
    return value;
  }

  /** Runs one block of a path and queues where the path goes next. */
  private advance(item: WorkItem, blocks: ReadonlyMap<number, IrBlock>, loops: LoopBodies, work: WorkItem[], finished: FinishedPath[]): void {
    const { block: id, state, from } = item;
    const block = blocks.get(id);
    if (!block) return;
    const loop = loops.get(id);
    if (loop) state.loopVisits.set(id, from !== undefined && loop.has(from) ? (state.loopVisits.get(id) ?? 0) + 1 : 1);
    state.steps += block.statements.length + 1;
    if (state.steps > this.bounds.maxStepsPerPath) {
      this.boundsHit.add(`a path was cut after ${this.bounds.maxStepsPerPath} steps`);
      finished.push({ state, end: 'bound' });
      return;
    }
    for (const statement of block.statements) this.statement(state, statement);
    if (state.condition === this.alg.FALSE) return; // an assertion the path cannot pass
    const term = block.terminator;
    switch (term.kind) {
      case 'goto':
        if (this.mayEnter(state, id, blocks.get(term.target), loops)) work.push({ block: term.target, state, from: id });
        else finished.push({ state, end: 'bound' });
        break;
      case 'return':
        finished.push({ state, end: 'return', ...(term.value ? { returned: this.returned(state, term.value) } : {}) });
        break;
      case 'fragment-end':
        finished.push({ state, end: 'fragment-end' });
        break;
      case 'branch': {
        const text = printExpr(term.condition);
        const tested = this.evaluate(state, term.condition);
        const condition = this.truth(state, tested, text, term.condition.range);
        const equalities = equalitiesOf(tested);
        const exhausted = block.loopHeader === true && loop !== undefined && (state.loopVisits.get(id) ?? 0) > this.bounds.maxLoopUnroll;
        if (exhausted) this.boundsHit.add(`loops unrolled at most ${this.bounds.maxLoopUnroll} times`);
        const outcomes: Array<[boolean, number]> = (exhausted ? [[false, term.otherwise]] : [[true, term.then], [false, term.otherwise]]) as Array<[boolean, number]>;
        const enterable = outcomes.filter(([, target]) => this.mayEnter(state, id, blocks.get(target), loops));
        const feasible = enterable.filter(([taken]) => this.alg.intersects(state.condition, taken ? condition : this.alg.not(condition)));
        if (feasible.length === 0 && enterable.length < 2) {
          finished.push({ state, end: 'bound' });
          break;
        }
        const record = feasible.length > 1 || outcomes.length > 1;
        this.fork(state, work, id, feasible.map(([taken, target]) => ({
          condition: taken ? condition : this.alg.not(condition),
          target,
          equal: taken ? equalities.whenTrue : equalities.whenFalse,
          ...(record ? { decision: { text, taken, range: term.range } } : {}),
        })));
        break;
      }
      case 'switch': {
        const text = printExpr(term.value);
        let rest: Bool = this.alg.TRUE;
        const targets = term.cases.map((c) => {
          const label = c.values.length === 0 ? 'default' : c.values.map((v) => printExpr(v)).join(' | ');
          const matches = c.values.length === 0 ? this.alg.TRUE : this.alg.orAll(c.values.map((v) => this.opaque(state, `${text} == ${printExpr(v)}`)));
          const taken = this.alg.and(rest, matches);
          rest = this.alg.and(rest, this.alg.not(matches));
          return { taken, target: c.target, label };
        });
        const enterable = targets.filter((t) => this.mayEnter(state, id, blocks.get(t.target), loops));
        const feasible = enterable.filter((t) => this.alg.intersects(state.condition, t.taken));
        if (enterable.length < targets.length && feasible.length === 0) {
          finished.push({ state, end: 'bound' });
          break;
        }
        this.fork(state, work, id, feasible.map((t) => ({
          condition: t.taken,
          target: t.target,
          decision: { text: `switch (${text}): ${t.label}`, taken: true, range: term.range },
        })));
        break;
      }
    }
  }

  /**
   * Continues `state` into each outcome: all but the last on a copy, each copy
   * counted against the path bound (past it, those outcomes are dropped).
   * `condition` is what each outcome adds to the path's condition.
   */
  private fork(state: PathState, work: WorkItem[], from: BlockId, outcomes: ReadonlyArray<{ condition: Bool; target: number; decision?: Decision; equal?: Equalities['whenTrue'] }>): void {
    outcomes.forEach((outcome, i) => {
      const last = i === outcomes.length - 1;
      if (!last && !this.mayFork()) return;
      const next = last ? state : state.clone();
      next.assume(this.alg, outcome.condition);
      for (const [a, b] of outcome.equal ?? []) identify(next, a, b);
      if (outcome.decision) next.decisions.push(outcome.decision);
      work.push({ block: outcome.target, state: next, from });
    });
  }

  /**
   * Whether a path may take the edge `from` → `to`. A back edge is refused once the loop has
   * run its bound: a loop whose header tests its condition (while, for) runs its body at most
   * maxLoopUnroll times and then leaves at the header; any other loop (do-while, goto retry)
   * is not re-entered after maxLoopUnroll arrivals.
   */
  private mayEnter(state: PathState, from: BlockId, to: IrBlock | undefined, loops: LoopBodies): boolean {
    if (!to || !loops.get(to.id)?.has(from)) return true;
    const arrivals = state.loopVisits.get(to.id) ?? 0;
    const limit = to.loopHeader ? this.bounds.maxLoopUnroll + 1 : this.bounds.maxLoopUnroll;
    if (arrivals < limit) return true;
    this.boundsHit.add(`loops unrolled at most ${this.bounds.maxLoopUnroll} times`);
    return false;
  }

  /** Counts a fork against the path bound. */
  private mayFork(): boolean {
    if (this.pathCount + 1 >= this.bounds.maxPaths) {
      this.boundsHit.add(`analysis truncated after ${this.bounds.maxPaths} paths`);
      return false;
    }
    this.pathCount++;
    return true;
  }
}

export const STATE_RULE = { id: 'state-mismatch', severity: 'error' as const, message: 'the entry does not have the bits the @mm state annotation states' };

function integerOf(value: Value): IntegerFacts | undefined {
  return value.kind === 'bool' || value.kind === 'unknown' ? value.integer : undefined;
}

function exactOf(value: Value): number | undefined {
  return value.kind === 'bool' ? value.integer?.exact : undefined;
}

/** A value that may be an integer the engine does not know (not an entry, a pointer or flags). */
function isInteger(value: Value): boolean {
  return value.kind === 'bool' || value.kind === 'unknown';
}

function isZero(expr: IrExpr): boolean {
  return (expr.kind === 'number' && expr.value === 0) || (expr.kind === 'constant' && expr.name === 'NULL');
}

/**
 * What an undeclared name means in a hunk cut out of its function: mm code calls its VMA
 * `vma`, its fault `vmf`, its folio `folio`. Declared names always win.
 */
const CONVENTIONAL_OBJECTS: Readonly<Record<string, Value>> = {
  vma: { kind: 'object', object: 'vma', name: 'vma' },
  vmf: { kind: 'object', object: 'vmf', name: 'vmf' },
  folio: { kind: 'object', object: 'folio', name: 'folio' },
  init_mm: { kind: 'object', object: 'mm', name: 'init_mm' },
};

/** What a path carries forward, as text: two paths with the same one behave alike from here on. */
/** `cleared`: the bits an entry lacks on purpose (two entries alike but for that are told apart). */
function stateSignature(state: PathState, cleared: (entry: EntryValue) => ReadonlySet<string> | undefined): string {
  const parts: string[] = [];
  const tags = (entry: EntryValue) => [...(cleared(entry) ?? [])].join('+');
  for (const slot of state.slots) parts.push(`${slot.value.bits.join(',')}${tags(slot.value)}/${slot.live.bits.join(',')}/${slot.observed}/${slot.kernel ?? ''}/${slot.clearDowngrade ? `${slot.clearDowngrade.before}-${slot.clearDowngrade.after}` : ''}`);
  for (const [name, value] of [...state.locals].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${name}=${valueSignature(value)}${value.kind === 'entry' ? tags(value.value) : ''}`);
  parts.push(`${state.downgradeUnflushed},${state.outerDowngrade},${state.flushPending},${state.folioDirtied},${state.folioExclusive},${state.mmapWriteLocked}`);
  parts.push([...state.loopVisits].sort(([a], [b]) => a - b).join(';'));
  parts.push([...state.slotsByAddress].sort(([a], [b]) => (a < b ? -1 : 1)).join(';'));
  return parts.join('|');
}

function valueSignature(value: Value): string {
  switch (value.kind) {
    case 'entry':
      return `e${value.value.bits.join(',')}`;
    case 'bool':
      // what is known of its number is not compared: paths that count differently still meet (integers.ts)
      return `b${value.value}`;
    case 'slot':
      return `s${value.slot}/${value.nonNull ?? ''}`;
    case 'object':
      return `o${value.object}:${value.name}/${value.nonNull ?? ''}/${value.pageTable ?? ''}`;
    case 'flags':
      return `f${value.owner}`;
    case 'flag-set':
      return `F${value.names.join(',')}`;
    case 'unknown':
      return `u${value.name}`;
  }
}

const NO_EQUALITIES: Equalities = { whenTrue: [], whenFalse: [] };

function equalitiesOf(value: Value): Equalities {
  return value.kind === 'bool' ? (value.equalities ?? NO_EQUALITIES) : NO_EQUALITIES;
}

/**
 * On a path where two entries are known equal, the one a slot holds now (the re-read) becomes
 * the other (what was read and checked before): what the path knew of it holds of the slot.
 */
function identify(state: PathState, a: EntryValue, b: EntryValue): void {
  const inSlot = (v: EntryValue) => state.slots.some((s) => s.value === v);
  const [from, to] = inSlot(a) || !inSlot(b) ? [a, b] : [b, a];
  state.slots = state.slots.map((s) => (s.value === from || s.live === from ? { ...s, value: s.value === from ? to : s.value, live: s.live === from ? to : s.live } : s));
  for (const [name, value] of state.locals) if (value.kind === 'entry' && value.value === from) state.locals.set(name, { kind: 'entry', value: to });
}

/** Members of struct vm_area_struct (and of it alone): `x->vm_page_prot` says x is a VMA. */
const VMA_MEMBERS: ReadonlySet<string> = new Set(['vm_page_prot', 'vm_flags', 'vm_start', 'vm_end', 'vm_ops', 'vm_file', 'vm_pgoff']);

/** `a->b->c` → `c` */
function fieldName(expr: IrExpr): string | undefined {
  const inner = expr.kind === 'address-of' ? expr.operand : expr;
  return inner.kind === 'field' ? inner.field : undefined;
}
