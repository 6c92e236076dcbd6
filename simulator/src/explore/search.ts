// Explores every schedule of a compiled program up to the bounds: depth-first over states,
// with a hash table of visited states and sleep sets (Godefroid's partial-order reduction).
// A sleep set holds the CPUs whose next step was already explored from an earlier state and
// commutes with everything done since; their steps are not taken again. Sleep sets prune
// transitions, never states, so every reachable state is still visited and checked. With
// state caching a state reached again with a smaller sleep set explores the steps that were
// asleep before and are awake now (and keeps the intersection).

import { describeEntry, describeTlb, worldKey, type World } from './world';
import { conflicts, StepContext, type Footprint, type PropertyReport, type StepEnvironment } from './step';
import { stateViolation } from './properties';
import type { CompiledProgram } from './program';
import type { ExploreOptions, InterleavingViolation, Reduction, ScheduleRow } from './types';

export const DEFAULT_MAX_STEPS = 200;
export const DEFAULT_MAX_STATES = 200_000;
/** How many transitions go by between two polls of isCancelled (and two pauses of searchSteps). */
const CANCEL_POLL = 64;

interface Transition {
  readonly cpu: number;
  readonly op: number;
  readonly next: World;
  readonly key: string;
  readonly footprint: Footprint;
  readonly action: string;
  readonly reports: readonly PropertyReport[];
}

export interface SearchOutcome {
  readonly states: number;
  readonly transitions: number;
  readonly schedules: number;
  readonly blocked: number;
  readonly stepsExceeded: boolean;
  readonly statesExceeded: boolean;
  readonly cancelled: boolean;
  readonly violation?: InterleavingViolation;
}

/** Runs a generator that only pauses to its end. */
export function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The search, as a generator that pauses every CANCEL_POLL transitions, so that a host can let other
 * work run between slices and stop it (return()) when it is no longer wanted.
 */
