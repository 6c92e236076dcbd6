// Building a function's summary from its explored paths, and applying a callee's summary at a
// call (the data is in summary.ts). Building merges the paths into one state by their guards,
// keeps the invariants of the function's own unknowns that its results mention, and turns each
// hazard into an obligation on the inputs. Applying rebuilds the formulas in the caller's
// solver with the caller's values for the inputs, records each obligation the caller's path
// allows, and updates the caller's slots, members and path state.

import { BddLimitError, type Bool, type BoolAlgebra } from '../sym';
import { exactSameValue, selectValue, type EntryValue } from '../model/value';
import type { IrExpr, IrFunction } from '../ir';
import { printExpr } from '../irPrint';
import type { Executor, FinishedPath, RawFinding } from './execute';
import type { PathState } from './state';
import {
  portableEntry,
  type FunctionSummary,
  type InputRef,
  type Obligation,
  type PortableEntry,
  type PortableValue,
  type StateInput,
  isInert,
} from './summary';
import type { Finding } from './results';
import type { Severity } from '../hazards/catalogue';
import type { FactSource } from '../model/context';
import { UNKNOWN, canonicalVma, type Value } from './values';
import { flagIn } from './flagSets';
import { FAULT_COPY_MEMBERS, faultCopyMember } from './events';

/** Up to this many BDD nodes, a summary keeps the exact condition of a downgrade left unflushed. */
const EXACT_FLAG_LIMIT = 200;

/** Past this many BDD nodes in one bit, a value merged from the paths becomes a fresh entry. */
const MERGED_BIT_LIMIT = 400;

/** Raw findings of one site (or one callee obligation), with how they are shown. */
export interface FindingGroup {
  readonly key: string;
  readonly raws: readonly RawFinding[];
  readonly finding: Finding;
  readonly severity: Severity;
}

interface Merged {
  readonly state: PathState;
  /** The path whose state a returned slot value refers to. */
  readonly returnedFrom: PathState;
  readonly returned: Value | undefined;
  /** Each path's invariants of the entries it read. */
  readonly invariants: readonly Bool[];
  /** Which outcome the callee took, as a condition on its inputs (see mergePaths). */
  readonly choice: Bool;
}

/**
 * The function's paths as one outcome for its callers. A boolean result (a flag of the path
 * state, whether a slot was read, a returned condition) is where some path makes it true, taken
 * on the inputs alone: the function's own unknowns — its opaque conditions, each path with its
 * own — the caller cannot know anyway, and what is left is small. Entries cannot be taken apart
 * that way: paths that leave the same entries (bit for bit) are one outcome, and each outcome is
 * chosen by fresh choice unknowns, allowed only where its paths' guards, on the inputs, hold.
 */
