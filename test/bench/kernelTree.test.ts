// The bench's generated C: deterministic, parseable, the size asked for, and made of the
// constructs the bench is meant to exercise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundKind } from './treeBench';
import { kernelLikeFile, writeKernelTree } from './kernelTree';
import { testParser } from '../helpers/parser';

test('the same seed gives the same file; another seed another file', () => {
  assert.equal(kernelLikeFile(800, 3), kernelLikeFile(800, 3));
  assert.notEqual(kernelLikeFile(800, 3), kernelLikeFile(800, 4));
});

test('a 7,000-line file parses without errors and has every construct the bench needs', async () => {
  const text = kernelLikeFile(7000, 42);
  const lines = text.split('\n').length;
  assert.ok(lines >= 7000 && lines < 7100, `${lines} lines`);
  const parser = await testParser();
  const tree = parser.parse(text);
  try {
    assert.equal(tree.rootNode.hasError, false);
  } finally {
    parser.release(tree);
  }
  for (const construct of ['goto out_unlock;', 'do {', 'list_for_each_entry(', 'pte_offset_map_lock(', 'pte_unmap_unlock(', 'flush_tlb_range(', 'tlb_flush_pte_range(', 'inc_tlb_flush_pending(', '@mm assume', 'set_pmd_at(', 'ptep_modify_prot_commit(']) {
    assert.ok(text.includes(construct), construct);
  }
  // same-file callees are called
  const helpers = [...text.matchAll(/static inline bool (\w+)\(/g)].map((m) => m[1]!);
  assert.ok(helpers.some((helper) => text.includes(`&& ${helper}(vma, pte)`)), helpers.join(' '));
});

test('a tree reaches the lines asked for: three large files first, then middle-sized ones', () => {
  const tree = writeKernelTree(mkdtempSync(join(tmpdir(), 'mmlens-tree-')), 12000, 2);
  assert.ok(tree.lines >= 12000 && tree.lines < 12200, `${tree.lines} lines`);
  assert.deepEqual(tree.files.slice(0, 1).map((f) => f.lines > 6900), [true]);
  assert.equal(readFileSync(tree.files[0]!.path, 'utf8').split('\n').length, tree.files[0]!.lines);
});

test('bound messages are grouped by kind', () => {
  assert.equal(boundKind('loops unrolled at most 2 times'), 'loop unrolled to the bound');
  assert.equal(boundKind('analysis truncated after 256 paths'), 'path bound');
  assert.equal(boundKind('wp_page_copy has more than 32 paths to inline: its effects are unknown here'), 'callee with too many paths to inline');
  assert.equal(boundKind('something new'), 'other');
});
