// Building a function's summary from its explored paths, and applying a callee's summary at a
// call (the data is in summary.ts). Building merges the paths into one state by their guards,
// keeps the invariants of the function's own unknowns that its results mention, and turns each
// hazard into an obligation on the inputs. Applying rebuilds the formulas in the caller's
// solver with the caller's values for the inputs, records each obligation the caller's path
// allows, and updates the caller's slots, members and path state.

import type { Bool, BoolAlgebra } from '../sym';
import { selectValue, type EntryValue } from '../model/value';
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
import { UNKNOWN, type Value } from './values';

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
  readonly returned: Value | undefined;
  readonly invariants: Bool;
}

/** The function's paths as one state: each value selected by the guards of the paths. */
function mergePaths(alg: BoolAlgebra, finished: readonly FinishedPath[]): Merged | undefined {
  // paths cut by a bound do not return to the caller (unless nothing else does)
  const returning = finished.filter((path) => path.end !== 'bound');
  const paths = returning.length > 0 ? returning : finished;
  if (paths.length === 0) return undefined;
  const merged = paths[0]!.state.clone();
  let returned = paths[0]!.returned;
  let invariants = merged.invariants;
  for (const other of paths.slice(1)) {
    const g = other.state.guard;
    merged.slots = merged.slots.map((slot) => {
      if (!slot.param) return slot;
      const theirs = other.state.slots.find((s) => sameParam(s.param, slot.param));
      if (!theirs) return slot;
      return {
        ...slot,
        value: selectValue(alg, g, theirs.value, slot.value),
        live: selectValue(alg, g, theirs.live, slot.live),
        observed: alg.ite(g, theirs.observed, slot.observed),
      };
    });
    for (const theirs of other.state.slots) {
      if (theirs.param && !merged.slots.some((s) => sameParam(s.param, theirs.param))) merged.slots.push(theirs);
    }
    for (const [key, value] of other.state.locals) {
      if (!key.includes('->')) continue;
      merged.locals.set(key, joinValues(alg, g, value, merged.locals.get(key)) ?? value);
    }
    merged.downgradeUnflushed = alg.ite(g, other.state.downgradeUnflushed, merged.downgradeUnflushed);
    merged.flushPending = alg.ite(g, other.state.flushPending, merged.flushPending);
    merged.folioDirtied = alg.ite(g, other.state.folioDirtied, merged.folioDirtied);
    invariants = alg.and(invariants, other.state.invariants);
    returned = joinValues(alg, g, other.returned, returned);
  }
  return { state: merged, returned, invariants };
}

function sameParam(a: PathState['slots'][number]['param'], b: PathState['slots'][number]['param']): boolean {
  return a !== undefined && b !== undefined && a.param === b.param && a.member === b.member;
}

function joinValues(alg: BoolAlgebra, condition: Bool, a: Value | undefined, b: Value | undefined): Value | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.kind === 'bool' && b.kind === 'bool') return { kind: 'bool', value: alg.ite(condition, a.value, b.value) };
  if (a.kind === 'entry' && b.kind === 'entry') return { kind: 'entry', value: selectValue(alg, condition, a.value, b.value) };
  return a;
}