function mergePaths(alg: BoolAlgebra, fn: IrFunction, finished: readonly FinishedPath[], nextFresh: () => number): Merged | undefined {
  // paths cut by a bound do not return to the caller (unless nothing else does)
  const returning = finished.filter((path) => path.end !== 'bound');
  const paths = returning.length > 0 ? returning : finished;
  if (paths.length === 0) return undefined;
  /** Where some path makes `pick` true, on the inputs. */
  const anyPath = (pick: (path: FinishedPath) => Bool | undefined) =>
    alg.orAll(paths.map((path) => {
      const value = pick(path) ?? alg.FALSE;
      return value === alg.FALSE ? alg.FALSE : alg.projectConjunction(alg.and(path.state.guard, value), path.state.invariants);
    }));
  /** Where every path the inputs allow makes `pick` true. */
  const everyPath = (pick: (path: FinishedPath) => Bool | undefined) => alg.not(anyPath((path) => alg.not(pick(path) ?? alg.FALSE)));
  const params = new Map<string, PathState['slots'][number]>();
  for (const path of paths) for (const slot of path.state.slots) if (slot.param) params.set(paramKey(slot.param), params.get(paramKey(slot.param)) ?? slot);
  const memberKeys = [...new Set(paths.flatMap((path) => [...path.state.locals.keys()].filter((key) => key.includes('->') && path.state.versions.get(key))))];
  const slotOf = (state: PathState, key: string) => state.slots.find((s) => s.param && paramKey(s.param) === key);
  const bits = (value: EntryValue | undefined) => (value ? value.bits.join(',') : '-');
  const signature = (path: FinishedPath) => {
    const st = path.state;
    const parts: string[] = [];
    for (const key of params.keys()) {
      const slot = slotOf(st, key);
      parts.push(bits(slot?.value), bits(slot?.live));
    }
    for (const key of memberKeys) {
      const value = st.locals.get(key);
      parts.push(value?.kind === 'entry' ? bits(value.value) : (value?.kind ?? '-'));
    }
    // a returned condition the caller branches on, and whether a pointer is NULL, decide its
    // paths: they are outcomes, never taken on the inputs alone (that would make them may-be-true)
    const r = path.returned;
    const nullOrNot = (v: Value | undefined) => (v?.kind === 'slot' || v?.kind === 'object' ? `${v.nonNull ?? ''}` : '');
    parts.push(r?.kind === 'entry' ? bits(r.value) : r?.kind === 'bool' ? `b${r.value}` : r?.kind === 'slot' ? `slot${r.slot}/${nullOrNot(r)}` : r?.kind === 'object' ? `o${nullOrNot(r)}` : (r?.kind ?? '-'));
    return parts.join('|');
  };
  const outcomes = new Map<string, { first: FinishedPath; guards: Bool[] }>();
  paths.forEach((path) => {
    const key = signature(path);
    const outcome = outcomes.get(key);
    const guard = alg.projectConjunction(path.state.guard, path.state.invariants);
    if (outcome) outcome.guards.push(guard);
    else outcomes.set(key, { first: path, guards: [guard] });
  });
  const cases = [...outcomes.values()];
  const guards = cases.map((c) => alg.orAll(c.guards));
  let codes: Bool[];
  let choice: Bool = alg.TRUE;
  if (guards.every((g, i) => guards.every((h, j) => j <= i || !alg.intersects(g, h)))) {
    // the inputs alone decide the outcome: it is chosen by its guard, and nothing else is needed
    codes = guards;
  } else {
    // where the function's own unknowns decide, one choice unknown per bit of the outcome's number
    const width = Math.ceil(Math.log2(cases.length));
    const choices = Array.from({ length: width }, (_, i) => alg.variable(`${fn.name}.outcome#${nextFresh()}.${i}`));
    const code = (index: number) => alg.andAll(choices.map((c, i) => ((index >> i) & 1 ? c : alg.not(c))));
    codes = cases.map((_, index) => code(index));
    choice = alg.andAll([alg.orAll(codes), ...cases.map((_, index) => alg.implies(codes[index]!, guards[index]!))]);
  }
  const pick = <T>(values: readonly T[], select: (condition: Bool, a: T, b: T) => T): T => {
    let result: T = values[values.length - 1] as T;
    for (let i = values.length - 2; i >= 0; i--) if (values[i] !== result) result = select(codes[i]!, values[i] as T, result);
    return result;
  };
  const selectEntry = (condition: Bool, a: EntryValue, b: EntryValue) => selectValue(alg, condition, a, b);
  const selectBool = (condition: Bool, a: Bool, b: Bool) => alg.ite(condition, a, b);
  const first = cases[0]!.first;
  const merged = first.state.clone();
  merged.slots = [...params.entries()].map(([key, slot]) => {
    const each = cases.map((c) => slotOf(c.first.state, key) ?? slot);
    return {
      ...slot,
      value: pick(each.map((s) => s.value), selectEntry),
      live: pick(each.map((s) => s.live), selectEntry),
      observed: anyPath((path) => slotOf(path.state, key)?.observed),
    };
  });
  merged.locals = new Map();
  for (const key of memberKeys) {
    const values = cases.map((c) => c.first.state.locals.get(key));
    if (values.every((v): v is Extract<Value, { kind: 'entry' }> => v?.kind === 'entry')) merged.locals.set(key, { kind: 'entry', value: pick(values.map((v) => v.value), selectEntry) });
    else merged.locals.set(key, values.find((v) => v) ?? UNKNOWN(key));
    merged.versions.set(key, 1);
  }
  // each flag in the direction a caller may not count on more: a downgrade may be left
  // unflushed, a flush is pending and the folio dirtied only if every path says so
  // (one made under a lock the function took and did not drop, too: the caller does not know that
  // lock, nor a folio lock the function still holds)
  merged.downgradeUnflushed = anyPath((path) => alg.orAll([path.state.downgradeUnflushed, path.state.outerDowngrade, path.state.folioLockDowngrade]));
  merged.outerDowngrade = alg.FALSE;
  merged.flushPending = everyPath((path) => path.state.flushPending);
  merged.folioDirtied = everyPath((path) => path.state.folioDirtied);
  merged.folioExclusive = everyPath((path) => path.state.folioExclusive);
  const returnedValues = paths.map((path) => path.returned);
  let returned: Value | undefined = returnedValues.find((r) => r);
  let returnedFrom = first.state;
  const isPointer = (r: Value | undefined): r is Extract<Value, { kind: 'slot' | 'object' }> => r?.kind === 'slot' || r?.kind === 'object';
  const isNull = (r: Value | undefined) => r?.kind === 'bool' && r.value === alg.FALSE;
  if (returnedValues.every((r) => r?.kind === 'entry')) {
    returned = { kind: 'entry', value: pick(cases.map((c) => (c.first.returned as Extract<Value, { kind: 'entry' }>).value), selectEntry) };
  } else if (returnedValues.every((r) => r?.kind === 'bool')) {
    returned = { kind: 'bool', value: pick(cases.map((c) => (c.first.returned as Extract<Value, { kind: 'bool' }>).value), selectBool) };
  } else if (returnedValues.some(isPointer) && returnedValues.every((r) => isPointer(r) || isNull(r))) {
    // a pointer or NULL (a lock, a slot, a folio): not NULL where a path returns the pointer
    const index = returnedValues.findIndex(isPointer);
    const pointer = returnedValues[index] as Extract<Value, { kind: 'slot' | 'object' }>;
    returned = { ...pointer, nonNull: pick(cases.map((c) => (isPointer(c.first.returned) ? (c.first.returned.nonNull ?? alg.TRUE) : alg.FALSE)), selectBool) };
    returnedFrom = paths[index]!.state;
  }
  return { state: merged, returnedFrom, returned, invariants: paths.map((path) => path.state.invariants), choice };
}

