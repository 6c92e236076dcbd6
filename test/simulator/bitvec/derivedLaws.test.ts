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

const laws = (tree: SourceTree, ids: readonly string[]) => checkAllLaws(new DerivedSimulator(buildTreeModel(tree, parseProfile('x86_64@6.19')))).filter((r) => ids.includes(r.law.id));
const SWAP_LAWS = ['swap-carries-soft-dirty', 'swap-carries-uffd-wp', 'decode-drops-carry-bits'];

test('the swap laws run on the tree\'s conversions, which keep the entry\'s form and move only the carry flags', () => {
  assert.deepEqual(laws(toyTree(), SWAP_LAWS).map((r) => `${r.law.id}:${r.status}`), SWAP_LAWS.map((id) => `${id}:holds`));
  // a swp_entry_to_pte that sets the soft-dirty flag itself: the decoded entry keeps it, the law fails
  const dirtying = editedToyTree('include/linux/swapops.h', ['return __swp_entry_to_pte(__swp_entry(swp_type(e), swp_offset(e)));', 'return __pte(pte_val(__swp_entry_to_pte(__swp_entry(swp_type(e), swp_offset(e)))) | _PAGE_SWP_SOFT_DIRTY);']);
  assert.equal(laws(dirtying, ['decode-drops-carry-bits'])[0]?.status, 'fails');
  // a pte_to_swp_entry that folds the uffd-wp flag into the offset: the model does not decode offsets
  const leaking = editedToyTree('include/linux/swapops.h', ['return swp_entry(__swp_type(arch), __swp_offset(arch));', 'return swp_entry(__swp_type(arch), __swp_offset(arch) | (pte_val(pte) & _PAGE_SWP_UFFD_WP));'], ['pte = __pte(pte_val(pte) & ~(_PAGE_SWP_SOFT_DIRTY | _PAGE_SWP_UFFD_WP | _PAGE_SWP_EXCLUSIVE));', 'arch.val = 0;']);
  const leaked = laws(leaking, ['decode-drops-carry-bits'])[0]!;
  assert.equal(leaked.status, 'n/a');
  if (leaked.status === 'n/a') assert.match(leaked.reason, /pte_to_swp_entry .*: bits? [\d, ]+ of the result (is|are) not what the tree's layout gives the same type and offset with the carry flags cleared/);
});