/** The function's summary: its paths merged, its hazards as obligations on its inputs. */
export function buildSummary(ex: Executor, fn: IrFunction, finished: readonly FinishedPath[], groups: readonly FindingGroup[]): FunctionSummary {
  const alg = ex.alg;
  const roots: Bool[] = [];
  const merged = mergePaths(alg, finished);
  let constraint: Bool = alg.TRUE;
  const tooLarge = (value: EntryValue) => value.bits.some((bit) => alg.size(bit, MERGED_BIT_LIMIT + 1) > MERGED_BIT_LIMIT);
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
        const slot = merged.state.slots[value.slot];
        if (!slot) return { kind: 'unknown' };
        if (slot.param && slot.param.member === undefined) return { kind: 'param-slot', param: slot.param.param };
        return { kind: 'slot', name: slot.name, level: slot.level, value: portableEntry(bounded(slot.value, slot.name), roots), live: portableEntry(bounded(slot.live, slot.name), roots) };
      }
      case 'object': {
        const param = ex.paramIndex.get(value.name) ?? ex.factParams.get(value.name);
        return { kind: 'object', object: value.object, name: value.name, ...(param !== undefined ? { param } : {}) };
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
  const stateRoots: Record<StateInput, number> = {
    downgrade: push(roots, state?.downgradeUnflushed ?? alg.FALSE),
    flush_pending: push(roots, state?.flushPending ?? alg.FALSE),
    folio_dirtied: push(roots, state?.folioDirtied ?? alg.FALSE),
  };
  // Invariants of the function's own unknowns matter only for those its results mention.
  const live = new Set<string>();
  for (const root of roots) for (const name of alg.support(root)) live.add(name);
  const own = (names: Iterable<string>) => [...names].filter((name) => !ex.inputs.has(name));
  const invariants = alg.and(merged?.invariants ?? alg.TRUE, constraint);
  const kept = alg.exists(invariants, own(alg.support(invariants)).filter((name) => !live.has(name)));
  const constraintRoot = push(roots, kept);
  const obligations: Obligation[] = groups.map((group) => {
    const condition = alg.orAll(group.raws.map((raw) => alg.and(raw.state.condition, raw.hit.condition)));
    const onInputs = alg.exists(condition, own(alg.support(condition)));
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
      fresh = ex.freshOpaqueValue(state, argText(i), kind, type.kind === 'entry' || type.kind === 'slot' ? type.level : 'pte');
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
  const layout = ex.sim.set.layout;
  const bitOf = (value: EntryValue, field: string): Bool => {
    const index = field.startsWith('is_') ? layout.formIndex(field.slice(3) as never) : layout.indexOf(field);
    return index === undefined ? alg.FALSE : (value.bits[index] ?? alg.FALSE);
  };
  const inputs = inputTable(summary);
  const substitute = (name: string): Bool => {
    const ref = inputs.get(name);
    if (!ref) return alg.variable(`${name}⟨${summary.name}#${ex.nextFresh()}⟩`);
    switch (ref.kind) {
      case 'param-value':
        return bitOf(argEntry(ref.param), ref.field);
      case 'param-slot':
        return bitOf(slotValue(ref.param, ref.member), ref.field);
      case 'param-observed': {
        const target = slotTarget(ref.param, ref.member);
        return target.slot !== undefined ? state.slots[target.slot]!.observed : alg.FALSE;
      }
      case 'param-bool': {
        const arg = args[ref.param];
        return arg ? ex.truth(state, arg, argText(ref.param)) : ex.opaque(state, `${argText(ref.param)}?`);
      }
      case 'fact':
        return factOf(ex, state, summary, args, argText, ref.prefix, ref.fact);
      case 'state':
        return ref.which === 'downgrade' ? state.downgradeUnflushed : ref.which === 'flush_pending' ? state.flushPending : state.folioDirtied;
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
      state.slots = state.slots.map((s, i) => (i === target.slot ? { ...s, value, live, observed: alg.or(s.observed, roots[out.observed]!) } : s));
      if (value.bits.some((bit, i) => bit !== before.value.bits[i])) {
        state.events.push({ kind: 'install', range: expr.range, detail: `${summary.name}() writes ${before.name}`, before: before.value, after: value, level: before.level });
      }
    } else if (target.local !== undefined) {
      state.locals.set(target.local, { kind: 'entry', value });
      state.touch(target.local);
    }
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
      return arg?.kind === 'slot' ? arg : UNKNOWN(`slot#${ex.nextFresh()}`);
    }
    case 'slot': {
      const slot = ex.newSlot(state, value.name, value.level, entry(value.value));
      const live = entry(value.live);
      state.slots = state.slots.map((s, i) => (i === slot.slot ? { ...s, live } : s));
      return slot;
    }
    case 'object': {
      const arg = value.param !== undefined ? args[value.param] : undefined;
      if (arg?.kind === 'object') return arg;
      return { kind: 'object', object: value.object, name: value.object === 'vma' ? 'vma' : value.name };
    }
    case 'unknown':
      return UNKNOWN(`result#${ex.nextFresh()}`);
  }
}

/** A callee's fact in the caller: of the object the caller passed for it, or the caller's own. */
function factOf(ex: Executor, state: PathState, summary: FunctionSummary, args: ReadonlyArray<Value | undefined>, argText: (i: number) => string, prefix: string, fact: string): Bool {
  const param = summary.factParams[prefix];
  const arg = param !== undefined ? args[param] : undefined;
  if (param === undefined || !arg) return ex.facts(prefix === 'vma' ? ex.targetVma : prefix).fact(fact);
  switch (arg.kind) {
    case 'object':
      return ex.facts(arg.object === 'vma' ? arg.name : arg.object === 'folio' ? 'folio' : arg.object === 'mm' ? 'mm' : arg.name).fact(fact);
    case 'flags':
      return ex.facts(arg.owner).fact(fact);
    case 'flag-set':
      return ex.alg.constant(arg.names.includes(fact));
    default:
      return ex.opaque(state, `${argText(param)} & ${fact}`);
  }
}

