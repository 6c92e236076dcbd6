// Per file, in this process: tree-sitter parse, lowering to the IR and simulation, timed apart.
// The budget is (lowering + simulation) / parse ≤ 1.0. The functions' path counts and bounds
// hit come along for the paths section.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyzeUnit } from '../../../simulator/src';
import { functionBudget } from '../../../server/src/analysis/functionBudget';
import { FUNCTION_BUDGET_MS } from '../../../server/src/cli/checkDocument';
import { lowerUnit } from '../../../server/src/lowering';
import type { CParser } from '../../../server/src/parsing';
import { lineCount } from '../generator/kernelTree';
import type { FunctionPaths } from '../report/stats';

export interface FileTiming {
  readonly file: string;
  readonly lines: number;
  readonly functions: number;
  readonly parseMs: number;
  readonly lowerMs: number;
  readonly simulateMs: number;
}

export interface FileTimes {
  readonly timings: FileTiming[];
  readonly functions: FunctionPaths[];
  /** Files left out because the section ran past its time cap. */
  readonly skippedFiles: number;
}

export function timeFile(parser: CParser, file: string, functions: FunctionPaths[]): FileTiming {
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
    for (const result of results) functions.push({ paths: result.paths.length, boundsHit: result.boundsHit });
    return { file, lines: lineCount(text), functions: results.length, parseMs, lowerMs, simulateMs };
  } finally {
    parser.release(tree);
  }
}

/** Times `files` in order until `capMs` has passed (the rest are counted as skipped). */
export function timeFiles(parser: CParser, files: readonly string[], capMs: number): FileTimes {
  const started = performance.now();
  const timings: FileTiming[] = [];
  const functions: FunctionPaths[] = [];
  for (const file of files) {
    if (performance.now() - started > capMs) break;
    timings.push(timeFile(parser, file, functions));
  }
  return { timings, functions, skippedFiles: files.length - timings.length };
}
