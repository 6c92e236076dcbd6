// Whole-file and whole-tree measurements: per file, tree-sitter parse, lowering and simulation
// times (the analysis/parse ratio has a budget of 1.0); per function, how many paths and which
// bounds were hit; the CLI over a tree at 1 and 2 workers (wall time, functions/s, paths/s,
// peak RSS).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeUnit } from '../../simulator/src';
import { functionBudget } from '../../server/src/analysis/functionBudget';
import { FUNCTION_BUDGET_MS } from '../../server/src/cli/checkDocument';
import { lowerUnit } from '../../server/src/lowering';
import type { CParser } from '../../server/src/parsing';

export interface FileTiming {
  readonly file: string;
  readonly lines: number;
  readonly parseMs: number;
  readonly lowerMs: number;
  readonly simulateMs: number;
  /** (lowering + simulation) / parse */
  readonly ratio: number;
}

export interface PathStats {
  readonly functions: number;
  /** Functions by path count: 1, 2–4, 5–16, 17–64, 65–255, 256 (the bound). */
  readonly pathsPerFunction: Record<string, number>;
  /** How many functions hit each kind of bound. */
  readonly boundsHit: Record<string, number>;
}

const PATH_BUCKETS: ReadonlyArray<[string, number]> = [['1', 1], ['2-4', 4], ['5-16', 16], ['17-64', 64], ['65-255', 255], ['256+', Infinity]];

/** The kind of a bound message, without its names and numbers. */
export function boundKind(message: string): string {
  if (/loops unrolled/.test(message)) return 'loop unrolled to the bound';
  if (/nested deeper/.test(message)) return 'call deeper than the inline depth';
  if (/paths to inline/.test(message)) return 'callee with too many paths to inline';
  if (/too large to inline/.test(message)) return 'callee too large to inline';
  if (/truncated after/.test(message)) return 'path bound';
  if (/time budget|cancelled/.test(message)) return 'time budget';
  if (/BDD nodes/.test(message)) return 'BDD node limit';
  if (/different values/.test(message)) return 'merged entry replaced by a fresh one';
  if (/steps/.test(message)) return 'step bound';
  return 'other';
}

export function timeFiles(parser: CParser, files: readonly string[]): { timings: FileTiming[]; paths: PathStats } {
  const timings: FileTiming[] = [];
  const pathsPerFunction = Object.fromEntries(PATH_BUCKETS.map(([name]) => [name, 0]));
  const boundsHit: Record<string, number> = {};
  let functions = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let start = performance.now();
    const tree = parser.parse(text);
    const parseMs = performance.now() - start;
    try {
      start = performance.now();
      const unit = lowerUnit(tree, text);
      const lowerMs = performance.now() - start;
      start = performance.now();
      const results = analyzeUnit(unit, { detail: 'findings', startBudget: functionBudget(FUNCTION_BUDGET_MS) });
      const simulateMs = performance.now() - start;
      timings.push({ file, lines: text.split('\n').length, parseMs, lowerMs, simulateMs, ratio: (lowerMs + simulateMs) / parseMs });
      for (const result of results) {
        functions++;
        const bucket = PATH_BUCKETS.find(([, most]) => result.paths.length <= most)![0];
        pathsPerFunction[bucket]!++;
        for (const kind of new Set(result.boundsHit.map(boundKind))) boundsHit[kind] = (boundsHit[kind] ?? 0) + 1;
      }
    } finally {
      parser.release(tree);
    }
  }
  return { timings, paths: { functions, pathsPerFunction, boundsHit } };
}

export interface CliRun {
  readonly jobs: number;
  readonly wallMs: number;
  readonly files: number;
  readonly functions: number;
  readonly paths: number;
  readonly findings: number;
  readonly peakRssMb: number | undefined;
}

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** `mmlens check <dir> --format json --jobs N`, timed, with the process's peak RSS (workers are threads of it). */
export function runCli(dir: string, jobs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [CLI, 'check', dir, '--format', 'json', '--jobs', String(jobs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let peakKb: number | undefined;
    const poll = setInterval(() => {
      try {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
        if (kb) peakKb = Math.max(peakKb ?? 0, kb);
      } catch {
        // the process has exited
      }
    }, 50);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const wallMs = performance.now() - start;
      if (code !== 0 && code !== 1) return reject(new Error(`mmlens check exited with ${code}`));
      const summary = (JSON.parse(out) as { summary: { files: number; functions: number; paths: number; findings: number } }).summary;
      resolve({ jobs, wallMs, ...summary, peakRssMb: peakKb === undefined ? undefined : Math.round(peakKb / 1024) });
    });
  });
}

/** Coccinelle's time to list every page-table helper call over `dir`, when spatch is installed. */
export function spatchListing(dir: string, jobs: number): { wallMs: number } | { skipped: string } {
  if (spawnSync('sh', ['-c', 'command -v spatch']).status !== 0) return { skipped: 'spatch (Coccinelle) is not installed' };
  const cocci = join(__dirname, '..', '..', '..', 'test', 'bench', 'list-helpers.cocci');
  const start = performance.now();
  const run = spawnSync('spatch', ['--sp-file', cocci, '--dir', dir, '-j', String(jobs), '--very-quiet'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) return { skipped: `spatch failed: ${run.stderr.slice(0, 200)}` };
  return { wallMs: performance.now() - start };
}
