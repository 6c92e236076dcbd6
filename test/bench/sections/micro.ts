// The simulator's inner loop — applying helpers and checking the rules on the result —
// measured in one process so that the rows compare with each other.

import { performance } from 'node:perf_hooks';
import { Simulator, checkAllLaws } from '../../../simulator/src';

export interface MicroRow {
  readonly name: string;
  readonly iterations: number;
  readonly microsPerOp: number;
}

function measure(name: string, iterations: number, body: () => void): MicroRow {
  for (let i = 0; i < Math.min(1000, iterations); i++) body(); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body();
  return { name, iterations, microsPerOp: ((performance.now() - start) * 1000) / iterations };
}

/** `scale` < 1 runs fewer iterations (quick mode). */
export function microBenchmarks(scale = 1): MicroRow[] {
  const n = (iterations: number) => Math.max(1, Math.round(iterations * scale));
  const rows: MicroRow[] = [];
  for (const profile of ['x86_64@6.19', 'arm64@6.19']) {
    const sim = new Simulator(profile);
    const vma = sim.facts('vma');
    const folio = sim.facts('folio');
    const pte = sim.presentEntry('pte');
    const chain = ['pte_mkyoung', 'pte_mkdirty', 'pte_wrprotect', 'pte_mkuffd_wp', 'pte_clear_uffd_wp'];
    const written = sim.apply('pte_mkwrite', pte, vma);
    rows.push(measure(`${profile} apply pte_mkwrite (symbolic entry)`, n(20000), () => sim.apply('pte_mkwrite', pte, vma)));
    rows.push(measure(`${profile} apply a 5-helper chain`, n(5000), () => chain.reduce((v, name) => sim.apply(name, v), pte)));
    rows.push(measure(`${profile} check state rules on an install`, n(5000), () => sim.hazards.checkState(sim.alg, 'pte', written, { vma, folio })));
    rows.push(measure(`${profile} check transition rules`, n(5000), () => sim.hazards.checkTransition(sim.alg, 'pte', pte, written, 'store', { vma, folio })));
    rows.push(measure(`${profile} fresh simulator + all laws`, Math.max(2, n(5)), () => checkAllLaws(new Simulator(profile))));
  }
  return rows;
}
