import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { documentLine, originalPosition, readInputDocument, workspaceFilesAt, workspaceFilesFrom, type SourceUnit } from '../../server/src/inputs';
import { inputFixture, readInputFixture } from '../helpers/paths';
import { testSyntax } from '../helpers/parser';

const workspace = workspaceFilesAt(inputFixture('workspace'));
const summary = (u: SourceUnit): string => `${u.kind} ${u.side} ${u.path} ${u.functionName ?? '-'} [${u.hunkIndexes.join(',')}]`;

test('a patch applied to the workspace gives the changed functions before and after', async () => {
  const doc = readInputDocument(readInputFixture('pgdemo.patch'), { workspace, syntax: await testSyntax() });
  assert.deepEqual(doc.units.map(summary), [
    'function pre mm/pgdemo.c pgdemo_may_upgrade [0]',
    'function pre mm/pgdemo.c pgdemo_protect_one [1]',
    'function pre mm/pgdemo.c pgdemo_change_range [2]',
    'function pre mm/pgdemo.c pgdemo_report [3]',
    'function pre mm/pgdemo.c pgdemo_walk [4]',
    'function post mm/pgdemo.c pgdemo_may_upgrade [0]',
    'function post mm/pgdemo.c pgdemo_protect_one [1]',
    'function post mm/pgdemo.c pgdemo_change_range [2]',
    'function post mm/pgdemo.c pgdemo_report [3]',
    'function post mm/pgdemo.c pgdemo_walk [4]',
    'function post mm/pgdemo.c pgdemo_entry_is_clean [5]',
  ]);
  // the whole file before and after stays available, for callers and callees
  assert.deepEqual(doc.appliedFiles.map((f) => [f.path, f.direction]), [['mm/pgdemo.c', 'forward']]);
  assert.equal(doc.appliedFiles[0].postText, readInputFixture('pgdemo-v2.c'));
  const protect = doc.units.find((u) => u.side === 'post' && u.functionName === 'pgdemo_protect_one')!;
  assert.ok(protect.text.startsWith('static void pgdemo_protect_one(struct vm_area_struct *vma, unsigned long addr,\n'));
  // unit line 8 "\tif (pte_uffd_wp(old_pte))" was added by the patch (its line 25); line 0 is the workspace file's line 40
  assert.equal(protect.text.split('\n')[8], '\tif (pte_uffd_wp(old_pte))');
  assert.deepEqual(originalPosition(protect.positionMap, { line: 8, character: 1 }), { source: 'document', position: { line: 24, character: 2 } });
  assert.deepEqual(originalPosition(protect.positionMap, { line: 0, character: 0 }), { source: 'workspace-file', path: 'mm/pgdemo.c', position: { line: 39, character: 0 } });
});

test('renames, new and deleted files: each side has its own path', async () => {
  const doc = readInputDocument(readInputFixture('multi-file.patch'), { workspace, syntax: await testSyntax() });
  assert.deepEqual(doc.units.map(summary), [
    'file post mm/pgfresh.c - [1]',
    'function pre mm/pgold.c pgold_restore [2,3]',
    'function pre mm/pgold.c pgold_make_entry [3]',
    'function post mm/pgnew.c pgnew_restore [2,3]',
    'function post mm/pgnew.c pgnew_make_entry [3]',
    'function pre mm/pgstale.c pgstale_touch [4]',
    'function pre mm/pgwalk.h pgwalk_downgrade [5]',
    'function post mm/pgwalk.h pgwalk_downgrade [5]',
  ]);
  const fresh = doc.units[0];
  assert.equal(documentLine(fresh.positionMap, 0), 17); // "+// SPDX-License-Identifier: GPL-2.0" is patch line 18
});

test('in a series, a later patch applies to the file as the earlier ones left it', async () => {
  const doc = readInputDocument(readInputFixture('series.mbox'), { workspace, syntax: await testSyntax() });
  const third = doc.units.filter((u) => u.hunkIndexes.includes(12));
  assert.deepEqual(third.map(summary), ['function pre mm/pgdemo.c pgdemo_may_upgrade [12]', 'function post mm/pgdemo.c pgdemo_may_upgrade [12]']);
  assert.equal(doc.problems.filter((p) => p.code === 'hunk-applied-loosely' || p.code === 'hunk-not-applied').length, 0);
  // the pre side of patch 3 holds lines patch 1 added: outside patch 3's hunk they map to patch 1 (mbox line 54),
  // inside it to patch 3's own lines (mbox line 258)
  const pre = third[0].text.split('\n');
  assert.equal(documentLine(third[0].positionMap, pre.indexOf('\t/* Soft-dirty tracking needs the write fault. */'))! + 1, 54);
  assert.equal(documentLine(third[0].positionMap, pre.indexOf('\t/* So does userfaultfd write protection. */'))! + 1, 258);
  assert.equal(doc.hunks[0].messageIndex, 1);
});

