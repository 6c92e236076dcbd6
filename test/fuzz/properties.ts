// What every analysis must satisfy, whatever the input: findings and problems on real positions
// of the document, known rules and severities.

import { ruleIds } from '../../simulator/src';
import type { DocumentAnalysis } from '../../server/src/analysis/analyzeDocument';

const RULES = new Set([...ruleIds(), 'state-mismatch']);
const SEVERITIES = new Set(['error', 'warning', 'information']);

interface Range {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/** The problems with an analysis of `text`, as sentences (empty when it is well-formed). */
export function analysisProblems(text: string, analysis: DocumentAnalysis): string[] {
  const lines = text.split(/\r\n|\r|\n/).length;
  const problems: string[] = [];
  const checkRange = (what: string, range: Range) => {
    const ok = [range.start, range.end].every((p) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lines);
    if (!ok) problems.push(`${what}: range ${JSON.stringify(range)} is outside the ${lines}-line document`);
  };
  for (const finding of analysis.findings) {
    if (!RULES.has(finding.rule)) problems.push(`unknown rule ${finding.rule}`);
    if (!SEVERITIES.has(finding.severity)) problems.push(`unknown severity ${finding.severity} for ${finding.rule}`);
    if (typeof finding.message !== 'string' || finding.message === '') problems.push(`${finding.rule}: empty message`);
    checkRange(finding.rule, finding.range);
  }
  for (const problem of analysis.problems) checkRange(`problem ${problem.code}`, problem.range);
  for (const error of analysis.annotationErrors) checkRange('annotation error', error.range);
  return problems;
}
