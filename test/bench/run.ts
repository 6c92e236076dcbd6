// npm run bench: numbers, never assertions. Starts with the simulator's inner
// loop — applying a helper and checking the rules on its result — measured
// in one process so the ratios between lines are comparable.
import { performance } from 'node:perf_hooks';
import { Simulator, checkAllLaws } from '../../simulator/src';
import { measureEditLatency } from './editLatency';

interface Row {
  name: string;
  iterations: number;
  microsPerOp: number;
}

function measure(name: string, iterations: number, body: (i: number) => void): Row {
  for (let i = 0; i < Math.min(1000, iterations); i++) body(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body(i);
  const micros = ((performance.now() - start) * 1000) / iterations;
  return { name, iterations, microsPerOp: Number(micros.toFixed(3)) };
}

const rows: Row[] = [];
for (const profile of ['x86_64@6.19', 'arm64@6.19']) {
  const sim = new Simulator(profile);
  const vma = sim.facts('vma');
  const folio = sim.facts('folio');
  const pte = sim.presentEntry('pte');
  const chain = ['pte_mkyoung', 'pte_mkdirty', 'pte_wrprotect', 'pte_mkuffd_wp', 'pte_clear_uffd_wp'];
  rows.push(measure(`${profile} apply pte_mkwrite (symbolic entry)`, 20000, () => sim.apply('pte_mkwrite', pte, vma)));
  rows.push(
    measure(`${profile} apply a 5-helper chain`, 5000, () => {
      let v = pte;
      for (const name of chain) v = sim.apply(name, v);
    }),
  );
  const written = sim.apply('pte_mkwrite', pte, vma);
  rows.push(measure(`${profile} check state rules on an install`, 5000, () => sim.hazards.checkState(sim.alg, 'pte', written, { vma, folio })));
  rows.push(measure(`${profile} check transition rules`, 5000, () => sim.hazards.checkTransition(sim.alg, 'pte', pte, written, 'store', { vma, folio })));
  rows.push(measure(`${profile} fresh simulator + all laws`, 5, () => checkAllLaws(new Simulator(profile))));
}

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${'benchmark'.padEnd(width)}  µs/op      iterations`);
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${String(row.microsPerOp).padEnd(10)} ${row.iterations}`);
console.log(JSON.stringify({ node: process.version, rows }));

void measureEditLatency().then((latency) => {
  console.log(`language server, ${latency.lines}-line file: edit → diagnostics median ${latency.editMedianMs} ms (p90 ${latency.editP90Ms} ms, budget 20 ms), first analysis ${latency.firstAnalysisMs} ms, server RSS ${latency.serverRssMb} MB`);
  console.log(JSON.stringify({ editLatency: latency }));
});
