// npm run bench [-- --quick] [--only micro,files,paths,cli,server,memory,model,explore] [--json file]
//                 [--tree-lines N] [--seed N]
// Numbers, never assertions: the machines are shared and noisy, so each budget (DESIGN.md,
// "Performance budgets") is printed beside its measured value with ✓ / ✗ and the run exits 0
// whatever they say. All results also go to test-output/bench/bench.json (or --json) for
// comparison across commits.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CParser, defaultWasmPaths } from '../../server/src/parsing';
import { repoRoot } from '../helpers/paths';
import { lineCount, writeKernelTree, type GeneratedFile } from './generator/kernelTree';
import { parseOptions } from './options';
import { renderBudgets, type Budget } from './report/format';
import { renderCli, renderFileTimes, renderMicro, renderPaths, renderServerLatency, renderServerMemory, type Rendered } from './report/render';
import { pathStats } from './report/stats';
import { runCli, type CliRun } from './sections/cliRun';
import { timeFiles, type FileTimes } from './sections/fileTimes';
import { microBenchmarks } from './sections/micro';
import { generatedLatencyFile, measureServerLatency, type ServerLatency } from './sections/serverLatency';
import { measureServerMemory } from './sections/serverMemory';
import { runSpatch } from './sections/spatch';
import { renderDerivedModel, timeDerivedModel } from './sections/derivedModel';
import { renderInterleavings, timeInterleavings } from './sections/interleavings';
import { TOY_TREE } from '../helpers/toyTree';
import { openKernelTree } from '../../server/src/inputs/kernelTree';

const options = (() => {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
})();
const { sizes } = options;
const budgets: Budget[] = [];
// the load at the start says how much other work shared the machine with this run
const machine = { cores: cpus().length, loadAverage1m: loadavg()[0] };
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, machine, quick: options.quick, seed: options.seed, sizes, sections: {} };
const sections = results.sections as Record<string, unknown>;

function print(title: string, rendered: Rendered): void {
  console.log(`\n## ${title}`);
  for (const line of rendered.lines) console.log(line.startsWith('  ') ? line : `  ${line}`);
  budgets.push(...rendered.budgets);
}

/** Large and small files alternate, so that a capped run still times a sample of both. */
function sampleOrder(files: readonly GeneratedFile[]): string[] {
  const bySize = [...files].sort((a, b) => b.lines - a.lines);
  const order: string[] = [];
  for (let i = 0, j = bySize.length - 1; i <= j; i++, j--) {
    order.push(bySize[i]!.path);
    if (i !== j) order.push(bySize[j]!.path);
  }
  return order;
}

interface Tree {
  readonly label: string;
  readonly dir: string;
  readonly files: readonly GeneratedFile[];
  readonly lines: number;
}

function kernelTree(): Tree | undefined {
  const root = process.env.MMLENS_KERNEL_TREE;
  if (!root) return undefined;
  const dir = join(root, 'mm');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => ({ path: join(dir, name), lines: lineCount(readFileSync(join(dir, name), 'utf8')) }));
  return { label: `${dir}/*.c`, dir, files, lines: files.reduce((n, f) => n + f.lines, 0) };
}

async function fileSections(trees: readonly Tree[]): Promise<void> {
  const parser = await CParser.load(defaultWasmPaths());
  parser.warmUp();
  for (const tree of trees) {
    // the first file's parse would otherwise also time the JIT warming up on large input
    const first = tree.files[0];
    if (first) parser.release(parser.parse(readFileSync(first.path, 'utf8')));
    const times: FileTimes = timeFiles(parser, sampleOrder(tree.files), sizes.fileTimesCapMs);
    const stats = pathStats(times.functions);
    if (options.only.has('files')) print(`Per file: parse, lowering, simulation — ${tree.label}`, renderFileTimes(tree.label, times.timings, times.skippedFiles));
    if (options.only.has('paths')) print(`Paths per function and bounds hit — ${tree.label}`, renderPaths(stats));
    sections[`files ${tree.label}`] = { timings: times.timings, skippedFiles: times.skippedFiles, paths: stats };
  }
}

