import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentLine, originalPosition, readInputDocument } from '../../server/src/inputs';
import { readInputFixture } from '../helpers/paths';

const reply = readInputDocument(readInputFixture('review-reply.txt'));

test('pre-image: context and removed lines; post-image: context and added lines', () => {
  const hunk = reply.hunks[1]; // @@ -45,6 +54,8 @@ pgdemo_protect_one
  assert.equal(hunk.preImage.text, ['', '\told_pte = ptep_modify_prot_start(vma, addr, ptep);', '\tpte = pte_wrprotect(old_pte);', '\tptep_modify_prot_commit(vma, addr, ptep, old_pte, pte);', '}', '', ''].join('\n'));
  assert.equal(
    hunk.postImage.text,
    ['', '\told_pte = ptep_modify_prot_start(vma, addr, ptep);', '\tpte = pte_wrprotect(old_pte);', '\tif (pte_uffd_wp(old_pte))', '\t\tpte = pte_mkuffd_wp(pte);', '\tptep_modify_prot_commit(vma, addr, ptep, old_pte, pte);', '}', '', ''].join('\n'),
  );
  assert.deepEqual([hunk.preImage.startLine, hunk.preImage.lineCount, hunk.postImage.startLine, hunk.postImage.lineCount], [45, 6, 54, 8]);
});

test('every image line points at its line and column in the email', () => {
  const post = reply.hunks[0].postImage; // the hunk interrupted by a review comment
  // post-image line 3 is "\t/* Soft-dirty tracking needs the write fault. */", quoted on line 17 as "> +\t/* ..."
  assert.equal(post.text.split('\n')[3], '\t/* Soft-dirty tracking needs the write fault. */');
  assert.deepEqual(originalPosition(post.positionMap, { line: 3, character: 1 }), { source: 'document', position: { line: 16, character: 4 } });
  // after the comment (lines 21-24) the hunk goes on at line 25
  assert.deepEqual(
    Array.from({ length: post.lineCount }, (_, i) => documentLine(post.positionMap, i)! + 1),
    [14, 15, 16, 17, 18, 19, 20, 25, 26, 27, 28, 29, 30, 31, 32],
  );
});

test('a joined wrapped line maps each part to its own email line', () => {
  const doc = readInputDocument(readInputFixture('broken', 'wrapped.eml'));
  const post = doc.hunks[0].postImage;
  const line = post.text.split('\n')[3];
  const at = line.indexOf('!pte_write');
  assert.deepEqual(originalPosition(post.positionMap, { line: 3, character: at }), { source: 'document', position: { line: 18, character: 0 } });
  assert.deepEqual(originalPosition(post.positionMap, { line: 3, character: 1 }), { source: 'document', position: { line: 17, character: 2 } });
});

test('a removed last line without newline leaves the pre-image without one', () => {
  const text = ['--- a/x.c', '+++ b/x.c', '@@ -1,2 +1,2 @@', ' int a;', '-int b;', '\\ No newline at end of file', '+int b;', ''].join('\n');
  const [hunk] = readInputDocument(text).hunks;
  assert.equal(hunk.preImage.text, 'int a;\nint b;');
  assert.equal(hunk.postImage.text, 'int a;\nint b;\n');
});
