import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPatches, parseHunkHeader, readInputDocument, scanDocument, splitMessages, type Hunk } from '../../server/src/inputs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { functionNameFromContext } from '../../server/src/inputs/hunkExtractor';
import { readInputFixture } from '../helpers/paths';
import { testParser } from '../helpers/parser';

function hunksOf(text: string) {
  const { lines } = scanDocument(text);
  return extractPatches(lines, splitMessages(lines).messageOf);
}

const kinds = (hunk: Pick<Hunk, 'lines'>): string => hunk.lines.map((l) => (l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' ')).join('');

test('an @@ line gives the counts and the function context', () => {
  assert.deepEqual(parseHunkHeader('@@ -4808,6 +4808,8 @@ static vm_fault_t do_numa_page(struct vm_fault *vmf)'), {
    header: { oldStart: 4808, oldCount: 6, newStart: 4808, newCount: 8 },
    functionContext: 'static vm_fault_t do_numa_page(struct vm_fault *vmf)',
  });
  assert.deepEqual(parseHunkHeader('@@ -1 +1,2 @@'), { header: { oldStart: 1, oldCount: 1, newStart: 1, newCount: 2 }, functionContext: undefined });
  assert.equal(parseHunkHeader('@@ -1,3 +1,3'), undefined);
});

test('a git diff: every hunk, its file, its function and its lines', () => {
  const { filePatches, hunks, problems } = hunksOf(readInputFixture('pgdemo.patch'));
  assert.deepEqual(problems, []);
  assert.equal(filePatches.length, 1);
  assert.deepEqual(
    hunks.map((h) => [h.path, h.header?.oldStart, h.functionName, h.range.start.line, h.range.end.line, h.complete]),
    [
      ['mm/pgdemo.c', 34, 'pgdemo_may_upgrade', 4, 19, true],
      ['mm/pgdemo.c', 45, 'pgdemo_protect_one', 20, 28, true],
      ['mm/pgdemo.c', 70, 'pgdemo_change_range', 29, 39, true],
      ['mm/pgdemo.c', 100, 'pgdemo_report', 40, 48, true],
      ['mm/pgdemo.c', 157, 'pgdemo_walk', 49, 57, true],
      ['mm/pgdemo.c', 166, undefined, 58, 69, true], // "@@ -166,4 +179,9 @@ out:" names a label, not a function
    ],
  );
  assert.equal(kinds(hunks[2]), '   -+++   ');
  assert.equal(hunks[2].lines[3].text, '\t\t\tptent = pte_mkuffd_wp(ptent);');
  assert.deepEqual(hunks[2].lines[3].origins, [{ line: 33, character: 1, unitColumn: 0 }]); // line 34 of the patch
});

test('`\\ No newline at end of file` marks the line before it', () => {
  const last = hunksOf(readInputFixture('pgdemo.patch')).hunks[5];
  const final = last.lines[last.lines.length - 1];
  assert.deepEqual([final.kind, final.text, final.noNewlineAtEnd], ['added', 'late_initcall(pgdemo_init);', true]);
  assert.equal(last.lines.filter((l) => l.noNewlineAtEnd).length, 1);
});

test('new, deleted and renamed files, and files that are not C', () => {
  const { filePatches } = hunksOf(readInputFixture('multi-file.patch'));
  assert.deepEqual(
    filePatches.map((f) => [f.oldPath, f.newPath, f.change, f.hunkIndexes]),
    [
      ['Documentation/mm/pgdemo.rst', 'Documentation/mm/pgdemo.rst', 'modified', [0]],
      [undefined, 'mm/pgfresh.c', 'added', [1]],
      ['mm/pgold.c', 'mm/pgnew.c', 'renamed', [2, 3]],
      ['mm/pgstale.c', undefined, 'deleted', [4]],
      ['mm/pgwalk.h', 'mm/pgwalk.h', 'modified', [5]],
    ],
  );
  const doc = readInputDocument(readInputFixture('multi-file.patch'));
  assert.deepEqual(doc.problems.map((p) => p.code), ['not-c']);
});