function paramKey(param: NonNullable<PathState['slots'][number]['param']>): string {
  return `${param.param}:${param.member ?? ''}`;
}

/** The function's summary: its paths merged, its hazards as obligations on its inputs. */
export function buildSummary(ex: Executor, fn: IrFunction, finished: readonly FinishedPath[], groups: readonly FindingGroup[], inputInvariants: Bool): FunctionSummary {
  const alg = ex.alg;
  const roots: Bool[] = [];
  let constraint: Bool = alg.TRUE;
  const tooLarge = (value: EntryValue) => value.bits.some((bit) => alg.size(bit, MERGED_BIT_LIMIT + 1) > MERGED_BIT_LIMIT);
  const merged = mergePaths(alg, fn, finished, () => ex.nextFresh());
  /** A merged value that grew past what merging should cost stands for a fresh entry. */
  const bounded = (value: EntryValue, name: string): EntryValue => {
    if (!tooLarge(value)) return value;
    ex.boundsHit.add(`${name} holds too many different values when ${fn.name} returns to follow: a fresh entry stands for it`);
    const fresh = ex.sim.entry(`${name}#${ex.nextFresh()}`, value.level, { kind: value.kind });
    if (value.kind === 'entry') constraint = alg.and(constraint, ex.sim.hazards.readInvariant(alg, value.level, fresh, ex.entryContext()));
    return fresh;
  };
  const portable = (value: Value | undefined): PortableValue | undefined => {
    if (!value || !merged) return undefined;
    switch (value.kind) {
      case 'entry':
        return { kind: 'entry', entry: portableEntry(bounded(value.value, 'the returned value'), roots) };
      case 'bool':
        return { kind: 'bool', bit: push(roots, value.value) };
      case 'slot': {
        const slot = merged.returnedFrom.slots[value.slot];
        if (!slot) return { kind: 'unknown' };
        const nonNull = value.nonNull !== undefined ? { nonNull: push(roots, value.nonNull) } : {};
        if (slot.param && slot.param.member === undefined) return { kind: 'param-slot', param: slot.param.param, ...nonNull };
        return { kind: 'slot', name: slot.name, level: slot.level, value: portableEntry(bounded(slot.value, slot.name), roots), live: portableEntry(bounded(slot.live, slot.name), roots), ...nonNull };
      }
      case 'object': {
        const param = ex.paramIndex.get(value.name) ?? ex.factParams.get(value.name);
        return {
          kind: 'object',
          object: value.object,
          name: value.name,
          ...(param !== undefined ? { param } : {}),
          ...(value.nonNull !== undefined ? { nonNull: push(roots, value.nonNull) } : {}),
          ...(value.pageTable !== undefined ? { pageTable: push(roots, value.pageTable) } : {}),
        };
      }
      default:
        return { kind: 'unknown' };
    }
  };
  const slots = (merged?.state.slots ?? [])
    .filter((slot) => slot.param)
    .map((slot) => ({
      param: slot.param!.param,
      ...(slot.param!.member !== undefined ? { member: slot.param!.member } : {}),
      value: portableEntry(bounded(slot.value, slot.name), roots),
      live: portableEntry(bounded(slot.live, slot.name), roots),
      observed: push(roots, slot.observed),
    }));
  const members: FunctionSummary['members'][number][] = [];
  for (const [key, value] of merged?.state.locals ?? []) {
    const [base, member] = key.split('->');
    const param = base !== undefined ? ex.paramIndex.get(base) : undefined;
    if (param === undefined || member === undefined || key.split('->').length !== 2 || !merged!.state.versions.get(key)) continue;
    const out = portable(value);
    if (out) members.push({ param, member, value: out });
  }
  const returned = portable(merged?.returned);
  const state = merged?.state;
  // Whether a downgrade may be left unflushed, as a condition on the inputs when that is small;
  // else for any entry the function may be given (one the kernel's invariants allow): a caller
  // that drops the lock must flush whatever those entries were, and a large condition on their
  // bits would be composed into every caller's state, call after call.
  const entryInputs = [...ex.inputs].filter(([, ref]) => ref.kind === 'param-value' || ref.kind === 'param-slot').map(([name]) => name);
  const downgrade = state?.downgradeUnflushed ?? alg.FALSE;
  const stateRoots: Record<StateInput, number> = {
    downgrade: push(roots, alg.size(downgrade, EXACT_FLAG_LIMIT + 1) <= EXACT_FLAG_LIMIT ? downgrade : alg.exists(alg.and(downgrade, inputInvariants), entryInputs)),
    flush_pending: push(roots, state?.flushPending ?? alg.FALSE),
    folio_dirtied: push(roots, state?.folioDirtied ?? alg.FALSE),
    folio_exclusive: push(roots, state?.folioExclusive ?? alg.FALSE),
  };
  // What holds of the function's own unknowns that its results carry (the entries it read and
  // returned, which outcome it took); a path's invariants of other unknowns say nothing here.
  const live = new Set(alg.support(roots).filter((name) => !ex.inputs.has(name)));
  const own = (names: Iterable<string>) => [...names].filter((name) => !ex.inputs.has(name));
  const keptOf = (invariant: Bool) => {
    const support = alg.support(invariant);
    if (!support.some((name) => live.has(name))) return alg.TRUE;
    return alg.exists(invariant, own(support).filter((name) => !live.has(name)));
  };
  const invariants = [constraint, ...(merged?.invariants ?? [])];
  let kept: Bool;
  try {
    kept = alg.withinBudget(ex.bounds.maxSummaryInvariantNodes, () => alg.andAll([merged?.choice ?? alg.TRUE, ...invariants.map(keptOf)]));
  } catch (error) {
    if (!(error instanceof BddLimitError)) throw error;
    // The entries' invariants share the context facts, and their conjunction can grow with every
    // entry; each one on its own unknowns alone is weaker (a caller knows less of what the entries
    // are) but as small as the entries.
    ex.boundsHit.add(`what ${fn.name}'s entries are was too large to keep for its callers: each entry keeps its own invariant, without the VMA or folio facts it depends on`);
    kept = alg.andAll([merged?.choice ?? alg.TRUE, ...invariants.map((invariant) => keptOf(alg.exists(invariant, alg.support(invariant).filter((name) => ex.inputs.has(name)))))]);
  }
  const constraintRoot = push(roots, kept);
  const obligations: Obligation[] = groups.map((group) => {
    // each path's condition on the inputs alone first: far smaller than the paths' union
    // inputs and context facts are exactly the variables placed with the context
    const onInputs = alg.orAll(group.raws.map((raw) => alg.projectConjunction(raw.state.condition, raw.hit.condition)));
    const first = group.raws[0]!;
    const installsInto = first.installsInto;
    return {
      rule: group.finding.rule,
      severity: group.severity,
      condition: push(roots, onInputs),
      ...(installsInto ? { installsInto } : {}),
      finding: group.finding,
      via: first.imported
        ? [{ function: fn.name, ...(fn.origin ? { file: fn.origin } : {}), range: first.range, callee: first.imported.callee }, ...first.imported.obligation.via]
        : [],
    };
  });
  const formulas = alg.exportFormulas(roots);
  const usedInputs = new Set(formulas.variables);
  return {
    name: fn.name,
    ...(fn.origin ? { file: fn.origin } : {}),
    profile: ex.sim.profile.name,
    params: fn.params.map((p) => ({ name: p.name, type: p.type })),
    inputs: [...ex.inputs].filter(([name]) => usedInputs.has(name)),
    factParams: Object.fromEntries(ex.factParams),
    formulas,
    ...(returned ? { returned } : {}),
    slots,
    members,
    state: stateRoots,
    constraint: constraintRoot,
    obligations,
    touchesEntries: ex.touchesEntries,
    notModelled: [...ex.notModelled],
    boundsHit: [...ex.boundsHit],
  };
}

