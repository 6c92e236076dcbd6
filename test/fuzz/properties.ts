// What every answer must satisfy, whatever the input: findings and problems on real positions of
// the document, known rules and severities; the CLI's JSON in the documented shape (docs/cli.md).
// Each check returns sentences saying what is wrong (empty when all is well).

import { ruleIds } from '../../simulator/src';
import type { DocumentAnalysis } from '../../server/src/analysis/analyzeDocument';

const RULES = new Set([...ruleIds(), 'state-mismatch']);
const FINDING_SEVERITIES = new Set(['error', 'warning', 'information']);
const PROBLEM_SEVERITIES = new Set(['error', 'warning', 'info']);

interface Position {
  readonly line: number;
  readonly character: number;
}
interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** The length of each line as an editor counts it (UTF-16 units, any line ending). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

/** Sentences about `range` unless it is a 0-based range inside a document with these line lengths. */
export function rangeProblems(what: string, range: Range, lengths: readonly number[]): string[] {
  const inside = (p: Position) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lengths.length && p.character <= lengths[p.line]!;
  if (!inside(range.start) || !inside(range.end)) return [`${what}: range ${JSON.stringify(range)} is outside the document (${lengths.length} lines)`];
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ordered ? [] : [`${what}: range ${JSON.stringify(range)} ends before it starts`];
}

/**
 * Problems that say mmlens itself failed (an exception caught on the way). A parse stopped at its
 * time budget is a bound, not a failure; anything else is a bug the output merely survived.
 */
function isInternalFailure(code: string, message: string): boolean {
  return /^(input:)?(analysis-failed|internal-error)$/.test(code) && !/the C parser gave up after/.test(message);
}

export function analysisProblems(text: string, analysis: DocumentAnalysis): string[] {
  const lengths = lineLengths(text);
  const problems: string[] = [];
  for (const finding of analysis.findings) {
    if (!RULES.has(finding.rule)) problems.push(`unknown rule ${finding.rule}`);
    if (!FINDING_SEVERITIES.has(finding.severity)) problems.push(`unknown severity ${finding.severity} for ${finding.rule}`);
    if (typeof finding.message !== 'string' || finding.message === '') problems.push(`${finding.rule}: empty message`);
    problems.push(...rangeProblems(finding.rule, finding.range, lengths));
  }
  for (const problem of analysis.problems) {
    if (isInternalFailure(problem.code, problem.message)) problems.push(`internal failure reported as a problem: ${problem.code}: ${problem.message}`);
    if (!PROBLEM_SEVERITIES.has(problem.severity)) problems.push(`problem ${problem.code}: unknown severity ${problem.severity}`);
    if (problem.message === '') problems.push(`problem ${problem.code}: empty message`);
    problems.push(...rangeProblems(`problem ${problem.code}`, problem.range, lengths));
  }
  for (const error of analysis.annotationErrors) problems.push(...rangeProblems(`annotation error "${error.message}"`, error.range, lengths));
  for (const fn of analysis.functions) problems.push(...rangeProblems(`function ${fn.name}`, fn.nameRange, lengths));
  for (const hunk of analysis.hunks) problems.push(...rangeProblems(`hunk ${hunk.hunkIndex}`, hunk.range, lengths));
  return problems;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositive = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;

/** `mmlens check --format json` output: the shape of docs/cli.md, 1-based positions, exit status matching the findings. */
export function cliJsonProblems(stdout: string, exitStatus: number): string[] {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    return [`stdout is not JSON: ${JSON.stringify(stdout.slice(0, 200))}`];
  }
  if (!isObject(report)) return ['the JSON is not an object'];
  const problems: string[] = [];
  if (report.tool !== 'mmlens' || typeof report.version !== 'string' || typeof report.profile !== 'string') problems.push('tool, version or profile missing');
  if (!Array.isArray(report.findings) || !Array.isArray(report.problems) || !isObject(report.summary)) return [...problems, 'findings, problems or summary missing'];
  for (const f of report.findings as unknown[]) {
    if (!isObject(f)) { problems.push('a finding is not an object'); continue; }
    const where = `finding ${String(f.rule)}`;
    if (!RULES.has(f.rule as string)) problems.push(`${where}: unknown rule`);
    if (!PROBLEM_SEVERITIES.has(f.severity as string)) problems.push(`${where}: severity ${String(f.severity)}`);
    if (![f.line, f.column, f.endLine, f.endColumn].every(isPositive)) problems.push(`${where}: positions are not 1-based integers`);
    if (typeof f.file !== 'string' || typeof f.message !== 'string') problems.push(`${where}: file or message missing`);
    if (!(f.function === null || typeof f.function === 'string')) problems.push(`${where}: function is neither a name nor null`);
    if (![null, 'before', 'after'].includes(f.side as string)) problems.push(`${where}: side ${String(f.side)}`);
    if (![null, 'introduced', 'fixed', 'unchanged'].includes(f.change as string)) problems.push(`${where}: change ${String(f.change)}`);
    if (!isObject(f.witness) || ![f.trace, f.path, f.related, f.assumptions].every(Array.isArray)) problems.push(`${where}: witness, trace, path, related or assumptions missing`);
  }
  for (const p of report.problems as unknown[]) {
    if (!isObject(p) || typeof p.file !== 'string' || !isPositive(p.line) || !isPositive(p.column) || !PROBLEM_SEVERITIES.has(p.severity as string) || typeof p.code !== 'string' || typeof p.message !== 'string') {
      problems.push(`malformed problem ${JSON.stringify(p).slice(0, 200)}`);
    } else if (isInternalFailure(p.code as string, p.message as string)) problems.push(`internal failure reported as a problem: ${String(p.code)}: ${String(p.message)}`);
  }
  const summary = report.summary;
  if (!['files', 'functions', 'paths', 'findings', 'truncated'].every((k) => Number.isInteger(summary[k])) || !Array.isArray(summary.notModelled)) problems.push(`malformed summary ${JSON.stringify(summary).slice(0, 200)}`);
  const findings = (report.findings as unknown[]).length;
  if ((findings > 0) !== (exitStatus === 1)) problems.push(`exit status ${exitStatus} with ${findings} findings`);
  return problems;
}
