// Multi-CPU interleavings with TLBs (issue 14, item 2): the public API of simulator/src/explore.
//
//   const result = exploreInterleavings({
//     profile: 'x86_64@5.11',
//     initial: { entry: { W: true, D: true, A: true }, vma: { flags: ['VM_READ', 'VM_WRITE', 'VM_UFFD_WP'] }, folio: ['anon', 'exclusive', 'pinned'] },
//     cpus: [{ name: 'cpu0', ops: [{ op: 'uffd_unwp' }] }, { name: 'cpu1', ops: [{ op: 'write' }] }, { name: 'cpu2', ops: [{ op: 'write' }, { op: 'write' }] }],
//   });
//   result.violation?.schedule  // rows: cpu, action, entry, every TLB

import { Simulator } from '../simulator';
import { OPERATIONS } from './operations';
import { compileProgram, ProgramInputError, variantRange } from './program';
import { propertyCatalogue, RACE_PROPERTIES } from './properties';
import { DEFAULT_MAX_STATES, DEFAULT_MAX_STEPS, finish, searchSteps } from './search';
import type { ConcurrentOperation } from './step';
import type { ConcurrentOperationInfo, ExploreBounds, ExploreOptions, InterleavingProgram, InterleavingResult, PropertyInfo } from './types';

export type * from './types';
export { DONE, StepContext, type ConcurrentOperation, type OperationVariant, type StepDef, type StepOutcome, type StepRun } from './step';
export { OPERATIONS } from './operations';
export { MAX_CPUS } from './program';
export { RACE_PROPERTIES } from './properties';
export { renderSchedule } from './render';

export const concurrentOperations: readonly ConcurrentOperationInfo[] = OPERATIONS.map(describeOperation);

export function describeOperation(op: ConcurrentOperation): ConcurrentOperationInfo {
  return {
    name: op.name,
    params: op.params,
    doc: op.doc,
    variants: op.variants.map((v) => ({
      ...(v.since ? { since: v.since } : {}),
      ...(v.until ? { until: v.until } : {}),
      source: v.source,
      steps: v.steps.map((s) => `${s.label}: ${s.summary}`),
      doc: v.doc,
    })),
  };
}

/** The properties a program can name on a profile (race properties, then state rules). */
export function interleavingProperties(profile: string): PropertyInfo[] {
  try {
    return propertyCatalogue(new Simulator(profile));
  } catch {
    return [...RACE_PROPERTIES];
  }
}

export function exploreInterleavings(program: InterleavingProgram, options: ExploreOptions = {}): InterleavingResult {
  return exploreWith(program, options, OPERATIONS);
}

/** As exploreInterleavings over another operation library (tests add operations of their own). */
export function exploreWith(program: InterleavingProgram, given: ExploreOptions | undefined, library: readonly ConcurrentOperation[]): InterleavingResult {
  return finish(exploreSteps(program, given, library));
}

/**
 * exploreInterleavings as a generator that pauses every few dozen transitions: a host runs it in
 * slices between other work, and stops it by not resuming it (or by isCancelled, which gives a
 * result that says `cancelled`).
 */
export function* exploreSteps(program: InterleavingProgram, given: ExploreOptions | undefined, library: readonly ConcurrentOperation[] = OPERATIONS): Generator<void, InterleavingResult, void> {
  const options = given ?? {};
  const bounds: ExploreBounds = {
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxStates: options.maxStates ?? DEFAULT_MAX_STATES,
    reduction: options.reduction ?? 'sleep-sets',
    stepsExceeded: false,
    statesExceeded: false,
  };
  const failed = (message: string, cpu?: string, opLine?: number): InterleavingResult => ({
    holds: false,
    cancelled: false,
    complete: false,
    profile: String(program?.profile ?? ''),
    properties: [],
    bounds,
    explored: { states: 0, schedules: 0, transitions: 0, blocked: 0 },
    variants: {},
    error: { message, ...(cpu !== undefined ? { cpu } : {}), ...(opLine !== undefined ? { opLine } : {}) },
  });
  for (const bound of ['maxSteps', 'maxStates'] as const) {
    const value = options[bound];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) return failed(`${bound} must be a positive whole number, got ${value}`);
  }
  if (options.reduction !== undefined && options.reduction !== 'sleep-sets' && options.reduction !== 'none') return failed(`reduction is sleep-sets or none, got ${String(options.reduction)}`);
  try {
    const compiled = compileProgram(program, library);
    const outcome = yield* searchSteps(compiled, options);
    const variants: Record<string, string> = {};
    for (const op of compiled.cpus.flat()) variants[op.name] = `${op.variant.source} [${variantRange(op.variant)}]`;
    return {
      holds: !outcome.violation,
      cancelled: outcome.cancelled,
      complete: !outcome.cancelled && !outcome.stepsExceeded && !outcome.statesExceeded && !outcome.violation,
      profile: compiled.model.sim.profile.name,
      properties: compiled.properties,
      bounds: { ...bounds, stepsExceeded: outcome.stepsExceeded, statesExceeded: outcome.statesExceeded },
      explored: { states: outcome.states, schedules: outcome.schedules, transitions: outcome.transitions, blocked: outcome.blocked },
      variants,
      ...(outcome.violation ? { violation: outcome.violation } : {}),
    };
  } catch (error) {
    if (error instanceof ProgramInputError) return failed(error.message, error.cpu, error.opLine);
    return failed(`internal error while exploring: ${(error as Error)?.message ?? String(error)}`);
  }
}