function push(roots: Bool[], value: Bool): number {
  roots.push(value);
  return roots.length - 1;
}

const inputTables = new WeakMap<FunctionSummary, ReadonlyMap<string, InputRef>>();

function inputTable(summary: FunctionSummary): ReadonlyMap<string, InputRef> {
  let table = inputTables.get(summary);
  if (!table) {
    table = new Map(summary.inputs);
    inputTables.set(summary, table);
  }
  return table;
}

/** Applies `summary` at the call `expr`: the caller continues on one state. */
export function applySummary(ex: Executor, state: PathState, expr: Extract<IrExpr, { kind: 'call' }>, summary: FunctionSummary): Value {
  const alg = ex.alg;
  const args = summary.params.map((_, i) => (expr.args[i] ? ex.evaluate(state, expr.args[i]!) : undefined));
  for (const extra of expr.args.slice(summary.params.length)) ex.evaluate(state, extra);
  ex.touchesEntries ||= summary.touchesEntries;
  const argText = (i: number) => (expr.args[i] ? printExpr(expr.args[i]!) : summary.params[i]!.name);
  const stand = new Map<number, EntryValue>();
  /** The entry argument `i`, or a fresh one standing for what the engine cannot evaluate. */
  const argEntry = (i: number): EntryValue => {
    const arg = args[i];
    if (arg?.kind === 'entry') return arg.value;
    let fresh = stand.get(i);
    if (!fresh) {
      const type = summary.params[i]!.type;
      const kind = type.kind === 'swp' || type.kind === 'prot' ? type.kind : 'entry';
      // it is what the callee reads as an entry of its VMA: the one the caller passed for it
      const vma = factSourceOf(ex, summary, args, argText, 'vma') ?? ex.facts(ex.targetVma);
      fresh = ex.freshOpaqueValue(state, argText(i), kind, type.kind === 'entry' || type.kind === 'slot' ? type.level : 'pte', { vma, folio: ex.facts('folio') });
      stand.set(i, fresh);
    }
    return fresh;
  };
  const slotTarget = (param: number, member: string | undefined): { slot?: number; local?: string } => {
    const argExpr = expr.args[param];
    if (member !== undefined) {
      if (!argExpr) return {};
      const value = ex.field(state, { kind: 'field', base: argExpr, field: member, arrow: true, range: expr.range });
      return value.kind === 'slot' ? { slot: value.slot } : {};
    }
    const arg = args[param];
    if (arg?.kind === 'slot') return { slot: arg.slot };
    if (argExpr?.kind === 'address-of' && argExpr.operand.kind === 'var') return { local: argExpr.operand.name };
    return {};
  };
  const slotValue = (param: number, member: string | undefined): EntryValue => {
    const target = slotTarget(param, member);
    if (target.slot !== undefined) return state.slots[target.slot]!.value;
    const local = target.local !== undefined ? state.locals.get(target.local) : undefined;
    if (local?.kind === 'entry') return local.value;
    return argEntry(param);
  };
  /** What the caller's member of argument `param` holds; of a fault's copy it does not know (`orig_pte`), what the slot member holds. */
  const memberValue = (param: number, member: string): EntryValue => {
    const argExpr = expr.args[param];
    const value = argExpr ? ex.field(state, { kind: 'field', base: argExpr, field: member, arrow: true, range: expr.range }) : undefined;
    if (value?.kind === 'entry') return value.value;
    const copied = FAULT_COPY_MEMBERS[member];
    return copied ? slotValue(param, copied) : argEntry(param);
  };
  /** Slots whose entry the caller could not compare with its copy exactly: where `same` holds, the slot holds the copy. */
  const identified: { slot: number; same: Bool; copy: EntryValue }[] = [];
  /** Whether the caller's slot member holds its copy: exact where that is small, else an unknown that makes the slot the copy where it holds. */
  const sameAsCopy = (param: number, level: 'pte' | 'pmd'): Bool => {
    const value = slotValue(param, level);
    const copy = memberValue(param, faultCopyMember(level));
    const exact = exactSameValue(alg, value, copy);
    if (exact !== undefined) return exact;
    const same = alg.variable(`${argText(param)}->${level} same as its copy⟨${ex.nextFresh()}⟩`);
    const slot = slotTarget(param, level).slot;
    if (slot !== undefined) identified.push({ slot, same, copy });
    return same;
  };
  const layout = ex.sim.set.layout;
  const bitOf = (value: EntryValue, field: string): Bool => {
    const index = field.startsWith('is_') ? layout.formIndex(field.slice(3) as never) : layout.indexOf(field);
    return index === undefined ? alg.FALSE : (value.bits[index] ?? alg.FALSE);
  };
  // A slot handed on as it was read belongs to the VMA the callee is given with it (a function
  // with two VMAs, as fork's copy_pud_range, walks the tables of one and passes that one along)
  const calleeVma = factSourceOf(ex, summary, args, argText, 'vma');
  if (calleeVma && calleeVma !== ex.facts(ex.targetVma)) {
    summary.params.forEach((param, i) => {
      const slot = param.type.kind === 'slot' ? slotTarget(i, undefined).slot : undefined;
      const value = slot !== undefined ? state.slots[slot]!.value : undefined;
      if (value && ex.isFromTable(value)) state.assumeInvariant(alg, ex.sim.hazards.readInvariant(alg, value.level, value, { vma: calleeVma, folio: ex.facts('folio') }));
    });
  }
  const inputs = inputTable(summary);
  const substitute = (name: string): Bool => {
    const ref = inputs.get(name);
    if (!ref) return alg.variable(`${name}⟨${summary.name}#${ex.nextFresh()}⟩`);
    switch (ref.kind) {
      case 'param-value':
        return bitOf(argEntry(ref.param), ref.field);
      case 'param-cleared': {
        const arg = args[ref.param];
        return (arg?.kind === 'entry' ? ex.clearedOnPurpose.get(arg.value)?.get(ref.fact) : undefined) ?? alg.FALSE;
      }
      case 'param-slot':
        return bitOf(slotValue(ref.param, ref.member), ref.field);
      case 'param-member':
        return bitOf(memberValue(ref.param, ref.member), ref.field);
      case 'fault-same':
        return sameAsCopy(ref.param, ref.level);
      case 'param-in-table': {
        const target = slotTarget(ref.param, undefined);
        return target.slot === undefined && target.local !== undefined ? alg.FALSE : alg.TRUE;
      }
      case 'param-observed': {
        const target = slotTarget(ref.param, ref.member);
        return target.slot !== undefined ? state.slots[target.slot]!.observed : alg.FALSE;
      }
      case 'param-bool': {
        const arg = args[ref.param];
        return arg ? ex.truth(state, arg, argText(ref.param)) : ex.opaque(state, `${argText(ref.param)}?`);
      }
      case 'param-below': {
        const argExpr = expr.args[ref.param];
        const arg = args[ref.param];
        return argExpr && arg ? ex.below(state, argExpr, arg, ref.below) : ex.opaque(state, `${argText(ref.param)} < ${ref.below}`);
      }
      case 'param-lock':
        return ex.pageTableLock(args[ref.param], expr.args[ref.param]);
      case 'fact':
        return factOf(ex, state, summary, args, argText, ref.prefix, ref.fact);
      case 'state':
        return { downgrade: state.downgradeUnflushed, flush_pending: state.flushPending, folio_dirtied: state.folioDirtied, folio_exclusive: state.folioExclusive }[ref.which];
    }
  };
  const roots = alg.importFormulas(summary.formulas, substitute);
  const entry = (p: PortableEntry): EntryValue => {
    const bits = new Int32Array(p.bits.length);
    p.bits.forEach((ref, i) => (bits[i] = roots[ref]!));
    return { kind: p.kind, level: p.level, bits };
  };
  state.assumeInvariant(alg, roots[summary.constraint]!);
  if (!isInert(summary)) state.events.push({ kind: 'call', range: expr.range, detail: printExpr(expr) });

  // What the callee may cause, judged with this path's facts.
  for (const obligation of summary.obligations) {
    let installsInto: RawFinding['installsInto'];
    if (obligation.installsInto) {
      const target = slotTarget(obligation.installsInto.param, obligation.installsInto.member);
      if (target.slot === undefined) {
        // written through a pointer to a local copy, or to something the engine knows is no slot
        if (target.local !== undefined || args[obligation.installsInto.param]?.kind !== 'unknown') continue;
      } else {
        installsInto = state.slots[target.slot]!.param;
      }
    }
    ex.record(state, { rule: { id: obligation.rule, severity: obligation.severity, message: obligation.finding.message }, condition: roots[obligation.condition]! }, expr.range, undefined, {
      imported: { obligation, callee: summary.name },
      ...(installsInto ? { installsInto } : {}),
    });
  }

  // What the callee left in the slots, members and path state it was given.
  const written = new Set<number>();
  for (const out of summary.slots) {
    const target = slotTarget(out.param, out.member);
    const value = entry(out.value);
    if (out.member === undefined) written.add(out.param);
    if (target.slot !== undefined) {
      const before = state.slots[target.slot]!;
      const live = entry(out.live);
      // whether the caller knows what the slot holds now is the callee's say (it starts from the caller's; an unknown write ends it)
      state.slots = state.slots.map((s, i) => (i === target.slot ? { ...s, value, live, observed: roots[out.observed]! } : s));
      if (value.bits.some((bit, i) => bit !== before.value.bits[i])) {
        state.events.push({ kind: 'install', range: expr.range, detail: `${summary.name}() writes ${before.name}`, before: before.value, after: value, level: before.level });
      }
    } else if (target.local !== undefined) {
      state.locals.set(target.local, { kind: 'entry', value });
      state.touch(target.local);
    }
  }
  for (const { slot, same, copy } of identified) {
    state.slots = state.slots.map((s, i) => {
      if (i !== slot) return s;
      const live = s.live.bits.every((bit, b) => bit === s.value.bits[b]);
      return { ...s, value: selectValue(alg, same, copy, s.value), live: live ? selectValue(alg, same, copy, s.live) : s.live };
    });
  }
  expr.args.forEach((arg, i) => {
    if (!written.has(i)) ex.forgetOutParameter(state, arg);
  });
  for (const member of summary.members) {
    const argExpr = expr.args[member.param];
    if (!argExpr) continue;
    const key = printExpr({ kind: 'field', base: argExpr, field: member.member, arrow: true, range: expr.range });
    state.locals.set(key, toValue(ex, state, member.value, roots, entry, args));
    state.touch(key);
  }
  state.downgradeUnflushed = roots[summary.state.downgrade]!;
  state.flushPending = roots[summary.state.flush_pending]!;
  state.folioDirtied = roots[summary.state.folio_dirtied]!;
  state.folioExclusive = roots[summary.state.folio_exclusive]!;
  return summary.returned ? toValue(ex, state, summary.returned, roots, entry, args) : UNKNOWN(printExpr(expr));
}