test('without the file in the workspace, hunks become parseable fragments', async () => {
  const doc = readInputDocument(readInputFixture('format-patch.eml'), { syntax: await testSyntax() });
  assert.equal(doc.units.length, 12); // 6 hunks, each before and after
  assert.ok(doc.units.every((u) => u.kind === 'fragment' && u.wrapper?.syntaxIssues === 0), doc.units.map((u) => `${u.functionName}:${u.wrapper?.syntaxIssues}`).join(' '));
  const post = doc.units.find((u) => u.side === 'post' && u.functionName === 'pgdemo_may_upgrade')!;
  const fragment = post.positionMap.kind === 'lines' ? post.positionMap.fragment : undefined;
  // "void __mmlens_fragment(void)", "{", and "{" for the function's closing "}" that the hunk shows
  assert.deepEqual(fragment, { linesBefore: 3, linesAfter: 1, columnOffset: 0 });
  assert.equal(post.text.split('\n')[2], '{');
  assert.equal(documentLine(post.positionMap, 2), undefined);
  assert.equal(documentLine(post.positionMap, 3)! + 1, 22); // the first line after "@@ -34,6 +34,15 @@" (line 21)
});

test('a broken hunk is reported with its reason and the rest is still read', async () => {
  const doc = readInputDocument(readInputFixture('broken', 'truncated.patch'), { workspace, syntax: await testSyntax() });
  assert.deepEqual(doc.units.map(summary), [
    'function pre mm/pgdemo.c pgdemo_may_upgrade [0]',
    'function pre mm/pgdemo.c pgdemo_protect_one [1]',
    'function post mm/pgdemo.c pgdemo_may_upgrade [0]',
    'function post mm/pgdemo.c pgdemo_protect_one [1]',
    'fragment pre mm/pgdemo.c pgdemo_change_range [2]',
    'fragment post mm/pgdemo.c pgdemo_change_range [2]',
  ]);
  assert.ok(doc.units.slice(4).every((u) => !u.complete));
  assert.deepEqual(doc.problems.map((p) => [p.severity, p.code, p.message]), [['warning', 'hunk-incomplete', 'hunk 3 (mm/pgdemo.c) is incomplete: truncated: the @@ line promises -7 +9 lines, only -5 +4 found']]);
});

test('garbage never throws: every string gives a document', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.array(fc.constantFrom('> ', '@@ -1,2 +1 @@', '+', '-', ' ', '\n', '\r\n', 'diff --git a/x b/y', '--- a/x', '+++ b/x', '[...]', '\\ No newline', '{', '}', '\0', '\ufffd', 'From x Mon Jan  1 00:00:00 2024')).map((a) => a.join(''))), (text) => {
      const doc = readInputDocument(text);
      assert.ok(doc.kind);
      assert.ok(doc.problems.every((p) => p.message.length > 0 && p.range.start.line >= 0));
    }),
    { numRuns: 500, seed: 7 },
  );
});

test('huge inputs and huge lines are read without trouble', async () => {
  const syntax = await testSyntax();
  const hugeLine = `+${'x'.repeat(300_000)}`;
  const doc = readInputDocument(`--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1 +1,2 @@\n int a;\n${hugeLine}\n`, { syntax });
  assert.deepEqual(doc.problems.map((p) => p.code), ['hunk-incomplete', 'line-too-long']);
  const big = readInputFixture('pgdemo.patch').repeat(2000); // ~4 MB, 12,000 hunks
  const started = process.hrtime.bigint();
  const many = readInputDocument(big);
  assert.equal(many.hunks.length, 12_000);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 30);
});

test('not a string (from untyped callers) is an empty document, not an exception', () => {
  assert.equal(readInputDocument(undefined as unknown as string).kind, 'empty');
});

test('hunks that match nothing in the workspace file are reported and read as fragments', async () => {
  const unrelated = workspaceFilesFrom({ 'mm/pgdemo.c': readInputFixture('kernel-idioms.c') });
  const doc = readInputDocument(readInputFixture('pgdemo.patch'), { workspace: unrelated, syntax: await testSyntax() });
  assert.equal(doc.problems.filter((p) => p.code === 'hunk-not-applied').length, 6);
  assert.ok(doc.units.every((u) => u.kind === 'fragment'));
});

test('a new file that the workspace already has is taken from the patch, not added twice', async () => {
  const doc = readInputDocument(readInputFixture('multi-file.patch'), { workspace: workspaceFilesFrom({ 'mm/pgfresh.c': 'int already_there;\n' }), syntax: await testSyntax() });
  const fresh = doc.units.find((u) => u.path === 'mm/pgfresh.c')!;
  assert.equal(fresh.kind, 'file');
  assert.ok(fresh.text.startsWith('// SPDX-License-Identifier: GPL-2.0\n/* pgfresh.c'));
  assert.ok(!fresh.text.includes('already_there'));
});

test('a CRLF patch gives the same units and positions as the LF one, and says so', async () => {
  const syntax = await testSyntax();
  const lf = readInputDocument(readInputFixture('pgdemo.patch'), { workspace, syntax });
  const crlf = readInputDocument(readInputFixture('broken', 'crlf.patch'), { workspace, syntax });
  assert.deepEqual(crlf.problems.map((p) => p.code), ['line-endings']);
  assert.deepEqual(crlf.units.map((u) => u.text), lf.units.map((u) => u.text));
  const where = (doc: typeof lf) => originalPosition(doc.units[5].positionMap, { line: 14, character: 2 });
  assert.deepEqual(where(crlf), where(lf));
});