export function* searchSteps(program: CompiledProgram, options: ExploreOptions): Generator<void, SearchOutcome, void> {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const reduction: Reduction = options.reduction ?? 'sleep-sets';
  const env: StepEnvironment = { model: program.model, cpuNames: program.cpuNames, checks: new Set(program.properties) };
  const { cpuNames } = program;

  /** Visited states → the sleep set they were explored with. */
  const visited = new Map<string, Set<number>>();
  /** Explored edges, for counting schedules. */
  const edges = new Map<string, string[]>();
  /** The steps from the initial state to the current one; rendered as rows only for a violation. */
  const path: Transition[] = [];
  let transitions = 0;
  let blocked = 0;
  let stepsExceeded = false;
  let statesExceeded = false;
  let cancelled = false;
  let violation: InterleavingViolation | undefined;
  const stopped = () => cancelled || statesExceeded || violation !== undefined;

  function successors(world: World): Transition[] {
    const out: Transition[] = [];
    world.cpus.forEach((state, cpu) => {
      const op = program.cpus[cpu]![state.op];
      if (!op) return;
      const context = new StepContext(env, world, cpu, state.op, op.args);
      const outcome = op.steps.get(state.step)!.run(context);
      if (!outcome) return;
      const next = context.finish(outcome.next, (i) => program.cpus[cpu]![i]?.first);
      out.push({ cpu, op: state.op, next, key: worldKey(next), footprint: context.footprint, action: outcome.action, reports: context.reports });
    });
    return out;
  }

  function row(cpu: number, op: number, action: string, world: World): ScheduleRow {
    const operation = program.cpus[cpu]?.[op];
    const readers = world.mmapReaders.map((c) => cpuNames[c]).join(',');
    const locks = [
      world.ptl >= 0 ? `PTL:${cpuNames[world.ptl]}` : '',
      world.mmapWriter >= 0 ? `mmap:w(${cpuNames[world.mmapWriter]})` : '',
      readers ? `mmap:r(${readers})` : '',
    ].filter(Boolean);
    return {
      cpu: cpuNames[cpu] ?? '',
      op: operation?.name ?? '',
      ...(operation?.line !== undefined ? { opLine: operation.line } : {}),
      action,
      entry: describeEntry(program.model, world),
      tlbs: Object.fromEntries(cpuNames.map((name, i) => [name, describeTlb(world.tlbs[i]!)])),
      flushPending: world.pending,
      locks: locks.join(' ') || '-',
    };
  }

  function violate(report: PropertyReport, cpu: number, op: number): void {
    const blamedCpu = report.cpu ?? cpu;
    const blamedOp = report.op ?? op;
    const operation = program.cpus[blamedCpu]?.[blamedOp];
    violation = {
      property: report.property,
      message: path.length === 0 ? `the initial state breaks it: ${report.message}` : report.message,
      cpu: cpuNames[blamedCpu] ?? '',
      op: operation?.name ?? '',
      ...(operation?.line !== undefined ? { opLine: operation.line } : {}),
      schedule: path.map((t) => row(t.cpu, t.op, t.action, t.next)),
      initial: row(-1, -1, 'initial state', program.initial),
    };
  }

  function* explore(world: World, key: string, sleep: ReadonlySet<number>, depth: number, lastCpu: number, lastOp: number): Generator<void, void, void> {
    const stored = visited.get(key);
    const enabled = successors(world);
    let todo: Transition[];
    if (stored === undefined) {
      if (visited.size >= maxStates) {
        statesExceeded = true;
        return;
      }
      visited.set(key, new Set(sleep));
      const broken = stateViolation(env, world);
      if (broken) return violate(broken, lastCpu, lastOp);
      if (enabled.length === 0 && world.cpus.some((state, cpu) => state.op < program.cpus[cpu]!.length)) blocked++;
      todo = enabled.filter((t) => !sleep.has(t.cpu));
    } else {
      const awake = [...stored].filter((cpu) => !sleep.has(cpu));
      if (awake.length === 0) return;
      visited.set(key, new Set([...stored].filter((cpu) => sleep.has(cpu))));
      todo = enabled.filter((t) => awake.includes(t.cpu));
    }
    if (todo.length > 0 && depth >= maxSteps) {
      stepsExceeded = true;
      return;
    }
    const asleep = new Map<number, Footprint>();
    for (const t of enabled) if (sleep.has(t.cpu)) asleep.set(t.cpu, t.footprint);
    for (const t of todo) {
      if (stopped()) return;
      if (++transitions % CANCEL_POLL === 0) {
        if (options.isCancelled?.()) {
          cancelled = true;
          return;
        }
        yield;
      }
      const children = edges.get(key) ?? [];
      children.push(t.key);
      edges.set(key, children);
      path.push(t);
      if (t.reports.length > 0) {
        violate(t.reports[0]!, t.cpu, t.op);
      } else {
        const nextSleep = new Set<number>();
        if (reduction === 'sleep-sets') for (const [cpu, footprint] of asleep) if (!conflicts(footprint, t.footprint)) nextSleep.add(cpu);
        yield* explore(t.next, t.key, nextSleep, depth + 1, t.cpu, t.op);
      }
      path.pop();
      if (reduction === 'sleep-sets') asleep.set(t.cpu, t.footprint);
    }
  }

  const rootKey = worldKey(program.initial);
  yield* explore(program.initial, rootKey, new Set(), 0, -1, -1);
  return {
    states: visited.size,
    transitions,
    schedules: countSchedules(rootKey, edges),
    blocked,
    stepsExceeded,
    statesExceeded,
    cancelled,
    ...(violation ? { violation } : {}),
  };
}

/** Maximal paths from the root through the explored edges (an edge back into the current path is not followed). */
function countSchedules(root: string, edges: ReadonlyMap<string, readonly string[]>): number {
  const counted = new Map<string, number>();
  const onPath = new Set<string>();
  const count = (key: string): number => {
    const known = counted.get(key);
    if (known !== undefined) return known;
    const children = (edges.get(key) ?? []).filter((child) => !onPath.has(child));
    onPath.add(key);
    const total = children.length === 0 ? 1 : children.reduce((sum, child) => sum + count(child), 0);
    onPath.delete(key);
    counted.set(key, total);
    return total;
  };
  return count(root);
}
