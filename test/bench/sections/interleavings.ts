// Exploring seed 003's interleavings (simulator/src/explore, docs/interleavings.md): the
// old fault path (the violation found) and the fixed one (every schedule explored), with and
// without the partial-order reduction. Budget (issue 14): under 2 s for the whole exploration.

import { performance } from 'node:perf_hooks';
import { exploreInterleavings, type ExploreOptions, type InterleavingResult } from '../../../simulator/src/explore';
import { seed003 } from '../../simulator/explore/programs';
import type { Budget } from '../report/format';
import type { Rendered } from '../report/render';

export interface ExploreTiming {
  readonly profile: string;
  readonly reduction: string;
  /** First run in the process (compiles the profile's helpers), then the same again. */
  readonly coldMs: number;
  readonly warmMs: number;
  readonly verdict: string;
  readonly explored: InterleavingResult['explored'];
}

export function timeInterleavings(): ExploreTiming[] {
  const rows: ExploreTiming[] = [];
  for (const profile of ['x86_64@5.11', 'x86_64@5.12']) {
    for (const reduction of ['sleep-sets', 'none'] as const) {
      const options: ExploreOptions = { reduction };
      const run = () => {
        const started = performance.now();
        const result = exploreInterleavings(seed003(profile), options);
        return { ms: performance.now() - started, result };
      };
      const cold = run();
      const warm = run();
      const { result } = warm;
      const verdict = result.error ? `error: ${result.error.message}` : result.violation ? `violated: ${result.violation.property}` : result.complete ? 'holds' : 'incomplete';
      rows.push({ profile, reduction, coldMs: cold.ms, warmMs: warm.ms, verdict, explored: result.explored });
    }
  }
  return rows;
}

export function renderInterleavings(rows: readonly ExploreTiming[]): Rendered {
  const lines = rows.map(
    (r) =>
      `seed 003 on ${r.profile}, ${r.reduction}: ${r.verdict}; ${r.explored.states} states, ${r.explored.schedules} schedules, ${r.explored.transitions} transitions; ${Math.round(r.coldMs)} ms cold, ${Math.round(r.warmMs)} ms again`,
  );
  const budgets: Budget[] = rows
    .filter((r) => r.reduction === 'sleep-sets')
    .map((r) => ({ name: `explore seed 003 on ${r.profile} (${r.verdict})`, measured: Math.round(r.coldMs), unit: 'ms', limit: 2000, comparison: '<' }));
  return { lines, budgets };
}
