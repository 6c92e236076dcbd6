import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readInputDocument, textQuality } from '../../server/src/inputs';
import { inputFixture, readInputFixture } from '../helpers/paths';

test('each kind of fixture is recognised', () => {
  const kinds = Object.fromEntries(
    ['workspace/mm/pgdemo.c', 'pgdemo.patch', 'multi-file.patch', 'format-patch.eml', 'series.mbox', 'review-reply.txt', 'broken/crlf.patch', 'broken/wrapped.eml'].map((file) => [
      file,
      readInputDocument(readInputFixture(...file.split('/'))).kind,
    ]),
  );
  assert.deepEqual(kinds, {
    'workspace/mm/pgdemo.c': 'c-source',
    'pgdemo.patch': 'unified-diff',
    'multi-file.patch': 'unified-diff',
    'format-patch.eml': 'format-patch',
    'series.mbox': 'mbox',
    'review-reply.txt': 'quoted-patch',
    'broken/crlf.patch': 'unified-diff',
    'broken/wrapped.eml': 'format-patch',
  });
});

test('a language id or file name saying C is trusted', () => {
  const patchText = readInputFixture('pgdemo.patch');
  assert.equal(readInputDocument(patchText, { languageId: 'c' }).kind, 'c-source');
  assert.equal(readInputDocument('int x;\n', { path: 'include/linux/pgtable.h' }).kind, 'c-source');
});

test('a C document is one whole-file unit mapped to itself', () => {
  const text = readInputFixture('workspace', 'mm', 'pgwalk.h');
  const doc = readInputDocument(text, { languageId: 'c', path: 'mm/pgwalk.h' });
  assert.equal(doc.units.length, 1);
  assert.deepEqual({ kind: doc.units[0].kind, side: doc.units[0].side, path: doc.units[0].path }, { kind: 'file', side: 'source', path: 'mm/pgwalk.h' });
  assert.equal(doc.units[0].text, text);
  assert.deepEqual(doc.units[0].positionMap, { kind: 'identity' });
});

test('prose is text; empty and binary documents say so', () => {
  assert.equal(readInputDocument('Thanks, looks good to me.\n\nAcked-by: Bo\n').kind, 'text');
  const empty = readInputDocument('  \n\n');
  assert.equal(empty.kind, 'empty');
  assert.equal(empty.problems[0].code, 'empty-document');
  const binary = readInputDocument(readFileSync(inputFixture('broken', 'binary-junk.bin'), 'latin1'));
  assert.equal(binary.kind, 'binary');
  assert.deepEqual(binary.problems.map((p) => [p.severity, p.code]), [['error', 'binary-document']]);
});

test('invalid UTF-8 decoded to U+FFFD is reported where it first occurs', () => {
  const text = readFileSync(inputFixture('broken', 'invalid-utf8.patch'), 'utf8');
  assert.equal(textQuality(text).binary, false);
  const doc = readInputDocument(text);
  const problem = doc.problems.find((p) => p.code === 'invalid-utf8');
  assert.ok(problem);
  assert.equal(problem.range.start.line, 24); // the line "+\tif (pte_uffd_wp(old_pte)) /* keep \ufffd\ufffd bit */"
  assert.equal(doc.hunks.length, 6);
});
