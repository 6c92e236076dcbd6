// Paths through a function's CFG: statements, forks where both outcomes are satisfiable, joins
// of paths that arrive with the same state, and the bounds on loops and paths.

import { BddLimitError, type Bool } from '../sym';
import type { EntryValue } from '../model/value';
import type { BlockId, IrBlock, IrExpr, IrFunction, IrStatement, SourceRange, StateAnnotation } from '../ir';
import { printExpr } from '../irPrint';
import { PathState, type Decision } from './state';
import { blockOrder, loopBodies, type LoopBodies } from './loops';
import { joinIntegers } from './integers';
import { UNKNOWN, equalitiesOf, type Equalities, type Value } from './values';
import { flagSetSignature } from './flagSets';
import type { ClearedOnPurpose } from './events';
import type { Executor } from './execute';
import { STOPPED_EARLY } from './results';

export interface FinishedPath {
  readonly state: PathState;
  readonly end: 'return' | 'fragment-end' | 'bound';
  readonly returned?: Value;
}

export function assign(ex: Executor, state: PathState, target: IrExpr, value: Value, range: SourceRange): void {
  if (target.kind === 'var') {
    state.locals.set(target.name, value);
    state.touch(target.name);
    return;
  }
  if (target.kind === 'deref') {
    const pointer = ex.evaluate(state, target.pointer);
    if (pointer.kind === 'slot' && value.kind === 'entry') {
      ex.install(state, pointer.slot, value.value, 'store', range, `${printExpr(target)} = …`);
      return;
    }
  }
  const key = printExpr(target);
  state.locals.set(key, value);
  state.touch(key);
}

function runStatement(ex: Executor, state: PathState, statement: IrStatement): void {
  switch (statement.kind) {
    case 'declare':
      state.locals.set(statement.name, statement.init ? ex.evaluate(state, statement.init) : UNKNOWN(statement.name));
      state.touch(statement.name);
      return;
    case 'assign':
      assign(ex, state, statement.target, ex.evaluate(state, statement.value), statement.range);
      return;
    case 'eval':
      ex.evaluate(state, statement.expr);
      return;
    case 'opaque':
      return;
    case 'assert-state':
      assertState(ex, state, statement.annotation);
      return;
  }
}

/** `@mm state`: the subject (a local entry, or the last installed slot) has these bits on every path. */
function assertState(ex: Executor, state: PathState, annotation: StateAnnotation): void {
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
  const layout = ex.sim.set.layout;
  if (!value) {
    ex.record(state, { rule: STATE_RULE, condition: ex.alg.TRUE }, annotation.range, undefined, { message: `@mm state: nothing named ${subject ?? '(the last entry)'} on this path` });
    return;
  }
  const parts: Bool[] = [];
  if (annotation.form) parts.push(value.bits[layout.formIndex(annotation.form as never)] ?? ex.alg.FALSE);
  for (const bit of annotation.bits) {
    const index = layout.indexOf(bit.name);
    const actual = index === undefined ? ex.alg.FALSE : value.bits[index]!;
    parts.push(bit.value ? actual : ex.alg.not(actual));
  }
  const violation = ex.alg.not(ex.alg.andAll(parts));
  ex.record(state, { rule: STATE_RULE, condition: violation }, annotation.range, value);
}

