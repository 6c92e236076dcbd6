// `@mm expect` as a test oracle, like clang's -verify: in a document with
// expectations, the findings must be exactly the expected ones (rule and line).

import type { Annotation, ExpectAnnotation } from '../../../simulator/src';

export interface FoundRule {
  readonly rule: string;
  /** 0-based line in the original document. */
  readonly line: number;
}

export interface ExpectationReport {
  /** Whether the document states any expectation at all (else it is not a test). */
  readonly isTest: boolean;
  readonly missing: readonly FoundRule[];
  readonly unexpected: readonly FoundRule[];
}

const key = (f: FoundRule) => `${f.line}:${f.rule}`;

export function checkExpectations(annotations: readonly Annotation[], found: readonly FoundRule[]): ExpectationReport {
  const expects = annotations.filter((a): a is ExpectAnnotation => a.kind === 'expect');
  if (expects.length === 0) return { isTest: false, missing: [], unexpected: [] };
  const expected = new Map<string, FoundRule>();
  for (const annotation of expects) for (const rule of annotation.rules) expected.set(key({ rule, line: annotation.line }), { rule, line: annotation.line });
  const actual = new Map(found.map((f) => [key(f), f]));
  const missing = [...expected.values()].filter((e) => !actual.has(key(e)));
  const unexpected = [...actual.values()].filter((f) => !expected.has(key(f)));
  const byLine = (a: FoundRule, b: FoundRule) => a.line - b.line || a.rule.localeCompare(b.rule);
  return { isTest: true, missing: missing.sort(byLine), unexpected: unexpected.sort(byLine) };
}

/** One line per mismatch, `file:line: expected rule not reported` style. */
export function formatExpectationReport(path: string, report: ExpectationReport): string[] {
  return [
    ...report.missing.map((m) => `${path}:${m.line + 1}: expected ${m.rule}, not reported`),
    ...report.unexpected.map((u) => `${path}:${u.line + 1}: ${u.rule} reported, not expected`),
  ];
}
