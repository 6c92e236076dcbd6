// Multi-CPU interleavings with TLBs (issue 14, item 2): the public API of simulator/src/explore.
// A first cut so the scenario side can build against the seam; the explorer follows.

import type { ConcurrentOperationInfo, ExploreOptions, InterleavingProgram, InterleavingResult } from './types';

export type * from './types';

export const concurrentOperations: readonly ConcurrentOperationInfo[] = [];

export function exploreInterleavings(program: InterleavingProgram, options: ExploreOptions = {}): InterleavingResult {
  return {
    holds: false,
    cancelled: false,
    complete: false,
    profile: program.profile,
    properties: [],
    bounds: { maxSteps: options.maxSteps ?? 200, maxStates: options.maxStates ?? 200_000, reduction: options.reduction ?? 'sleep-sets', stepsExceeded: false, statesExceeded: false },
    explored: { states: 0, schedules: 0, transitions: 0, blocked: 0 },
    variants: {},
    error: { message: 'the interleaving explorer is not built yet' },
  };
}
