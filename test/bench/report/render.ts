// Each section's results as printed lines and the budgets they are measured against. Pure:
// the same results give the same text (the bench-report test relies on it).

import type { CliRun } from '../sections/cliRun';
import type { FileTiming } from '../sections/fileTimes';
import type { MicroRow } from '../sections/micro';
import type { ServerLatency } from '../sections/serverLatency';
import type { ServerMemory } from '../sections/serverMemory';
import type { SpatchRun } from '../sections/spatch';
import { formatBudget, formatValue, renderTable, type Budget } from './format';
import { distribution, PATH_BUCKETS, type PathStats } from './stats';

export interface Rendered {
  readonly lines: string[];
  readonly budgets: Budget[];
}

const ms = (value: number | undefined) => formatValue(value, 'ms');
const shortName = (file: string) => file.split('/').slice(-2).join('/');

export function renderMicro(rows: readonly MicroRow[]): Rendered {
  return {
    lines: renderTable({ headers: ['operation', 'time per op', 'iterations'], rows: rows.map((r) => [r.name, formatValue(r.microsPerOp, 'µs'), String(r.iterations)]) }),
    budgets: [],
  };
}

export function analysisRatio(t: FileTiming): number {
  return (t.lowerMs + t.simulateMs) / t.parseMs;
}

export function renderFileTimes(label: string, timings: readonly FileTiming[], skippedFiles: number, worst = 5): Rendered {
  const ratios = distribution(timings.map(analysisRatio));
  const sum = (pick: (t: FileTiming) => number) => timings.reduce((n, t) => n + pick(t), 0);
  const perLine = (pick: (t: FileTiming) => number) => distribution(timings.map((t) => (pick(t) / t.lines) * 1000));
  const row = (name: string, d: ReturnType<typeof distribution>, unit: string, total?: number) => [name, formatValue(d.median, unit), formatValue(d.p90, unit), formatValue(d.max, unit), total === undefined ? '' : ms(total)];
  const lines = [
    `${timings.length} files, ${sum((t) => t.lines)} lines, ${sum((t) => t.functions)} functions${skippedFiles ? `; capped: ${skippedFiles} more files not timed (time cap reached)` : ''}`,
    ...renderTable({
      headers: ['per file', 'median', 'p90', 'max', 'total'],
      rows: [
        row('parse (per 1,000 lines)', perLine((t) => t.parseMs), 'ms', sum((t) => t.parseMs)),
        row('lowering (per 1,000 lines)', perLine((t) => t.lowerMs), 'ms', sum((t) => t.lowerMs)),
        row('simulation (per 1,000 lines)', perLine((t) => t.simulateMs), 'ms', sum((t) => t.simulateMs)),
        row('(lowering + simulation) / parse', ratios, '×'),
      ],
    }),
    'worst files by (lowering + simulation) / parse:',
    ...renderTable({
      headers: ['file', 'lines', 'parse', 'lowering', 'simulation', 'ratio'],
      rows: [...timings]
        .sort((a, b) => analysisRatio(b) - analysisRatio(a))
        .slice(0, worst)
        .map((t) => [shortName(t.file), String(t.lines), ms(t.parseMs), ms(t.lowerMs), ms(t.simulateMs), formatValue(analysisRatio(t), '×')]),
    }),
  ];
  const largest = [...timings].sort((a, b) => b.lines - a.lines)[0];
  const budgets: Budget[] = [
    { name: `analysis / parse, median file (${label})`, measured: ratios.median, unit: '×', limit: 1, comparison: '<=' },
    ...(largest ? [{ name: `analysis / parse, largest file (${label})`, measured: analysisRatio(largest), unit: '×', limit: 1, comparison: '<=' as const, note: `${shortName(largest.file)}, ${largest.lines} lines` }] : []),
  ];
  lines.push(`budget: median ${formatBudget(budgets[0]!)}${budgets[1] ? `; largest file ${formatBudget(budgets[1])}` : ''}`);
  return { lines, budgets };
}

export function renderPaths(stats: PathStats): Rendered {
  const bounds = Object.entries(stats.boundsHit).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const share = (n: number) => formatValue((100 * n) / Math.max(1, stats.functions), '%');
  return {
    lines: [
      `${stats.functions} functions; paths per function: median ${stats.paths.median}, p90 ${stats.paths.p90}, max ${stats.paths.max}`,
      ...renderTable({ headers: ['paths', 'functions', 'share'], rows: PATH_BUCKETS.map(([bucket]) => [bucket, String(stats.pathsPerFunction[bucket] ?? 0), share(stats.pathsPerFunction[bucket] ?? 0)]) }),
      bounds.length === 0 ? 'no bound was hit' : 'bounds hit:',
      ...(bounds.length === 0 ? [] : renderTable({ headers: ['bound', 'functions', 'share'], rows: bounds.map(([kind, n]) => [kind, String(n), share(n)]) })),
    ],
    budgets: [],
  };
}