async function cliSection(tree: Tree): Promise<void> {
  const runs: CliRun[] = [];
  const failures: string[] = [];
  for (const jobs of [1, 2]) {
    try {
      runs.push(await runCli(tree.dir, jobs, sizes.cliTimeoutMs));
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  const spatch = runSpatch(tree.dir, 2, sizes.cliTimeoutMs);
  print(`mmlens check over ${tree.label} (${tree.files.length} files, ${tree.lines} lines)`, renderCli(tree.label, tree.lines, runs, failures, spatch));
  sections[`cli ${tree.label}`] = { lines: tree.lines, runs, failures, spatch };
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`mmlens bench${options.quick ? ' (--quick)' : ''}: ${[...options.only].join(', ')}; Node ${process.version}, ${machine.cores} cores, load average ${machine.loadAverage1m.toFixed(2)} at the start`);
  if (options.only.has('micro')) {
    const rows = microBenchmarks(options.quick ? 0.1 : 1);
    print('Simulator inner loop', renderMicro(rows));
    sections.micro = rows;
  }
  if (options.only.has('model')) {
    const kernelRoot = process.env.MMLENS_KERNEL_TREE;
    const version = kernelRoot ? openKernelTree(kernelRoot).version : undefined;
    const at = version ? `@${version.major}.${version.minor}` : '';
    const rows = [timeDerivedModel(TOY_TREE, 'x86_64@6.19'), ...(kernelRoot ? [timeDerivedModel(kernelRoot, `x86_64${at}`), timeDerivedModel(kernelRoot, `arm64${at}`)] : [])];
    print('Helpers derived from a tree\'s headers (docs/model.md)', renderDerivedModel(rows));
    sections.model = rows;
  }
  if (options.only.has('explore')) {
    const rows = timeInterleavings();
    print('Interleavings: seed 003 explored (docs/interleavings.md)', renderInterleavings(rows));
    sections.explore = rows;
  }
  const treeDir = mkdtempSync(join(tmpdir(), 'mmlens-bench-'));
  try {
    const generated = writeKernelTree(join(treeDir, 'mm'), sizes.treeLines, options.seed);
    const trees: Tree[] = [{ label: 'generated tree', ...generated }];
    const kernel = kernelTree();
    if (kernel) trees.push(kernel);
    console.log(`\ngenerated ${generated.files.length} files, ${generated.lines} lines (seed ${options.seed}) in ${generated.dir}${kernel ? `; also ${kernel.label}: ${kernel.files.length} files, ${kernel.lines} lines` : '; set MMLENS_KERNEL_TREE to a kernel checkout to also measure its mm/'}`);
    results.tree = { files: generated.files.length, lines: generated.lines };
    if (options.only.has('files') || options.only.has('paths')) await fileSections(trees);
    if (options.only.has('cli')) for (const tree of trees) await cliSection(tree);
    if (options.only.has('server')) {
      const memoryC = kernel && join(kernel.dir, 'memory.c');
      const files = [generatedLatencyFile(sizes.latencyFileLines), ...(memoryC && existsSync(memoryC) ? [{ label: memoryC, text: readFileSync(memoryC, 'utf8') }] : [])];
      const latencies: ServerLatency[] = [];
      for (const file of files) {
        const latency = await measureServerLatency(file, sizes.edits, sizes.hovers, sizes.latencyCapMs);
        print(`Language server over stdio: latency on ${file.label}`, renderServerLatency(latency));
        latencies.push(latency);
      }
      sections.serverLatency = latencies;
    }
    if (options.only.has('memory')) {
      const largest = [...generated.files].sort((a, b) => b.lines - a.lines).slice(0, sizes.openFiles);
      const memory = await measureServerMemory(largest.map((f) => f.path), sizes.memoryEdits, sizes.memoryCapMs);
      print('Language server memory', renderServerMemory(memory));
      sections.serverMemory = memory;
    }
  } finally {
    rmSync(treeDir, { recursive: true, force: true });
  }
  results.budgets = budgets;
  results.seconds = (performance.now() - started) / 1000;
  if (budgets.length > 0) print('Budgets (printed, never asserted)', { lines: renderBudgets(budgets), budgets: [] });
  const out = options.json ?? join(repoRoot(), 'test-output', 'bench', 'bench.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nbench took ${Math.round(results.seconds as number)} s; results in ${out}`);
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
