// The bench's pure aggregation and formatting: fixed measurements in, the expected table out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBudget, formatValue, overBy, renderBudgets, renderTable, type Budget } from '../bench/report/format';
import { renderCli, renderFileTimes, renderPaths, renderServerMemory } from '../bench/report/render';
import { boundKind, distribution, pathStats, quantile } from '../bench/report/stats';

test('quantiles are nearest-rank; an empty list has none', () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(quantile(values, 0.5), 5);
  assert.equal(quantile(values, 0.9), 9);
  assert.equal(quantile(values, 1), 10);
  assert.deepEqual(distribution([3]), { count: 1, median: 3, p90: 3, p95: 3, max: 3 });
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('values carry their unit and read at a useful precision', () => {
  assert.equal(formatValue(0.1234, 'ms'), '0.123 ms');
  assert.equal(formatValue(17.56, 'ms'), '17.6 ms');
  assert.equal(formatValue(1234.4, 'ms'), '1234 ms');
  assert.equal(formatValue(12.5, '%'), '12.5 %');
  assert.equal(formatValue(0, '%'), '0 %');
  assert.equal(formatValue(undefined, 'MB'), '–');
});

test('budgets are marked and a miss says by how much', () => {
  const met: Budget = { name: 'edit', measured: 17.6, unit: 'ms', limit: 20, comparison: '<=' };
  const missed: Budget = { name: 'cli', measured: 12, unit: 's', limit: 5, comparison: '<=' };
  const strict: Budget = { name: 'growth', measured: 10, unit: '%', limit: 10, comparison: '<' };
  assert.equal(formatBudget(met), '17.6 ms (budget ≤ 20.0 ms ✓)');
  assert.equal(formatBudget(missed), '12.0 s (budget ≤ 5.00 s ✗)');
  assert.equal(formatBudget(strict), '10.0 % (budget < 10.0 % ✗)');
  assert.equal(overBy(met), '');
  assert.equal(overBy(missed), '2.40× the budget');
  assert.equal(formatBudget({ ...met, measured: undefined }), '– (budget ≤ 20.0 ms ?)');
  assert.deepEqual(renderBudgets([met, missed]), [
    '  budget  measured  limit         missed by         note',
    '  ------  --------  ---------  -  ----------------  ----',
    '  edit     17.6 ms  ≤ 20.0 ms  ✓',
    '  cli       12.0 s  ≤ 5.00 s   ✗  2.40× the budget',
  ]);
});

test('tables pad columns and right-align numbers', () => {
  assert.deepEqual(renderTable({ headers: ['name', 'n'], rows: [['a', '1'], ['long name', '100 ms']] }, ''), ['name       n', '---------  ------', 'a               1', 'long name  100 ms']);
});

test('per-file timings: distribution of the ratio, the worst files, the budgets', () => {
  const timing = (file: string, lines: number, parseMs: number, lowerMs: number, simulateMs: number) => ({ file, lines, functions: lines / 100, parseMs, lowerMs, simulateMs });
  const rendered = renderFileTimes('tree', [timing('/t/mm/a.c', 1000, 10, 2, 3), timing('/t/mm/b.c', 2000, 20, 10, 30), timing('/t/mm/c.c', 500, 5, 1, 1)], 2, 2);
  assert.deepEqual(rendered.lines, [
    '3 files, 3500 lines, 35 functions; capped: 2 more files not timed (time cap reached)',
    '  per file                         median   p90      max      total',
    '  -------------------------------  -------  -------  -------  -------',
    '  parse (per 1,000 lines)          10.0 ms  10.0 ms  10.0 ms  35.0 ms',
    '  lowering (per 1,000 lines)       2.00 ms  5.00 ms  5.00 ms  13.0 ms',
    '  simulation (per 1,000 lines)     3.00 ms  15.0 ms  15.0 ms  34.0 ms',
    '  (lowering + simulation) / parse  0.500 ×   2.00 ×   2.00 ×',
    'worst files by (lowering + simulation) / parse:',
    '  file    lines  parse    lowering  simulation  ratio',
    '  ------  -----  -------  --------  ----------  -------',
    '  mm/b.c   2000  20.0 ms   10.0 ms     30.0 ms   2.00 ×',
    '  mm/a.c   1000  10.0 ms   2.00 ms     3.00 ms  0.500 ×',
    'budget: median 0.500 × (budget ≤ 1.00 × ✓); largest file 2.00 × (budget ≤ 1.00 × ✗)',
  ]);
  assert.deepEqual(rendered.budgets.map((b) => [b.name, b.measured]), [
    ['analysis / parse, median file (tree)', 0.5],
    ['analysis / parse, largest file (tree)', 2],
  ]);
});

test('paths per function are bucketed and bounds grouped by kind', () => {
  assert.equal(boundKind('loops unrolled at most 2 times'), 'loop unroll');
  assert.equal(boundKind('analysis truncated after 256 paths'), 'paths per function');
  assert.equal(boundKind('wp_page_copy has more than 32 paths to inline: its effects are unknown here'), 'callee paths to inline');
  assert.equal(boundKind('the symbolic state grew past 1,000,000 BDD nodes: the remaining paths were not explored'), 'BDD nodes');
  assert.equal(boundKind('something new'), 'other');
  const stats = pathStats([
    { paths: 1, boundsHit: [] },
    { paths: 3, boundsHit: ['loops unrolled at most 2 times'] },
    { paths: 256, boundsHit: ['analysis truncated after 256 paths', 'loops unrolled at most 2 times', 'loops unrolled at most 3 times'] },
  ]);
  assert.deepEqual(stats.boundsHit, { 'loop unroll': 2, 'paths per function': 1 });
  assert.deepEqual(renderPaths(stats).lines, [
    '3 functions; paths per function: median 3, p90 256, max 256',
    '  paths   functions  share',
    '  ------  ---------  ------',
    '       0          0     0 %',
    '       1          1  33.3 %',
    '  2-4             1  33.3 %',
    '  5-16            0     0 %',
    '  17-64           0     0 %',
    '  65-255          0     0 %',
    '  256+            1  33.3 %',
    'bounds hit:',
    '  bound               functions  share',
    '  ------------------  ---------  ------',
    '  loop unroll                 2  66.7 %',
    '  paths per function          1  33.3 %',
  ]);
});

test('the CLI budget is scaled to 200,000 lines and spatch is compared when it ran', () => {
  const run = (jobs: number, wallMs: number) => ({ jobs, wallMs, files: 10, functions: 500, paths: 2000, findings: 3, truncated: 1, peakRssMb: 120.4, rssFrom: 'gnu-time' as const });
  const rendered = renderCli('tree', 20_000, [run(1, 2000), run(2, 1000)], [], { wallMs: 500, calls: 42 });
  assert.deepEqual(rendered.lines, [
    '  jobs  wall    files  functions  functions/s  paths  paths/s  findings  truncated  peak RSS',
    '  ----  ------  -----  ---------  -----------  -----  -------  --------  ---------  --------',
    '     1  2.00 s     10        500       250 /s   2000  1000 /s         3          1    120 MB',
    '     2  1.00 s     10        500       500 /s   2000  2000 /s         3          1    120 MB',
    'budget: 10.0 s (budget ≤ 5.00 s ✗) (measured on 20000 lines, scaled to 200000)',
    'Coccinelle listing every pte_/pmd_/pud_/ptep_/pmdp_/pudp_ call (--jobs 2): 0.500 s, 42 calls; mmlens / spatch = 2.00 ×',
  ]);
  assert.equal(renderCli('tree', 200_000, [run(2, 4000)], [], { skipped: 'spatch (Coccinelle) is not on PATH' }).lines.at(-1), 'Coccinelle comparison skipped: spatch (Coccinelle) is not on PATH');
});

test('server memory: RSS and growth against their budgets, and RSS along the edits', () => {
  const rssAlong = [
    { edits: 0, rssMb: 140 },
    { edits: 5000, rssMb: 155.4 },
    { edits: 10_000, rssMb: 161 },
  ];
  const rendered = renderServerMemory({ files: 20, lines: 60_000, edits: 10_000, rssOpenMb: 140, rssAfterEditsMb: 161, peakMb: 170, rssAlong, growth: 0.15, editsMs: 90_000, skippedEdits: 0 });
  assert.deepEqual(rendered.lines, [
    '20 files open (60000 lines); 10000 one-character edits in 90.0 s',
    'RSS with the files open: 140 MB (budget ≤ 150 MB ✓)',
    'RSS after the edits: 161 MB (budget ≤ 150 MB ✗), peak 170 MB',
    'RSS along the edits (edits: MB): 0: 140, 5000: 155, 10000: 161',
    'growth: 15.0 % (budget < 10.0 % ✗)',
  ]);
});
