// The engine's simulator on a tree (TreeSimulator): a helper the tree defines runs its
// definition on the entries whose form a word carries, and the built-in row on the others
// (none, swap, migration …); a helper whose result reads a bit the model does not name, or that
// the tree does not define, is the built-in row, with the reason.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, parseProfile } from '../../../simulator/src';
import { DerivedSimulator } from '../../../simulator/src/bitvec/derivedSimulator';
import { TreeModelHelpers } from '../../../simulator/src/bitvec/treeSimulator';
import { buildTreeModel } from '../../../server/src/headers/deriveFromTree';
import type { SourceTree } from '../../../server/src/headers/sourceTree';
import { editedToyTree, toyTree } from '../../helpers/toyTree';

const PROFILE = parseProfile('x86_64@6.19');

function model(tree: SourceTree = toyTree()): TreeModelHelpers {
  return new TreeModelHelpers(buildTreeModel(tree, PROFILE), 'toy');
}

test('on a present entry the definition runs, on a swap entry the table', () => {
  const helpers = model();
  const tree = helpers.simulator(PROFILE, new Simulator(PROFILE).alg)!;
  const builtin = new Simulator(PROFILE, tree.alg);
  const derived = new DerivedSimulator(helpers.source, tree.alg);
  const present = tree.presentEntry('p');
  assert.deepEqual([...tree.apply('pte_mkdirty', present).bits], [...derived.apply('pte_mkdirty', present).bits]);
  const swap = tree.entry('s', 'pte', { forms: ['swap'] });
  assert.deepEqual([...tree.apply('pte_mkdirty', swap).bits], [...builtin.apply('pte_mkdirty', swap).bits]);
  assert.equal(tree.test('pte_dirty', swap), builtin.test('pte_dirty', swap));
});

test('a definition that differs from the table is what the simulator does', () => {
  // a pte_mkclean that forgets the parked dirt
  const helpers = model(editedToyTree('arch/x86/include/asm/pgtable.h', ['pte_val(p) & ~(_PAGE_DIRTY | _PAGE_SAVED_DIRTY)', 'pte_val(p) & ~_PAGE_DIRTY']));
  const tree = helpers.simulator(PROFILE, new Simulator(PROFILE).alg)!;
  const alg = tree.alg;
  const cleaned = tree.apply('pte_mkclean', tree.presentEntry('p'));
  assert.notEqual(tree.test('pte_dirty', cleaned), alg.FALSE, 'still dirty where SD was set');
  assert.equal(new Simulator(PROFILE, alg).test('pte_dirty', new Simulator(PROFILE, alg).apply('pte_mkclean', tree.presentEntry('p'))), alg.FALSE);
});

test('a helper whose result reads a bit the model does not name is the table, saying which bit', () => {
  const helpers = model(editedToyTree('arch/x86/include/asm/pgtable.h', ['return pte_val(p) & _PAGE_ACCESSED;', 'return pte_val(p) & (_PAGE_ACCESSED | (1ULL << 12));']));
  const decision = helpers.decide('pte_young');
  assert.equal(decision.derived, false);
  if (!decision.derived) assert.match(decision.reason, /reads bit 12 of the entry, which the model does not name/);
  assert.equal(helpers.decide('pte_mkyoung').derived, true);
});

test('a helper the tree does not define is the table with the reason', () => {
  const helpers = model();
  const missing = helpers.decide('pud_mkclean');
  assert.equal(missing.derived, false);
  if (!missing.derived) assert.match(missing.reason, /no definition in the headers read/);
});

