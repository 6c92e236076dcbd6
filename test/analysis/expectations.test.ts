import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation } from '../../simulator/src';
import { checkExpectations, formatExpectationReport } from '../../server/src/analysis/expectations';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
const expect = (line: number, ...rules: string[]): Annotation => ({ kind: 'expect', rules, line, range: at });

test('a document without expectations is not a test', () => {
  assert.deepEqual(checkExpectations([], [{ rule: 'dirty-lost', line: 3 }]), { isTest: false, missing: [], unexpected: [] });
});

test('findings must be exactly the expected ones, rule and line', () => {
  const report = checkExpectations([expect(4, 'uffd-wp-writable'), expect(9, 'stale-tlb')], [
    { rule: 'uffd-wp-writable', line: 4 },
    { rule: 'dirty-lost', line: 7 },
  ]);
  assert.deepEqual(report.missing, [{ rule: 'stale-tlb', line: 9 }]);
  assert.deepEqual(report.unexpected, [{ rule: 'dirty-lost', line: 7 }]);
  assert.deepEqual(formatExpectationReport('f.c', report), ['f.c:10: expected stale-tlb, not reported', 'f.c:8: dirty-lost reported, not expected']);
});

test('expect none: any finding is unexpected', () => {
  const report = checkExpectations([expect(0)], [{ rule: 'cow-writable', line: 2 }]);
  assert.deepEqual(report.unexpected, [{ rule: 'cow-writable', line: 2 }]);
  assert.ok(checkExpectations([expect(0)], []).isTest);
});