function toValue(ex: Executor, state: PathState, value: PortableValue, roots: readonly Bool[], entry: (p: PortableEntry) => EntryValue, args: ReadonlyArray<Value | undefined>): Value {
  switch (value.kind) {
    case 'entry':
      return { kind: 'entry', value: entry(value.entry) };
    case 'bool':
      return { kind: 'bool', value: roots[value.bit]! };
    case 'param-slot': {
      const arg = args[value.param];
      if (arg?.kind !== 'slot') return UNKNOWN(`slot#${ex.nextFresh()}`);
      return value.nonNull !== undefined ? { ...arg, nonNull: roots[value.nonNull]! } : arg;
    }
    case 'slot': {
      const slot = ex.newSlot(state, value.name, value.level, entry(value.value));
      const live = entry(value.live);
      state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, live } : s));
      return value.nonNull !== undefined ? { ...slot, nonNull: roots[value.nonNull]! } : slot;
    }
    case 'object': {
      const arg = value.param !== undefined ? args[value.param] : undefined;
      const found: Extract<Value, { kind: 'object' }> = arg?.kind === 'object' ? arg : { kind: 'object', object: value.object, name: value.object === 'vma' ? 'vma' : value.name };
      return {
        ...found,
        ...(value.nonNull !== undefined ? { nonNull: roots[value.nonNull]! } : {}),
        ...(value.pageTable !== undefined ? { pageTable: roots[value.pageTable]! } : {}),
      };
    }
    case 'unknown':
      return UNKNOWN(`result#${ex.nextFresh()}`);
  }
}