test('an in-place primitive runs its definition on the slot, with the row\'s install kind and flushes', () => {
  // a ptep_set_wrprotect that loses the hardware dirt instead of parking it in SavedDirty
  const helpers = model(editedToyTree('arch/x86/include/asm/pgtable.h', ['want = pte_val(pte_wrprotect(__pte(seen)));', 'want = seen & ~(_PAGE_RW | _PAGE_DIRTY);']));
  assert.equal(helpers.decide('ptep_set_wrprotect').derived, true);
  const tree = helpers.simulator(PROFILE, new Simulator(PROFILE).alg)!;
  const builtin = new Simulator(PROFILE, tree.alg);
  const alg = tree.alg;
  const slot = tree.presentEntry('s');
  const fromTree = tree.applyInPlace('ptep_set_wrprotect', slot, undefined, undefined);
  const fromRow = builtin.applyInPlace('ptep_set_wrprotect', slot, undefined, undefined);
  assert.equal(fromTree.install, fromRow.install);
  assert.deepEqual(fromTree.events, fromRow.events);
  assert.equal(builtin.test('pte_dirty', fromRow.slot), builtin.test('pte_dirty', slot), 'the row keeps the dirt');
  assert.notEqual(builtin.test('pte_dirty', fromTree.slot), builtin.test('pte_dirty', slot), 'the edited definition drops hardware dirt');
  assert.equal(builtin.test('pte_write', fromTree.slot), alg.FALSE);
  // a batch over nr entries, from the toy's generic set_ptes loop
  assert.equal(model().decide('set_ptes').derived, true);
  // on a swap entry the row answers
  const swap = tree.entry('w', 'pte', { forms: ['swap'] });
  assert.deepEqual([...tree.applyInPlace('ptep_set_wrprotect', swap, undefined, undefined).slot.bits], [...builtin.applyInPlace('ptep_set_wrprotect', swap, undefined, undefined).slot.bits]);
});

test('a function on another profile gets no tree simulator', () => {
  assert.equal(model().simulator(parseProfile('x86_64@6.1'), new Simulator(PROFILE).alg), undefined);
});

test('a helper the tables do not have runs its definition where a word carries the entry, and is unknown elsewhere', () => {
  const helpers = model();
  const tree = helpers.simulator(PROFILE, new Simulator(PROFILE).alg)!;
  assert.equal(new Simulator(PROFILE, tree.alg).has('pmd_toy_reprotect'), false);
  assert.equal(tree.has('pmd_toy_reprotect'), true);
  const derived = new DerivedSimulator(helpers.source, tree.alg);
  const present = tree.entry('p', 'pmd', { forms: ['present'] });
  const prot = tree.entry('prot', 'pmd', { kind: 'prot', forms: ['present'] });
  assert.deepEqual([...tree.apply('pmd_toy_reprotect', present, prot).bits], [...derived.apply('pmd_modify', present, prot).bits]);
  const migration = tree.entry('m', 'pmd', { forms: ['mig_r'] });
  const unknown = tree.apply('pmd_toy_reprotect', migration, prot);
  assert.ok(tree.alg.support([...unknown.bits]).some((v) => v.startsWith('pmd_toy_reprotect#')), 'a fresh value where no word carries the entry');
  const pfn = helpers.decide('pte_toy_low_pfn');
  assert.equal(pfn.derived, false);
  if (!pfn.derived) assert.match(pfn.reason, /reads bit 12 of the entry/);
  assert.equal(tree.has('pte_toy_low_pfn'), false);
  assert.equal(tree.has('pte_toy_not_defined'), false);
});

test('on a swap entry a carry-flag helper is the tree\'s definition, on the flags at the tree\'s positions', () => {
  // a pte_swp_mksoft_dirty that sets the exclusive flag as well: the engine sees both
  const helpers = model(editedToyTree('arch/x86/include/asm/pgtable.h', ['__pte(pte_val(p) | _PAGE_SWP_SOFT_DIRTY)', '__pte(pte_val(p) | _PAGE_SWP_SOFT_DIRTY | _PAGE_SWP_EXCLUSIVE)']));
  assert.equal(helpers.decide('pte_swp_mksoft_dirty').derived, true);
  const tree = helpers.simulator(PROFILE, new Simulator(PROFILE).alg)!;
  const alg = tree.alg;
  const swap = tree.entry('s', 'pte', { forms: ['swap', 'mig_r'] });
  const marked = tree.apply('pte_swp_mksoft_dirty', swap);
  assert.equal(tree.test('pte_swp_soft_dirty', marked), alg.TRUE);
  assert.equal(tree.test('pte_swp_exclusive', marked), alg.TRUE, 'the table would leave the exclusive flag as it was');
  assert.equal(marked.bits[tree.set.layout.formIndex('mig_r')], swap.bits[tree.set.layout.formIndex('mig_r')], 'the form is kept');
});
