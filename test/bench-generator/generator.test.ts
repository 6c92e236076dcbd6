// The bench's generator of kernel-like C: deterministic in its seed, parseable by tree-sitter,
// the size asked for, and made of the constructs the bench is meant to exercise.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { syntaxIssues } from '../../server/src/parsing';
import { kernelLikeFile } from '../bench/generator/kernelFile';
import { lineCount, planKernelTree, writeKernelTree } from '../bench/generator/kernelTree';
import { testParser } from '../helpers/parser';

test('the same seed gives byte-identical text; another seed other text', () => {
  assert.equal(kernelLikeFile({ lines: 1500, seed: 3, prefix: 'a' }), kernelLikeFile({ lines: 1500, seed: 3, prefix: 'a' }));
  assert.notEqual(kernelLikeFile({ lines: 1500, seed: 3, prefix: 'a' }), kernelLikeFile({ lines: 1500, seed: 4, prefix: 'a' }));
});

test('a file reaches the lines asked for and ends with a whole function', () => {
  for (const lines of [40, 700, 7000]) {
    const text = kernelLikeFile({ lines, seed: lines, prefix: 'n' });
    const count = lineCount(text);
    assert.ok(count >= lines && count < lines + 80, `${lines} asked, ${count} written`);
    assert.ok(text.endsWith('}\n'));
  }
  const one = kernelLikeFile({ lines: 1, seed: 1, prefix: 'one' });
  assert.equal(one.match(/^\{$/gm)?.length, 1, 'one function');
});

test('a 7,000-line file parses without ERROR or MISSING nodes', async () => {
  const text = kernelLikeFile({ lines: 7000, seed: 42, prefix: 'p' });
  const parser = await testParser();
  const tree = parser.parse(text);
  try {
    const issues = syntaxIssues(tree).filter((issue) => !issue.iteratorMacro);
    assert.deepEqual(issues.slice(0, 3), []);
  } finally {
    parser.release(tree);
  }
});

test('the generated code holds every construct the bench is meant to exercise', () => {
  const text = kernelLikeFile({ lines: 7000, seed: 42, prefix: 'c' });
  const helpers = ['pte_mkwrite(', 'pte_wrprotect(', 'pte_mkdirty(', 'pte_mkclean(', 'pte_mkyoung(', 'pte_mkuffd_wp(', 'pte_clear_uffd_wp(', 'pte_mksoft_dirty('];
  const pmdHelpers = helpers.map((h) => h.replace('pte_', 'pmd_'));
  const entryCalls = ['ptep_get(', 'set_pte_at(', 'set_ptes(', 'ptep_modify_prot_start(', 'ptep_modify_prot_commit(', 'ptep_get_and_clear(', 'ptep_set_wrprotect(', 'pte_offset_map_lock(', 'pte_unmap_unlock(', 'set_pmd_at('];
  const locksAndFlushes = ['spin_lock(', 'spin_unlock(', 'flush_tlb_range(', 'flush_tlb_page(', 'tlb_flush_pte_range(', 'inc_tlb_flush_pending(', 'dec_tlb_flush_pending(', 'folio_mark_dirty(', 'copy_user_highpage('];
  const predicates = ['pte_present(', 'pte_dirty(', 'pte_write(', 'pte_uffd_wp(', 'pte_none(', 'is_swap_pte(', 'pmd_present('];
  const vma = ['vma->vm_flags & VM_WRITE', 'vma->vm_flags & VM_SHARED', 'vma->vm_flags & VM_UFFD_WP', 'userfaultfd_wp(vma)'];
  const control = ['goto out_unlock;', '\nout_unlock:\n', '\tdo {', '} while (', '\tfor (', 'switch (', '/* @mm assume ', '/* @mm expect none */'];
  for (const construct of [...helpers, ...pmdHelpers, ...entryCalls, ...locksAndFlushes, ...predicates, ...vma, ...control]) {
    assert.ok(text.includes(construct), `missing ${JSON.stringify(construct)}`);
  }
  assert.match(text, /\b(pte|pmd)_mk\w+\((pte|pmd)_mk\w+\(/, 'nested helper calls');
  // same-file static callees are defined, then called
  for (const [kind, call] of [['predicate_helper', '(vma, ptent)'], ['entry_worker', '(vma, addr, ']] as const) {
    const callees = [...text.matchAll(new RegExp(`static (?:inline )?\\w+ (c_${kind}_\\d+)\\(`, 'g'))].map((m) => m[1]!);
    assert.ok(callees.length > 0, `a ${kind} is defined`);
    assert.ok(callees.some((callee) => text.includes(`${callee}${call}`)), `a ${kind} is called`);
  }
});

test('a tree is shaped like mm/: a few large files, many of 500–2,000 lines, the lines asked for', () => {
  const plan = planKernelTree(200_000, 1);
  const total = plan.reduce((n, f) => n + f.lines, 0);
  assert.ok(total >= 200_000 && total < 200_000 + 2000, `${total}`);
  const large = plan.filter((f) => f.lines >= 5000);
  assert.ok(large.length >= 3 && large.length <= 5, `${large.length} large files`);
  assert.ok(large.every((f) => f.lines <= 8000));
  assert.ok(plan.filter((f) => f.lines < 5000).slice(0, -1).every((f) => f.lines >= 500 && f.lines <= 2000));
  assert.equal(new Set(plan.map((f) => f.name)).size, plan.length, 'file names are unique');
  assert.deepEqual(planKernelTree(200_000, 1), plan);

  const dir = mkdtempSync(join(tmpdir(), 'mmlens-gen-'));
  try {
    const tree = writeKernelTree(dir, 9000, 5);
    assert.ok(tree.lines >= 9000, `${tree.lines}`);
    for (const file of tree.files) assert.equal(lineCount(readFileSync(file.path, 'utf8')), file.lines, basename(file.path));
    const again = writeKernelTree(join(dir, 'again'), 9000, 5);
    assert.deepEqual(
      again.files.map((f) => readFileSync(f.path, 'utf8')),
      tree.files.map((f) => readFileSync(f.path, 'utf8')),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
