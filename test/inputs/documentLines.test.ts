import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanDocument } from '../../server/src/inputs';

test('quote prefixes are counted and taken off, one space after the last `>` with them', () => {
  const { lines } = scanDocument(['> +\tpte = pte_mkdirty(pte);', '> > -\tpte_mkwrite(pte);', '>>  \treturn pte;', '>', '> >', 'plain'].join('\n'));
  assert.deepEqual(
    lines.map((l) => [l.depth, l.content, l.contentColumn]),
    [
      [1, '+\tpte = pte_mkdirty(pte);', 2],
      [2, '-\tpte_mkwrite(pte);', 4],
      [2, ' \treturn pte;', 3],
      [1, '', 1],
      [2, '', 3],
      [0, 'plain', 0],
    ],
  );
});

test('LF, CRLF and lone CR all end lines, as in LSP', () => {
  assert.equal(scanDocument('a\nb\n').lineEnding, 'lf');
  assert.equal(scanDocument('a\r\nb\r\n').lineEnding, 'crlf');
  assert.equal(scanDocument('a\rb').lineEnding, 'cr');
  assert.equal(scanDocument('a\r\nb\n').lineEnding, 'mixed');
  assert.deepEqual(scanDocument('a\r\nb\rc\nd').lines.map((l) => l.raw), ['a', 'b', 'c', 'd']);
});

test('a huge line is flagged and not scanned for quotes', () => {
  const huge = `> ${'x'.repeat(200_000)}`;
  const [line] = scanDocument(huge).lines;
  assert.equal(line.tooLong, true);
  assert.equal(line.depth, 0);
});
