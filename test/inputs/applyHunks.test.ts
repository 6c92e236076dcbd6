import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyHunksToFile, originalPosition, readInputDocument, workspaceFilesAt, workspaceFilesFrom } from '../../server/src/inputs';
import { inputFixture, readInputFixture } from '../helpers/paths';

const oldFile = readInputFixture('workspace', 'mm', 'pgdemo.c');
const newFile = readInputFixture('pgdemo-v2.c');
const patch = readInputDocument(readInputFixture('pgdemo.patch'));

test('the hunks of a patch turn the old file into the new one', () => {
  const applied = applyHunksToFile(oldFile, 'mm/pgdemo.c', patch.hunks);
  assert.equal(applied.direction, 'forward');
  assert.equal(applied.preText, oldFile);
  assert.equal(applied.postText, newFile);
  assert.ok(applied.placements.every((p) => p.applied && p.offset === 0 && p.fuzz === 0 && !p.ignoredWhitespace));
});

test('lines from the hunks map to the patch; the others to the workspace file', () => {
  const applied = applyHunksToFile(oldFile, 'mm/pgdemo.c', patch.hunks);
  const postLines = applied.postText.split('\n');
  const added = postLines.indexOf('\t/* Soft-dirty tracking needs the write fault. */');
  // the added comment is line 9 of the patch (index 8), after the "+" marker
  assert.deepEqual(originalPosition(applied.postMap, { line: added, character: 1 }), { source: 'document', position: { line: 8, character: 2 } });
  // line 11 of the file ("static unsigned long pgdemo_batch ...") is no hunk's
  assert.deepEqual(originalPosition(applied.postMap, { line: 10, character: 7 }), { source: 'workspace-file', path: 'mm/pgdemo.c', position: { line: 10, character: 7 } });
});

test('moved code is found at an offset, as patch does', () => {
  const shifted = `/* one */\n/* two */\n/* three */\n${oldFile}`;
  const applied = applyHunksToFile(shifted, 'mm/pgdemo.c', patch.hunks);
  assert.ok(applied.placements.every((p) => p.applied && p.offset === 3));
  assert.equal(applied.postText, `/* one */\n/* two */\n/* three */\n${newFile}`);
});

test('a changed context line at the edge of a hunk is fuzz; the change stays', () => {
  // the first context line of hunk 2 (@@ -45) is the blank line 45: give it a comment
  const lines = oldFile.split('\n');
  assert.equal(lines[44], '');
  lines[44] = '\t/* changed locally */';
  const applied = applyHunksToFile(lines.join('\n'), 'mm/pgdemo.c', patch.hunks);
  const second = applied.placements[1];
  assert.deepEqual([second.applied, second.fuzz, second.offset], [true, 1, 0]);
  assert.ok(applied.postText.includes('\t/* changed locally */\n\told_pte = ptep_modify_prot_start(vma, addr, ptep);\n'));
  assert.ok(applied.postText.includes('\tif (pte_uffd_wp(old_pte))\n'));
});

test('a file that already has the patch gives back its pre-image', () => {
  const applied = applyHunksToFile(newFile, 'mm/pgdemo.c', patch.hunks);
  assert.equal(applied.direction, 'already-applied');
  assert.equal(applied.preText, oldFile);
  assert.equal(applied.postText, newFile);
});

test('a hunk that matches nowhere is reported; the others still apply', () => {
  const lines = oldFile.split('\n');
  const at = lines.indexOf('\tif (!(vma->vm_flags & VM_WRITE))'); // only in hunk 1's function, not its context
  assert.ok(at > 0);
  const broken = oldFile.replace('\tpte = pte_wrprotect(old_pte);\n', '\tpte = pte_modify(old_pte, PAGE_NONE);\n');
  const applied = applyHunksToFile(broken, 'mm/pgdemo.c', patch.hunks);
  assert.deepEqual(applied.placements.map((p) => p.applied), [true, false, true, true, true, true]);
  assert.match(applied.placements[1].reason!, /hunk 2 does not match the file near line 45/);
});

test('with a workspace, a reply becomes whole functions before and after', () => {
  const doc = readInputDocument(readInputFixture('review-reply.txt'), { workspace: workspaceFilesAt(inputFixture('workspace')) });
  // without a parser, the applied file is one unit per side; the snipped hunk stays a fragment
  assert.deepEqual(
    doc.units.map((u) => [u.kind, u.side, u.path, u.hunkIndexes]),
    [
      ['file', 'pre', 'mm/pgdemo.c', [0, 1]],
      ['file', 'post', 'mm/pgdemo.c', [0, 1]],
      ['fragment', 'pre', 'mm/pgdemo.c', [2]],
      ['fragment', 'post', 'mm/pgdemo.c', [2]],
      ['fragment', 'post', undefined, [3]],
      ['fragment', 'pre', undefined, [4]],
      ['fragment', 'post', undefined, [4]],
    ],
  );
});

test('mail-mangled tabs still apply, whitespace ignored and said so', () => {
  const doc = readInputDocument(readInputFixture('broken', 'mangled-tabs.eml'), { workspace: workspaceFilesFrom({ 'mm/pgdemo.c': oldFile }) });
  assert.equal(doc.units.filter((u) => u.kind === 'file').length, 2);
  assert.equal(doc.problems.filter((p) => p.code === 'hunk-applied-loosely').length, 6);
  assert.match(doc.problems.find((p) => p.code === 'hunk-applied-loosely')!.message, /whitespace ignored/);
});

test('paths leaving the workspace are never read', () => {
  const files = workspaceFilesAt(inputFixture('workspace'));
  assert.equal(files.read('../pgdemo.patch'), undefined);
  assert.equal(files.read('/etc/passwd'), undefined);
  assert.equal(files.read('mm/../../pgdemo.patch'), undefined);
  assert.equal(files.read('mm'), undefined); // a directory
  assert.ok(files.read('mm/pgdemo.c')?.startsWith('// SPDX-License-Identifier: GPL-2.0'));
});
