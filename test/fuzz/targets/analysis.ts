// In-process analysis, as the CLI and the server run it: no exception, a well-formed result,
// within the time limit.

import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../../../server/src/analysis/analyzeDocument';
import { functionBudget } from '../../../server/src/analysis/functionBudget';
import type { CParser } from '../../../server/src/parsing';
import { analysisProblems } from '../properties';

/** A case passes when its verdict is empty; otherwise it says what went wrong. */
export interface Outcome {
  readonly verdict: string[];
  readonly ms: number;
}

export function analysisCase(parser: CParser, fileName: string, text: string, limitMs: number): Outcome {
  const start = performance.now();
  try {
    const analysis = analyzeDocument(parser, text, { path: fileName, detail: 'findings', startBudget: functionBudget(2000) });
    const ms = performance.now() - start;
    const verdict = analysisProblems(text, analysis);
    if (ms > limitMs) verdict.push(`took ${Math.round(ms)} ms (limit ${limitMs} ms)`);
    return { verdict, ms };
  } catch (error) {
    return { verdict: [`threw: ${(error as Error)?.stack ?? String(error)}`], ms: performance.now() - start };
  }
}
