import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { applyHunksToFile, readInputDocument } from '../../server/src/inputs';
import { readInputFixture } from '../helpers/paths';

const oldFile = readInputFixture('workspace', 'mm', 'pgdemo.c');
const newFile = readInputFixture('pgdemo-v2.c');

/** Extracts the hunks of `patchText` and applies them to `before`. */
function roundTrip(patchText: string, before: string): string {
  const doc = readInputDocument(patchText);
  const applied = applyHunksToFile(before, 'mm/pgdemo.c', doc.hunks);
  assert.ok(applied.placements.every((p) => p.applied && p.offset === 0 && p.fuzz === 0), 'every hunk applies where its @@ line says');
  return applied.postText;
}

for (const context of [0, 1, 3, 8]) {
  test(`a patch generated with ${context} context lines, applied to the old file, gives the new one`, () => {
    const patch = createTwoFilesPatch('a/mm/pgdemo.c', 'b/mm/pgdemo.c', oldFile, newFile, undefined, undefined, { context });
    assert.equal(roundTrip(patch, oldFile), newFile);
    assert.equal(applyPatch(oldFile, patch), newFile, 'the diff package agrees');
  });
}

test('the same patch quoted in a reply, with comments between hunks, still gives the new file', () => {
  const patch = createTwoFilesPatch('a/mm/pgdemo.c', 'b/mm/pgdemo.c', oldFile, newFile);
  const quoted = patch
    .split('\n')
    .map((line) => (line.startsWith('@@') ? `\nA comment before this hunk.\n\n> ${line}` : `> ${line}`))
    .join('\n');
  const reply = `On Tue, Ada wrote:\n${quoted}\nThanks!\n`;
  const doc = readInputDocument(reply);
  assert.equal(doc.kind, 'quoted-patch');
  assert.equal(doc.hunks.length, readInputDocument(patch).hunks.length);
  assert.ok(doc.hunks.every((h) => h.quoteDepth === 1 && h.complete));
  assert.equal(applyHunksToFile(oldFile, 'mm/pgdemo.c', doc.hunks).postText, newFile);
});

test('random edits of a fixture round-trip through a generated patch', () => {
  const lines = oldFile.split('\n');
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(lines.length - 1), remove: fc.nat(3), insert: fc.array(fc.constantFrom('\tpte = pte_mkdirty(pte);', '', '}', '\t/* note */', '\\ trick'), { maxLength: 3 }) }), { maxLength: 6 }),
      fc.boolean(),
      (edits, dropFinalNewline) => {
        const edited = [...lines];
        for (const edit of edits) edited.splice(Math.min(edit.at, edited.length), edit.remove, ...edit.insert);
        let after = edited.join('\n');
        if (dropFinalNewline) after = after.replace(/\n$/, '');
        const patch = createTwoFilesPatch('a/mm/pgdemo.c', 'b/mm/pgdemo.c', oldFile, after);
        assert.equal(roundTrip(patch, oldFile), after);
      },
    ),
    { numRuns: 150, seed: 42 },
  );
});