test('plain `diff -u` headers: timestamps dropped, one leading directory stripped', () => {
  const text = ['--- linux.orig/mm/pgdemo.c\t2024-03-05 10:00:00.000000000 +0000', '+++ linux/mm/pgdemo.c\t2024-03-05 10:01:00.000000000 +0000', '@@ -1 +1 @@', '-int a;', '+int b;', ''].join('\n');
  const { filePatches, hunks } = hunksOf(text);
  assert.deepEqual([filePatches[0].oldPath, filePatches[0].newPath, filePatches[0].change], ['mm/pgdemo.c', 'mm/pgdemo.c', 'modified']);
  assert.equal(kinds(hunks[0]), '-+');
});

test('an mbox series: messages, subjects, and hunks assigned to their message', () => {
  const doc = readInputDocument(readInputFixture('series.mbox'));
  assert.deepEqual(
    doc.messages.map((m) => [m.subject, m.range.start.line]),
    [
      ['[PATCH 0/3] mm/pgdemo: keep tracking bits when changing protection', 0],
      ['[PATCH 1/3] mm/pgdemo: keep uffd-wp and soft-dirty tracking when upgrading entries', 29],
      ['[PATCH 2/3] mm/pgwalk: keep dirty entries dirty, rename pgold to pgnew', 119],
      ['[PATCH 3/3] mm/pgdemo: never upgrade entries in shadow-stack VMAs', 237],
    ],
  );
  assert.deepEqual(doc.hunks.map((h) => h.messageIndex), [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3]);
  assert.equal(doc.messages[1].from, 'Ada Pagetable <ada@example.org>');
});

test('a reply: quote depths, review comments inside a hunk, a snip, a hunk without @@', () => {
  const { hunks, problems } = hunksOf(readInputFixture('review-reply.txt'));
  assert.deepEqual(
    hunks.map((h) => [h.quoteDepth, h.path, h.functionName, h.range.start.line + 1, h.range.end.line + 1, h.complete]),
    [
      [1, 'mm/pgdemo.c', 'pgdemo_may_upgrade', 13, 32, true],
      [1, 'mm/pgdemo.c', 'pgdemo_protect_one', 33, 41, true],
      [1, 'mm/pgdemo.c', 'pgdemo_change_range', 42, 51, false],
      [1, undefined, undefined, 55, 61, true],
      [2, undefined, 'pgdemo_walk', 65, 73, true],
    ],
  );
  // the reviewer's comment (lines 21-24) is inside hunk 1 but not part of it
  assert.deepEqual(hunks[0].interleavedLines.map((l) => l + 1), [21, 22, 23, 24]);
  assert.equal(kinds(hunks[0]), '   +++++++++   ');
  // the quoted empty line ">" closes hunk 1 exactly at its counts (-6 +15)
  assert.equal(hunks[0].lines[hunks[0].lines.length - 1].origins[0].line + 1, 32);
  assert.match(hunks[2].incompleteReason!, /^snipped at line 46: the @@ line promises -7 \+9 lines, -6 \+8 quoted$/);
  assert.equal(hunks[3].header, undefined);
  assert.equal(kinds(hunks[3]), '++++');
  assert.deepEqual(
    problems.map((p) => [p.code, p.range.start.line + 1]),
    [
      ['hunk-snipped', 46],
      ['hunk-without-header', 55],
    ],
  );
});

test('context lines whose leading space the quoting ate are still context', () => {
  // as mail archives show quoted patches: indentation collapsed, the context marker gone
  const text = ['> @@ -10,3 +10,4 @@ static void f(void)', '> pte = ptep_get(ptep);', '> + pte = pte_wrprotect(pte);', '> set_pte_at(mm, addr, ptep, pte);', '>', 'Comment.'].join('\n');
  const { hunks, problems } = hunksOf(text);
  // the empty quoted line is the last context line: it is exactly what the counts still need
  assert.equal(kinds(hunks[0]), ' +  ');
  assert.equal(hunks[0].complete, true);
  assert.equal(hunks[0].lines.filter((l) => l.markerMissing).length, 2);
  assert.deepEqual(problems.map((p) => p.code), ['tabs-mangled', 'context-marker-missing']);
});

