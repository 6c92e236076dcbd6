// npm run bench [-- --quick] [--only micro,files,cli,server] [--json file]
// Numbers, never assertions: the machines are shared and noisy, so budgets are printed next to
// the measured values (✓ / ✗) and compared as ratios measured in one run. Everything is written
// to test-output/bench/bench.json as well, for comparison across commits.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Simulator, checkAllLaws } from '../../simulator/src';
import { CParser, defaultWasmPaths } from '../../server/src/parsing';
import { writeKernelTree } from './kernelTree';
import { measureEditLatency, measureServerMemory } from './serverBench';
import { runCli, spatchListing, timeFiles, type FileTiming } from './treeBench';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const only = new Set((option('only') ?? 'micro,files,cli,server').split(','));
const sizes = quick ? { treeLines: 20_000, edits: 40, memoryEdits: 300 } : { treeLines: 200_000, edits: 200, memoryEdits: 10_000 };
const results: Record<string, unknown> = { node: process.version, quick, sizes };
const mark = (ok: boolean) => (ok ? '✓' : '✗');
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function microBenchmarks(): void {
  const measure = (iterations: number, body: () => void) => {
    for (let i = 0; i < Math.min(1000, iterations); i++) body(); // warm up
    const start = performance.now();
    for (let i = 0; i < iterations; i++) body();
    return round(((performance.now() - start) * 1000) / iterations, 2);
  };
  const rows: Array<{ name: string; microsPerOp: number }> = [];
  for (const profile of ['x86_64@6.19', 'arm64@6.19']) {
    const sim = new Simulator(profile);
    const vma = sim.facts('vma');
    const folio = sim.facts('folio');
    const pte = sim.presentEntry('pte');
    const chain = ['pte_mkyoung', 'pte_mkdirty', 'pte_wrprotect', 'pte_mkuffd_wp', 'pte_clear_uffd_wp'];
    const written = sim.apply('pte_mkwrite', pte, vma);
    rows.push({ name: `${profile} apply pte_mkwrite`, microsPerOp: measure(20000, () => sim.apply('pte_mkwrite', pte, vma)) });
    rows.push({ name: `${profile} apply a 5-helper chain`, microsPerOp: measure(5000, () => chain.reduce((v, name) => sim.apply(name, v), pte)) });
    rows.push({ name: `${profile} state rules on an install`, microsPerOp: measure(5000, () => sim.hazards.checkState(sim.alg, 'pte', written, { vma, folio })) });
    rows.push({ name: `${profile} transition rules`, microsPerOp: measure(5000, () => sim.hazards.checkTransition(sim.alg, 'pte', pte, written, 'store', { vma, folio })) });
    rows.push({ name: `${profile} fresh simulator + all laws`, microsPerOp: measure(5, () => checkAllLaws(new Simulator(profile))) });
  }
  console.log('\n## Simulator inner loop (µs per operation)');
  for (const row of rows) console.log(`  ${row.name.padEnd(44)} ${row.microsPerOp}`);
  results.micro = rows;
}

function summarizeTimings(label: string, timings: FileTiming[]): Record<string, unknown> {
  const ratios = timings.map((t) => t.ratio).sort((a, b) => a - b);
  const total = (key: 'parseMs' | 'lowerMs' | 'simulateMs') => round(timings.reduce((n, t) => n + t[key], 0), 0);
  const at = (q: number) => round(ratios[Math.min(ratios.length - 1, Math.floor(ratios.length * q))] ?? NaN, 2);
  const summary = { files: timings.length, lines: timings.reduce((n, t) => n + t.lines, 0), parseMs: total('parseMs'), lowerMs: total('lowerMs'), simulateMs: total('simulateMs'), ratioMedian: at(0.5), ratioP90: at(0.9), ratioMax: at(1) };
  console.log(`\n## Per file: ${label} (${summary.files} files, ${summary.lines} lines)`);
  console.log(`  parse ${summary.parseMs} ms, lowering ${summary.lowerMs} ms, simulation ${summary.simulateMs} ms in all`);
  console.log(`  (lowering + simulation) / parse: median ${summary.ratioMedian}, p90 ${summary.ratioP90}, max ${summary.ratioMax} (budget ≤ 1.0 ${mark(summary.ratioMedian <= 1)})`);
  for (const t of [...timings].sort((a, b) => b.ratio - a.ratio).slice(0, 5)) {
    console.log(`    ${t.file.split('/').slice(-2).join('/').padEnd(28)} ${String(t.lines).padStart(6)} lines  parse ${round(t.parseMs)} ms  lower ${round(t.lowerMs)} ms  simulate ${round(t.simulateMs)} ms  ratio ${round(t.ratio, 2)}`);
  }
  return summary;
}