/** A callee's fact in the caller: of the object the caller passed for it, or the caller's own. */
function factOf(ex: Executor, state: PathState, summary: FunctionSummary, args: ReadonlyArray<Value | undefined>, argText: (i: number) => string, prefix: string, fact: string): Bool {
  const param = summary.factParams[prefix];
  const arg = param !== undefined ? args[param] : undefined;
  if (param === undefined || !arg) return prefix === 'mm' ? ex.mmFact(state, ex.facts('mm'), fact) : ex.facts(prefix === 'vma' ? ex.targetVma : prefix).fact(fact);
  if (arg.kind === 'flag-set') return flagIn(ex.alg, arg, fact);
  // a zero passed for flags has none of them
  if (arg.kind === 'bool' && arg.value === ex.alg.FALSE && summary.params[param]?.type.kind === 'int') return ex.alg.FALSE;
  const source = factSourceOf(ex, summary, args, argText, prefix);
  if (source && arg.kind === 'object' && arg.object === 'mm') return ex.mmFact(state, source, fact);
  return source?.fact(fact) ?? ex.opaque(state, `${argText(param)} & ${fact}`);
}

/** The facts of the object the caller passed for the callee's `prefix` (its VMA, folio, flags), when the engine knows which. */
function factSourceOf(ex: Executor, summary: FunctionSummary, args: ReadonlyArray<Value | undefined>, argText: (i: number) => string, prefix: string): FactSource | undefined {
  const param = summary.factParams[prefix];
  const arg = param !== undefined ? args[param] : undefined;
  switch (arg?.kind) {
    case 'object':
      return ex.facts(arg.object === 'vma' ? arg.name : arg.object === 'folio' ? 'folio' : arg.object === 'mm' ? 'mm' : arg.name);
    case 'flags':
      return ex.facts(arg.owner);
    case 'unknown':
      // a VMA the engine cannot see the type of (a member of the caller's own struct) is still a VMA, named by its text
      return prefix === 'vma' ? ex.facts(canonicalVma(argText(param!))) : undefined;
    default:
      return undefined;
  }
}

