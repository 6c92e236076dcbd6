// Moving an analysis onto a text whose IR differs in positions only: every position of the
// function found in the new IR, another function's moved with it by whole lines, and nothing
// moved when a position is one the IR does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { irShape, movePositions, positionMove } from '../../server/src/analysis/movedPositions';
import { lowerText } from '../../server/src/lowering';
import { testParser } from '../helpers/parser';

const LENS = 'static void lens_set(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)\n{\n\tset_pte_at(vma->vm_mm, addr, ptep, pte_mkclean(ptep_get(ptep)));\n}\n';

async function lowered(text: string) {
  return lowerText(await testParser(), text).functions[0]!;
}

test('a space, a comment or a line break keeps the shape; another call does not', async () => {
  const base = irShape(await lowered(LENS));
  assert.equal(irShape(await lowered(LENS.replace('ptep)));', 'ptep))) ;'))), base);
  assert.equal(irShape(await lowered(LENS.replace('\tset_pte_at', '\t/* clean it */\n\tset_pte_at'))), base);
  assert.notEqual(irShape(await lowered(LENS.replace('pte_mkclean', 'pte_mkdirty'))), base);
});

test('positions inside the function move to where the new IR has them; others move with the function', async () => {
  const before = await lowered(LENS);
  const after = await lowered(LENS.replace('\tset_pte_at(', '\t/* c */ set_pte_at('));
  const move = positionMove(before, after)!;
  const call = { start: { line: 2, character: 1 }, end: { line: 2, character: 64 } };
  assert.deepEqual(movePositions({ range: call }, move), { range: { start: { line: 2, character: 9 }, end: { line: 2, character: 72 } } });
  assert.deepEqual(movePositions({ range: { start: { line: 40, character: 3 }, end: { line: 40, character: 9 } } }, move), { range: { start: { line: 40, character: 3 }, end: { line: 40, character: 9 } } });
  assert.equal(movePositions({ at: { line: 2, character: 5 } }, move), undefined, 'a position the IR does not have');
  const elsewhere = { file: 'mm/other.c', range: { start: { line: 2, character: 5 }, end: { line: 2, character: 6 } } };
  assert.equal(movePositions(elsewhere, move), elsewhere, 'another file\'s positions stay');
});

test('IRs of another shape are not paired', async () => {
  assert.equal(positionMove(await lowered(LENS), await lowered(LENS.replace('pte_mkclean', 'pte_mkdirty'))), undefined);
});
