// Running mmlens on both sides of one fix, and scoring the outcome.

import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { functionBudget } from '../../server/src/analysis/functionBudget';
import type { CParser } from '../../server/src/parsing';
import { basename } from 'node:path';
import type { RealFix, SideName } from './data';
import { extractFunction } from './extract';

export type Mode = 'function' | 'file';
export const MODES: readonly Mode[] = ['function', 'file'];

export interface SideOutcome {
  readonly profile: string;
  /** Rule ids reported in the fix's function, each once, sorted. */
  readonly rules: readonly string[];
  /** How many findings that function has (several per rule possible). */
  readonly findings: number;
  /** Why the side could not be analysed, when it could not. */
  readonly problem?: string;
}

export interface FixOutcome {
  readonly id: string;
  readonly kind: string;
  readonly expected: readonly string[];
  readonly mode: Mode;
  readonly buggy: SideOutcome;
  readonly fixed: SideOutcome;
  /** The buggy side has an expected rule and the fixed side has none of them. */
  readonly caught: boolean;
  /** The fixed side still has an expected rule. */
  readonly flaggedAfterFix: boolean;
  /** Rules on the fixed side that are not expected (noise, or other real issues). */
  readonly otherOnFixed: readonly string[];
  /** A later fix in the data that removed a bug of an expected rule the fixed side still has. */
  readonly laterFix?: string;
}

export interface SideInput {
  readonly text: string;
  readonly profile: string;
}

export interface EvaluateOptions {
  readonly budgetMs: number;
}

export function analyseSide(parser: CParser, fix: RealFix, input: SideInput, mode: Mode, options: EvaluateOptions): SideOutcome {
  const base = { profile: input.profile, rules: [], findings: 0 };
  let text = input.text;
  if (mode === 'function') {
    const found = extractFunction(input.text, fix.function, parser);
    if (!found) return { ...base, problem: `${fix.function} not found in ${fix.path}` };
    text = `${found.text}\n`;
  }
  try {
    const analysis = analyzeDocument(parser, text, {
      path: mode === 'function' ? `${fix.function}.c` : basename(fix.path),
      profile: input.profile,
      detail: 'findings',
      startBudget: functionBudget(options.budgetMs),
    });
    const mine = analysis.findings.filter((f) => f.function === fix.function);
    const failed = analysis.problems.find((p) => p.code === 'analysis-failed');
    return {
      ...base,
      rules: [...new Set(mine.map((f) => f.rule))].sort(),
      findings: mine.length,
      ...(failed ? { problem: failed.message } : {}),
    };
  } catch (error) {
    return { ...base, problem: `analysis threw: ${(error as Error).message}` };
  }
}

export function scoreFix(fix: RealFix, mode: Mode, buggy: SideOutcome, fixed: SideOutcome): FixOutcome {
  const expected = new Set(fix.expected);
  const buggyHit = buggy.rules.some((r) => expected.has(r));
  const fixedHit = fixed.rules.some((r) => expected.has(r));
  return {
    id: fix.id,
    kind: fix.kind,
    expected: fix.expected,
    mode,
    buggy,
    fixed,
    caught: buggyHit && !fixedHit,
    flaggedAfterFix: fixedHit,
    otherOnFixed: fixed.rules.filter((r) => !expected.has(r)),
    ...(fix.laterFix ? { laterFix: fix.laterFix } : {}),
  };
}

export function evaluateFix(parser: CParser, fix: RealFix, sides: Record<SideName, SideInput>, mode: Mode, options: EvaluateOptions): FixOutcome {
  return scoreFix(fix, mode, analyseSide(parser, fix, sides.buggy, mode, options), analyseSide(parser, fix, sides.fixed, mode, options));
}

export interface Totals {
  readonly fixes: number;
  readonly caught: number;
  readonly buggyFlagged: number;
  readonly flaggedAfterFix: number;
  /** Of those, fixed sides that still have a bug a later fix in the data removed. */
  readonly flaggedWithLaterFix: number;
  /** Fixed sides with a finding of a rule that is not expected. */
  readonly fixedWithOther: number;
  readonly problems: number;
}

export function totalsOf(outcomes: readonly FixOutcome[]): Totals {
  const expectedOn = (o: FixOutcome) => o.buggy.rules.some((r) => o.expected.includes(r));
  return {
    fixes: outcomes.length,
    caught: outcomes.filter((o) => o.caught).length,
    buggyFlagged: outcomes.filter(expectedOn).length,
    flaggedAfterFix: outcomes.filter((o) => o.flaggedAfterFix).length,
    flaggedWithLaterFix: outcomes.filter((o) => o.flaggedAfterFix && o.laterFix).length,
    fixedWithOther: outcomes.filter((o) => o.otherOnFixed.length > 0).length,
    problems: outcomes.filter((o) => o.buggy.problem || o.fixed.problem).length,
  };
}
