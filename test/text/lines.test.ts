import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, splitLines } from '../../server/src/text/lines';

test('lines end at LF, CRLF or a lone CR; each keeps its ending', () => {
  assert.deepEqual(
    splitLines('a\nb\r\nc\rd').map((l) => [l.text, l.start, l.eol]),
    [
      ['a', 0, '\n'],
      ['b', 2, '\r\n'],
      ['c', 5, '\r'],
      ['d', 7, ''],
    ],
  );
});

test('positions and offsets convert both ways; positions past a line end are clamped to it', () => {
  const index = new LineIndex('int a;\r\nint b;\n');
  assert.equal(index.lineCount, 3);
  assert.equal(index.offsetAt({ line: 1, character: 4 }), 12);
  assert.deepEqual(index.positionAt(12), { line: 1, character: 4 });
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 6); // before "\r\n"
  assert.equal(index.offsetAt({ line: 9, character: 0 }), 15);
  assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
  assert.equal(index.offsetAt({ line: 1, character: Number.NaN }), 8);
});
