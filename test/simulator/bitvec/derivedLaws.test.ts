// The laws (laws.ts) proved on helpers derived from a tree instead of the tables: on the toy
// tree, pmd_modify's dropped dirt is found from its definition; editing the definition the way
// the upstream fix did makes the law hold; a pte_mkuffd_wp that stops write-protecting breaks
// uffd-wp-read-only.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAllLaws, parseProfile } from '../../../simulator/src';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import { buildTreeModel } from '../../../server/src/headers/deriveFromTree';
import type { SourceTree } from '../../../server/src/headers/sourceTree';
import { editedToyTree, toyTree } from '../../helpers/toyTree';

function failures(tree: SourceTree, profile = 'x86_64@6.19'): string[] {
  return checkAllLaws(new DerivedSimulator(buildTreeModel(tree, parseProfile(profile)))).filter((r) => r.status === 'fails').map((r) => `${r.law.id}@${r.level}`);
}

test('the toy tree breaks exactly one law: pmd_modify loses a writable PMD\'s dirt', () => {
  assert.deepEqual(failures(toyTree()), ['modify-keeps-dirty@pmd']);
  const result = checkAllLaws(new DerivedSimulator(buildTreeModel(toyTree(), parseProfile('x86_64')))).find((r) => r.status === 'fails');
  assert.equal(result?.status, 'fails');
  if (result?.status === 'fails') assert.equal(result.counterexample.get('x_pmd.D'), true);
});

test('with pmd_modify keeping hardware dirt, the law holds', () => {
  const fixed = editedToyTree('arch/x86/include/asm/pgtable.h', ['toy_u64 keep = TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY;', 'toy_u64 keep = TOY_KEEP_ON_MODIFY;']);
  assert.deepEqual(failures(fixed), []);
});

test('a pte_mkuffd_wp that only sets the bit leaves uffd-wp entries writable', () => {
  const broken = editedToyTree('arch/x86/include/asm/pgtable.h', ['return pte_wrprotect(__pte(pte_val(p) | _PAGE_UFFD_WP));', 'return __pte(pte_val(p) | _PAGE_UFFD_WP);']);
  assert.deepEqual(failures(broken), ['uffd-wp-read-only@pte', 'modify-keeps-dirty@pmd']);
});

test('laws whose helpers the tree lacks are not applicable, with the reason', () => {
  const results = checkAllLaws(new DerivedSimulator(buildTreeModel(toyTree(), parseProfile('x86_64'))));
  const pud = results.find((r) => r.law.id === 'mkclean-cleans' && r.level === 'pud')!;
  assert.equal(pud.status, 'n/a');
  if (pud.status === 'n/a') assert.match(pud.reason, /pud_\w+ has no definition in the headers read/);
});