/** The CLI's budget is for 200,000 lines on 2 cores; a smaller tree's time is scaled linearly. */
export const CLI_BUDGET_LINES = 200_000;
export const CLI_BUDGET_SECONDS = 5;

export function renderCli(label: string, lines: number, runs: readonly CliRun[], failures: readonly string[], spatch: SpatchRun | undefined): Rendered {
  const perSecond = (n: number, run: CliRun) => formatValue(n / (run.wallMs / 1000), '/s');
  const out = [
    ...renderTable({
      headers: ['jobs', 'wall', 'files', 'functions', 'functions/s', 'paths', 'paths/s', 'findings', 'truncated', 'peak RSS'],
      rows: runs.map((r) => [String(r.jobs), formatValue(r.wallMs / 1000, 's'), String(r.files), String(r.functions), perSecond(r.functions, r), String(r.paths), perSecond(r.paths, r), String(r.findings), String(r.truncated), formatValue(r.peakRssMb, 'MB')]),
    }),
    ...failures.map((f) => `failed: ${f}`),
  ];
  const budgets: Budget[] = [];
  const two = runs.find((r) => r.jobs === 2);
  if (two) {
    const scaled = lines === CLI_BUDGET_LINES ? undefined : `measured on ${lines} lines, scaled to ${CLI_BUDGET_LINES}`;
    const budget: Budget = { name: `CLI, ${CLI_BUDGET_LINES.toLocaleString('en-US')} lines at --jobs 2 (${label})`, measured: (two.wallMs / 1000) * (CLI_BUDGET_LINES / lines), unit: 's', limit: CLI_BUDGET_SECONDS, comparison: '<=', ...(scaled ? { note: scaled } : {}) };
    budgets.push(budget);
    out.push(`budget: ${formatBudget(budget)}${scaled ? ` (${scaled})` : ''}`);
  }
  if (spatch && 'skipped' in spatch) out.push(`Coccinelle comparison skipped: ${spatch.skipped}`);
  else if (spatch && two) out.push(`Coccinelle listing every pte_/pmd_/pud_/ptep_/pmdp_/pudp_ call (--jobs 2): ${formatValue(spatch.wallMs / 1000, 's')}, ${spatch.calls} calls; mmlens / spatch = ${formatValue(two.wallMs / spatch.wallMs, '×')}`);
  return { lines: out, budgets };
}

export function renderServerLatency(latency: ServerLatency): Rendered {
  const budget: Budget = { name: `edit → diagnostics, median (${latency.label})`, measured: latency.editMs.median, unit: 'ms', limit: 20, comparison: '<=' };
  return {
    lines: [
      `${latency.label} (${latency.lines} lines) over stdio`,
      ...renderTable({
        headers: ['request', 'median', 'p95', 'max', 'count'],
        rows: [
          ['didOpen → diagnostics, cold', ms(latency.openColdMs), '', '', '1'],
          ['didOpen → diagnostics, warm', ms(latency.openWarmMs), '', '', '1'],
          ['didChange (1 char) → diagnostics', ms(latency.editMs.median), ms(latency.editMs.p95), ms(latency.editMs.max), String(latency.editMs.count)],
          ['hover on a helper call', ms(latency.hoverMs.median), ms(latency.hoverMs.p95), ms(latency.hoverMs.max), String(latency.hoverMs.count)],
        ],
      }),
      `budget: edit → diagnostics median ${formatBudget(budget)}`,
    ],
    budgets: [budget],
  };
}

export function renderServerMemory(memory: ServerMemory): Rendered {
  const open: Budget = { name: `server RSS, ${memory.files} largest files open`, measured: memory.rssOpenMb, unit: 'MB', limit: 150, comparison: '<=' };
  const after: Budget = { name: `server RSS after ${memory.edits} edits`, measured: memory.rssAfterEditsMb, unit: 'MB', limit: 150, comparison: '<=' };
  const growth: Budget = { name: `server RSS growth over ${memory.edits} edits`, measured: memory.growth * 100, unit: '%', limit: 10, comparison: '<' };
  return {
    lines: [
      `${memory.files} files open (${memory.lines} lines); ${memory.edits} one-character edits in ${formatValue(memory.editsMs / 1000, 's')}${memory.skippedEdits ? `; capped: ${memory.skippedEdits} edits not made (time cap reached)` : ''}`,
      `RSS with the files open: ${formatBudget(open)}`,
      `RSS after the edits: ${formatBudget(after)}, peak ${formatValue(memory.peakMb, 'MB')}`,
      `RSS along the edits (edits: MB): ${memory.rssAlong.map((sample) => `${sample.edits}: ${formatValue(sample.rssMb, '')}`).join(', ')}`,
      `growth: ${formatBudget(growth)}`,
    ],
    budgets: [open, after, growth],
  };
}