/** Explores every path of `fn` from `initial`; returns the finished paths. */
export function explore(ex: Executor, fn: IrFunction, initial: PathState): FinishedPath[] {
  const finished: FinishedPath[] = [];
  const blocks = new Map<number, IrBlock>(fn.blocks.map((b) => [b.id, b]));
  const loops = loopBodies(fn);
  const order = blockOrder(fn);
  const work: WorkItem[] = [{ block: fn.entry, state: initial }];
  while (work.length > 0) {
    if (ex.isCancelled()) {
      ex.boundsHit.add(STOPPED_EARLY);
      break;
    }
    try {
      // merging the paths that meet at a join conjoins their conditions: it may run out of nodes too
      advance(ex, nextItem(ex, work, order, loops), blocks, loops, work, finished);
    } catch (error) {
      // out of BDD nodes: keep what the explored paths found (the manager grants a reserve for that)
      if (!(error instanceof BddLimitError)) throw error;
      ex.boundsHit.add(`${error.message}: the remaining paths were not explored`);
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
function nextItem(ex: Executor, work: WorkItem[], order: ReadonlyMap<BlockId, number>, loops: LoopBodies): WorkItem {
  const rank = (item: WorkItem) => (item.rank ??= order.get(item.block) ?? Infinity);
  let best = 0;
  for (let i = 1; i < work.length; i++) if (rank(work[i]!) < rank(work[best]!)) best = i;
  const item = work.splice(best, 1)[0]!;
  const header = loops.has(item.block);
  const key = (other: WorkItem) => (other.signature ??= `${header ? `${other.from}|` : ''}${stateSignature(other.state, (entry) => ex.clearedOnPurpose.get(entry))}`);
  for (let i = work.length - 1; i >= 0; i--) {
    const other = work[i]!;
    if (other.block !== item.block || key(other) !== key(item)) continue;
    work.splice(i, 1);
    item.state.condition = ex.alg.or(item.state.condition, other.state.condition);
    item.state.guard = ex.alg.or(item.state.guard, other.state.guard);
    item.state.invariants = ex.alg.and(item.state.invariants, other.state.invariants);
    item.state.steps = Math.max(item.state.steps, other.state.steps);
    item.state.locals = joinIntegers(item.state.locals, other.state.locals);
    ex.pathCount = Math.max(0, ex.pathCount - 1);
  }
  return item;
}

/**
 * What a return statement gives the caller. A function returning an integer is read by its
 * callers as a condition (`if (err)`, `if (!validate(…))`): its result is kept as one, so the
 * facts that decide it (a VMA flag, a folio test) reach the caller's branch.
 */
function returned(ex: Executor, state: PathState, expr: IrExpr): Value {
  const value = ex.evaluate(state, expr);
  const type = ex.fn.returnType.kind;
  if ((type === 'int' || type === 'bool') && value.kind !== 'bool') return { kind: 'bool', value: ex.truth(state, value, printExpr(expr), expr.range) };
  return value;
}

/** Runs one block of a path and queues where the path goes next. */
function advance(ex: Executor, item: WorkItem, blocks: ReadonlyMap<number, IrBlock>, loops: LoopBodies, work: WorkItem[], finished: FinishedPath[]): void {
  const { block: id, state, from } = item;
  const block = blocks.get(id);
  if (!block) return;
  const loop = loops.get(id);
  if (loop) state.loopVisits.set(id, from !== undefined && loop.has(from) ? (state.loopVisits.get(id) ?? 0) + 1 : 1);
  state.steps += block.statements.length + 1;
  if (state.steps > ex.bounds.maxStepsPerPath) {
    ex.boundsHit.add(`a path was cut after ${ex.bounds.maxStepsPerPath} steps`);
    finished.push({ state, end: 'bound' });
    return;
  }
  for (const statement of block.statements) runStatement(ex, state, statement);
  if (state.condition === ex.alg.FALSE) return; // an assertion the path cannot pass
  const term = block.terminator;
  switch (term.kind) {
    case 'goto':
      if (mayEnter(ex, state, id, blocks.get(term.target), loops)) work.push({ block: term.target, state, from: id });
      else finished.push({ state, end: 'bound' });
      break;
    case 'return':
      finished.push({ state, end: 'return', ...(term.value ? { returned: returned(ex, state, term.value) } : {}) });
      break;
    case 'fragment-end':
      finished.push({ state, end: 'fragment-end' });
      break;
    case 'branch': {
      const text = printExpr(term.condition);
      const tested = ex.evaluate(state, term.condition);
      const condition = ex.truth(state, tested, text, term.condition.range);
      const equalities = equalitiesOf(tested);
      const exhausted = block.loopHeader === true && loop !== undefined && (state.loopVisits.get(id) ?? 0) > ex.bounds.maxLoopUnroll;
      if (exhausted) ex.boundsHit.add(`loops unrolled at most ${ex.bounds.maxLoopUnroll} times`);
      const outcomes: Array<[boolean, number]> = (exhausted ? [[false, term.otherwise]] : [[true, term.then], [false, term.otherwise]]) as Array<[boolean, number]>;
      const enterable = outcomes.filter(([, target]) => mayEnter(ex, state, id, blocks.get(target), loops));
      const feasible = enterable.filter(([taken]) => ex.alg.intersects(state.condition, taken ? condition : ex.alg.not(condition)));
      if (feasible.length === 0 && enterable.length < 2) {
        finished.push({ state, end: 'bound' });
        break;
      }
      const record = feasible.length > 1 || outcomes.length > 1;
      fork(ex, state, work, id, feasible.map(([taken, target]) => ({
        condition: taken ? condition : ex.alg.not(condition),
        target,
        equal: taken ? equalities.whenTrue : equalities.whenFalse,
        ...(record ? { decision: { text, taken, range: term.range } } : {}),
      })));
      break;
    }
    case 'switch': {
      const text = printExpr(term.value);
      let rest: Bool = ex.alg.TRUE;
      const targets = term.cases.map((c) => {
        const label = c.values.length === 0 ? 'default' : c.values.map((v) => printExpr(v)).join(' | ');
        const matches = c.values.length === 0 ? ex.alg.TRUE : ex.alg.orAll(c.values.map((v) => ex.opaque(state, `${text} == ${printExpr(v)}`)));
        const taken = ex.alg.and(rest, matches);
        rest = ex.alg.and(rest, ex.alg.not(matches));
        return { taken, target: c.target, label };
      });
      const enterable = targets.filter((t) => mayEnter(ex, state, id, blocks.get(t.target), loops));
      const feasible = enterable.filter((t) => ex.alg.intersects(state.condition, t.taken));
      if (enterable.length < targets.length && feasible.length === 0) {
        finished.push({ state, end: 'bound' });
        break;
      }
      fork(ex, state, work, id, feasible.map((t) => ({
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
function fork(ex: Executor, state: PathState, work: WorkItem[], from: BlockId, outcomes: ReadonlyArray<{ condition: Bool; target: number; decision?: Decision; equal?: Equalities['whenTrue'] }>): void {
  outcomes.forEach((outcome, i) => {
    const last = i === outcomes.length - 1;
    if (!last && !mayFork(ex)) return;
    const next = last ? state : state.clone();
    next.assume(ex.alg, outcome.condition);
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
function mayEnter(ex: Executor, state: PathState, from: BlockId, to: IrBlock | undefined, loops: LoopBodies): boolean {
  if (!to || !loops.get(to.id)?.has(from)) return true;
  const arrivals = state.loopVisits.get(to.id) ?? 0;
  const limit = to.loopHeader ? ex.bounds.maxLoopUnroll + 1 : ex.bounds.maxLoopUnroll;
  if (arrivals < limit) return true;
  ex.boundsHit.add(`loops unrolled at most ${ex.bounds.maxLoopUnroll} times`);
  return false;
}

/** Counts a fork against the path bound. */
function mayFork(ex: Executor): boolean {
  if (ex.pathCount + 1 >= ex.bounds.maxPaths) {
    ex.boundsHit.add(`analysis truncated after ${ex.bounds.maxPaths} paths`);
    return false;
  }
  ex.pathCount++;
  return true;
}

/** What a path carries forward, as text: two paths with the same one behave alike from here on. */
/** `cleared`: the bits an entry lacks on purpose (two entries alike but for that are told apart). */
function stateSignature(state: PathState, cleared: (entry: EntryValue) => ClearedOnPurpose | undefined): string {
  const parts: string[] = [];
  const tags = (entry: EntryValue) => [...(cleared(entry) ?? [])].map(([fact, when]) => `${fact}?${when}`).join('+');
  for (const slot of state.slots) parts.push(`${slot.value.bits.join(',')}${tags(slot.value)}/${slot.live.bits.join(',')}/${slot.observed}/${slot.kernel ?? ''}/${slot.clearDowngrade ? `${slot.clearDowngrade.before}-${slot.clearDowngrade.after}` : ''}`);
  for (const [name, value] of [...state.locals].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${name}=${valueSignature(value)}${value.kind === 'entry' ? tags(value.value) : ''}`);
  parts.push(`${state.downgradeUnflushed},${state.outerDowngrade},${state.flushPending},${state.folioDirtied},${state.folioExclusive},${state.mmapWriteLocked},${state.folioLocked},${state.folioLockDowngrade}`);
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
      return `F${flagSetSignature(value)}`;
    case 'unknown':
      return `u${value.name}`;
  }
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

export const STATE_RULE = { id: 'state-mismatch', severity: 'error' as const, message: 'the entry does not have the bits the @mm state annotation states' };

/** A block a path is about to run, and the block it came from (for counting loop arrivals). */
interface WorkItem {
  readonly block: BlockId;
  readonly state: PathState;
  readonly from?: BlockId;
  /** What the merge at a join point compares, computed once (merging changes only the condition, guard and invariants). */
  signature?: string;
  /** The block's place in reverse postorder, looked up once. */
  rank?: number;
}
