// A summary's fingerprint says what the summary says: the same for the same content however it
// was made (analysed, read back from disk, moved by whole lines), different for any change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionSummary } from '../../simulator/src';
import { ownCalleeKey, summaryFingerprint } from '../../server/src/analysis/summaryFingerprint';
import { shiftLines } from '../../server/src/analysis/shiftLines';
import { analyzeFunctionSafely } from '../../simulator/src/engine/analyze';
import { NO_SUMMARIES } from '../../simulator/src/engine/summary';
import { lowerText } from '../../server/src/lowering';
import { testParser } from '../helpers/parser';

/** A summary with one obligation at `line` and formula nodes as the engine exports them. */
function summary(line: number, nodes: ArrayLike<number> = Int32Array.from([0, 0, 1])): FunctionSummary {
  const range = { start: { line, character: 1 }, end: { line, character: 9 } };
  return {
    name: 'lens_set',
    profile: 'x86_64@6.19',
    params: [],
    inputs: [['pte.write', { kind: 'param-value', param: 0, field: 'write' }]],
    factParams: {},
    formulas: { variables: ['pte.write'], nodes, roots: [2] },
    slots: [],
    members: [],
    state: { downgrade: 0, flush_pending: 0, folio_dirtied: 0, folio_exclusive: 0 },
    constraint: 1,
    obligations: [{ rule: 'dirty-lost', severity: 'error', condition: 0, via: [], finding: { rule: 'dirty-lost', function: 'lens_set', range, trace: [] } as never }],
    touchesEntries: true,
    notModelled: [],
    boundsHit: [],
  };
}

test('the same content gives the same fingerprint: formula nodes as a typed array or read back as a list, lines counted from the function\'s row', () => {
  const made = summary(12);
  assert.equal(summaryFingerprint(made), summaryFingerprint(JSON.parse(JSON.stringify({ ...made, formulas: { ...made.formulas, nodes: Array.from(made.formulas.nodes) } }))));
  assert.equal(summaryFingerprint(made, 10), summaryFingerprint(shiftLines(made, 5), 15), 'moved by five lines with its function');
});

test('any change of content changes the fingerprint', () => {
  const base = summaryFingerprint(summary(12));
  assert.notEqual(summaryFingerprint(summary(13)), base, 'a line within the function');
  assert.notEqual(summaryFingerprint(summary(12, Int32Array.from([0, 1, 0]))), base, 'a formula');
  assert.notEqual(summaryFingerprint({ ...summary(12), touchesEntries: false }), base);
  assert.notEqual(summaryFingerprint(undefined), base);
});

test('a caller\'s key names where its callee sits only when the callee\'s summary holds lines of the caller\'s file', () => {
  const placed = summary(12);
  assert.notEqual(ownCalleeKey(placed, 10, 4), ownCalleeKey(placed, 10, 6));
  const unplaced: FunctionSummary = { ...placed, obligations: [] };
  assert.equal(ownCalleeKey(unplaced, 10, 4), ownCalleeKey(unplaced, 10, 6));
  const elsewhere: FunctionSummary = { ...placed, file: 'mm/other.c' };
  assert.equal(ownCalleeKey(elsewhere, 10, 4), ownCalleeKey(elsewhere, 10, 6), 'another file\'s lines do not move with the caller');
});

test('a function analysed twice, in two solvers, gives summaries with one fingerprint; a change to what it does, another', async () => {
  const parser = await testParser();
  const lens = (helper: string) => `static void lens_set(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_pte_at(vma->vm_mm, addr, ptep, ${helper}(ptep_get(ptep)));\n}\n`;
  const fingerprint = (text: string) => {
    const fn = lowerText(parser, text).functions[0]!;
    return summaryFingerprint(analyzeFunctionSafely(fn, { summaries: NO_SUMMARIES, root: false }, { profile: 'x86_64@6.19', detail: 'findings' }).summary);
  };
  const clean = fingerprint(lens('pte_mkclean'));
  assert.notEqual(clean, '-');
  assert.equal(fingerprint(lens('pte_mkclean')), clean);
  assert.equal(fingerprint(lens('pte_mkclean').replace('ptep)));', 'ptep))) ;')), clean, 'a space the summary does not see');
  assert.notEqual(fingerprint(lens('pte_mkdirty')), clean);
});