test('a hunk cut short by the end of the file is truncated', () => {
  const { hunks, problems } = hunksOf(readInputFixture('broken', 'truncated.patch'));
  assert.equal(hunks.length, 3);
  assert.equal(hunks[2].complete, false);
  assert.equal(hunks[2].incompleteReason, 'truncated: the @@ line promises -7 +9 lines, only -5 +4 found');
  assert.deepEqual(problems.map((p) => [p.code, p.range.start.line + 1]), [['hunk-incomplete', 30]]);
});

test('a line the mail client wrapped is joined back, keeping both origins', () => {
  const { hunks, problems } = hunksOf(readInputFixture('broken', 'wrapped.eml'));
  const joined = hunks[0].lines[3];
  assert.equal(joined.text, '\telse if ((vma->vm_flags & VM_UFFD_WP) && userfaultfd_wp(vma) && !pte_write(entry))');
  assert.deepEqual(joined.origins, [
    { line: 17, character: 1, unitColumn: 0 },
    { line: 18, character: 0, unitColumn: 65 },
  ]);
  assert.equal(hunks[0].complete, true);
  assert.deepEqual(problems.map((p) => [p.code, p.range.start.line + 1]), [['line-wrapped', 19]]);
});

test('tabs turned into spaces are detected', () => {
  const { hunks } = hunksOf(readInputFixture('broken', 'mangled-tabs.eml'));
  assert.equal(hunks.length, 6);
  assert.ok(hunks.every((h) => h.tabsMangled && h.complete));
  assert.equal(hunksOf(readInputFixture('format-patch.eml')).hunks.some((h) => h.tabsMangled), false);
});

test('CRLF patches read like LF ones', () => {
  const lf = hunksOf(readInputFixture('pgdemo.patch')).hunks;
  const crlf = hunksOf(readInputFixture('broken', 'crlf.patch')).hunks;
  assert.deepEqual(
    crlf.map((h) => h.lines.map((l) => l.text)),
    lf.map((h) => h.lines.map((l) => l.text)),
  );
});

test('damaged headers are reported and the readable hunks still read', () => {
  const { hunks, problems } = hunksOf(readInputFixture('broken', 'bad-header.patch'));
  assert.deepEqual(
    problems.map((p) => [p.code, p.range.start.line + 1]),
    [
      ['bad-patch-header', 3],
      ['bad-patch-header', 6],
      ['hunk-incomplete', 8],
      ['context-marker-missing', 8],
    ],
  );
  assert.match(hunks[0].incompleteReason!, /line 11 does not fit the @@ line's counts/);
  assert.deepEqual([hunks[1].complete, kinds(hunks[1])], [true, ' +  ']);
});

test('a snip just after the last quoted line still explains what is missing', () => {
  const text = ['> @@ -1,5 +1,5 @@ static int f(void)', '>  \tint a;', '>  \tint b;', '>', '> [...]', '', 'Comment.'].join('\n');
  const { hunks } = hunksOf(text);
  assert.equal(hunks[0].complete, false);
  assert.equal(hunks[0].incompleteReason, 'snipped at line 5: the @@ line promises -5 +5 lines, -2 +2 quoted');
});

test('a short unmarked line after a short one is not taken for a wrapped line', () => {
  const text = ['--- a/x.c', '+++ b/x.c', '@@ -1,3 +1,3 @@', ' int a;', '-int b;', 'Thanks', ''].join('\n');
  const { hunks, problems } = hunksOf(text);
  assert.equal(hunks[0].lines.length, 2);
  assert.ok(!problems.some((p) => p.code === 'line-wrapped'));
  assert.match(hunks[0].incompleteReason!, /^truncated/);
});

// Found by `npm run fuzz` (seed 3, case 83552): a mail whose hunk header carried a 93,000-character
// context took 77 s, the name pattern backtracking over it. Now only its start is searched.
test('a hunk header with an enormous function context is read at once', { timeout: 20000 }, async () => {
  assert.equal(functionNameFromContext(`static int ${'x'.repeat(100000)}`), undefined);
  assert.equal(functionNameFromContext('static int pgdemo_walk(struct vm_area_struct *vma,'), 'pgdemo_walk');
  const text = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fuzz', 'huge-hunk-context.txt'), 'utf8');
  const analysis = analyzeDocument(await testParser(), text, { path: 'review-reply.txt', detail: 'findings' });
  assert.equal(analysis.kind, 'quoted-patch');
});
