// A patch to a tree's headers, judged by the laws: applied in memory, helpers derived before
// and after, each law it breaks or repairs attributed to the hunk that touches the definition.
// The example patch (examples/toy-header.patch) does one of each on the toy tree.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseProfile } from '../../simulator/src';
import { lawsAcrossPatch } from '../../server/src/headers/patchLaws';
import { repoRoot } from '../helpers/paths';
import { toyTree } from '../helpers/toyTree';

const example = readFileSync(join(repoRoot(), 'examples', 'toy-header.patch'), 'utf8');

test('the example patch introduces a uffd-wp law failure in hunk 1 and fixes pmd_modify in hunk 2', () => {
  const result = lawsAcrossPatch(toyTree(), parseProfile('x86_64@6.19'), example);
  assert.deepEqual(result.changes.map((c) => `${c.change} ${c.law.id}@${c.level} by ${c.hunks.map((h) => `hunk ${h.number} (${h.helpers.join(', ')})`).join(', ')}`), [
    'introduced uffd-wp-read-only@pte by hunk 1 (pte_mkuffd_wp)',
    'fixed modify-keeps-dirty@pmd by hunk 2 (pmd_modify)',
  ]);
  assert.deepEqual(result.unchanged, []);
  assert.deepEqual(result.notes, []);
});

test('a change to a helper the law reads only through a call is attributed to that helper\'s hunk', () => {
  // pte_wrprotect stops parking dirt in SAVED_DIRTY: pte_mkuffd_wp calls it, pmd_wrprotect too
  const patch = [
    '--- a/arch/x86/include/asm/pgtable.h',
    '+++ b/arch/x86/include/asm/pgtable.h',
    '@@ -45,7 +45,7 @@',
    ' ',
    ' static inline pte_t pte_mkwrite_novma(pte_t p) { return __pte(pte_val(p) | _PAGE_RW); }',
    '-static inline pte_t pte_wrprotect(pte_t p) { return __pte(toy_park_dirt(pte_val(p) & ~_PAGE_RW)); }',
    '+static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }',
    ' static inline pte_t pte_mkdirty(pte_t p)',
    ' {',
    ' \treturn __pte(toy_park_dirt(pte_val(p) | _PAGE_DIRTY | _PAGE_SOFT_DIRTY));',
    '',
  ].join('\n');
  const result = lawsAcrossPatch(toyTree(), parseProfile('x86_64@6.19'), patch);
  // a write-protected dirty entry keeps D: with shadow stacks it reads as writable (W=0 D=1)
  assert.deepEqual(result.changes.map((c) => `${c.change} ${c.law.id}@${c.level} by ${c.hunks.map((h) => h.helpers.join(', ')).join('; ')}`), [
    'introduced wrprotect-protects@pte by pte_wrprotect',
    'introduced wrprotect-protects@pmd by pte_wrprotect',
    'introduced uffd-wp-read-only@pte by pte_wrprotect',
    'introduced no-shstk-lookalike@pte by pte_wrprotect',
    'introduced no-shstk-lookalike@pmd by pte_wrprotect',
  ]);
});

test('files outside the tree and hunks that do not apply are noted', () => {
  const patch = [
    '--- a/include/linux/nowhere.h',
    '+++ b/include/linux/nowhere.h',
    '@@ -1,1 +1,1 @@',
    '-int a;',
    '+int b;',
    '--- a/include/linux/pgtable.h',
    '+++ b/include/linux/pgtable.h',
    '@@ -1,1 +1,1 @@',
    '-this line is not in the file',
    '+nor is this one',
    '',
  ].join('\n');
  const result = lawsAcrossPatch(toyTree(), parseProfile('x86_64'), patch);
  assert.deepEqual(result.changes, []);
  assert.match(result.notes.join('\n'), /include\/linux\/nowhere\.h is not in the tree/);
  assert.match(result.notes.join('\n'), /include\/linux\/pgtable\.h: hunk 1 .* did not apply/);
});