async function fileSection(parser: CParser, label: string, files: string[]): Promise<void> {
  const { timings, paths } = timeFiles(parser, files);
  const summary = summarizeTimings(label, timings);
  console.log(`  paths per function (${paths.functions} functions): ${Object.entries(paths.pathsPerFunction).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  console.log(`  bounds hit (functions): ${Object.entries(paths.boundsHit).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join('; ') || 'none'}`);
  (results.files ??= {} as Record<string, unknown>);
  (results.files as Record<string, unknown>)[label] = { ...summary, paths };
}

async function cliSection(label: string, dir: string, lines: number): Promise<void> {
  console.log(`\n## mmlens check over ${label} (${lines} lines)`);
  const runs = [];
  for (const jobs of [1, 2]) {
    const run = await runCli(dir, jobs);
    runs.push(run);
    const perSecond = (n: number) => Math.round(n / (run.wallMs / 1000));
    console.log(`  --jobs ${jobs}: ${round(run.wallMs / 1000)} s, ${perSecond(run.functions)} functions/s, ${perSecond(run.paths)} paths/s, peak RSS ${run.peakRssMb ?? '?'} MB, ${run.findings} findings`);
  }
  const scaled = (runs[1]!.wallMs / 1000) * (200_000 / lines);
  console.log(`  at 2 workers, 200,000 lines would take ${round(scaled)} s (budget ≤ 5 s ${mark(scaled <= 5)})`);
  const spatch = spatchListing(dir, 2);
  if ('skipped' in spatch) console.log(`  Coccinelle comparison skipped: ${spatch.skipped}`);
  else console.log(`  Coccinelle listing the helper calls: ${round(spatch.wallMs / 1000)} s; mmlens / spatch = ${round(runs[1]!.wallMs / spatch.wallMs, 2)} (goal ≤ 1.0)`);
  (results.cli ??= {} as Record<string, unknown>);
  (results.cli as Record<string, unknown>)[label] = { lines, runs, spatch };
}

async function serverSection(treeFiles: readonly { path: string; lines: number }[]): Promise<void> {
  console.log('\n## Language server over stdio');
  const latency = await measureEditLatency(sizes.edits);
  console.log(`  ${latency.lines}-line file: open → diagnostics ${latency.openColdMs} ms cold, ${latency.openWarmMs} ms warm`);
  console.log(`  edit → diagnostics: median ${latency.editMedianMs} ms, p95 ${latency.editP95Ms} ms over ${latency.edits} edits (budget ≤ 20 ms median ${mark(latency.editMedianMs <= 20)})`);
  console.log(`  hover on a helper call: median ${latency.hoverMedianMs} ms, p95 ${latency.hoverP95Ms} ms`);
  const largest = [...treeFiles].sort((a, b) => b.lines - a.lines).slice(0, 20).map((f) => f.path);
  const memory = await measureServerMemory(largest, sizes.memoryEdits);
  const growth = memory.rssOpenMb && memory.rssAfterEditsMb ? (memory.rssAfterEditsMb - memory.rssOpenMb) / memory.rssOpenMb : NaN;
  console.log(`  RSS with the ${memory.files} largest files open: ${memory.rssOpenMb} MB (budget ≤ 150 MB ${mark((memory.rssOpenMb ?? Infinity) <= 150)})`);
  console.log(`  after ${memory.edits} edits: ${memory.rssAfterEditsMb} MB, growth ${round(growth * 100)} % (budget < 10 % ${mark(growth < 0.1)})`);
  results.server = { latency, memory };
}

async function main(): Promise<void> {
  const started = performance.now();
  if (only.has('micro')) microBenchmarks();
  const treeDir = mkdtempSync(join(tmpdir(), 'mmlens-bench-'));
  const tree = writeKernelTree(treeDir, sizes.treeLines, 1);
  console.log(`\ngenerated ${tree.files.length} files, ${tree.lines} lines of kernel-like C in ${treeDir}`);
  const kernel = process.env.MMLENS_KERNEL_TREE;
  const kernelMm = kernel ? join(kernel, 'mm') : undefined;
  const kernelFiles = kernelMm ? readdirSync(kernelMm).filter((f) => f.endsWith('.c')).map((f) => join(kernelMm, f)) : [];
  if (only.has('files')) {
    const parser = await CParser.load(defaultWasmPaths());
    parser.warmUp();
    await fileSection(parser, 'generated tree', tree.files.map((f) => f.path));
    if (kernelFiles.length > 0) await fileSection(parser, `${kernelMm}`, kernelFiles);
  }
  if (only.has('cli')) {
    await cliSection('the generated tree', treeDir, tree.lines);
    if (kernelMm) await cliSection(kernelMm, kernelMm, kernelFiles.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0));
  }
  if (only.has('server')) await serverSection(tree.files);
  results.seconds = round((performance.now() - started) / 1000);
  const out = option('json') ?? join(__dirname, '..', '..', '..', 'test-output', 'bench', 'bench.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nbench took ${results.seconds} s; results in ${out}`);
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
