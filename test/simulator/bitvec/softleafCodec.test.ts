// Helpers of non-present entries decoded with a tree's swap type numbers: the toy tree with a
// swap.h that numbers its forms (written here in kernel style) and swapops.h predicates and
// modifiers of them. What agrees with the tables, what a wrong number changes (with the form
// that shows it), and a helper that reads an offset bit the model does not name.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, parseProfile } from '../../../simulator/src';
import { DerivedHelpers } from '../../../simulator/src/bitvec/derived';
import { compareHelper, type HelperComparison } from '../../../simulator/src/bitvec/modelDiff';
import { buildTreeModel } from '../../../server/src/headers/deriveFromTree';
import { treeWithOverlay, type SourceTree } from '../../../server/src/headers/sourceTree';
import { toyTree } from '../../helpers/toyTree';

const SWAP_H = `
#ifndef TOY_LINUX_SWAP_H
#define TOY_LINUX_SWAP_H

#define MAX_SWAPFILES_SHIFT	5
#define TOY_SPECIAL_TYPES	8
#define MAX_SWAPFILES		((1 << MAX_SWAPFILES_SHIFT) - TOY_SPECIAL_TYPES)
#define SWP_HWPOISON		MAX_SWAPFILES
#define SWP_MIGRATION_READ	(MAX_SWAPFILES + 1)
#define SWP_MIGRATION_READ_EXCLUSIVE (MAX_SWAPFILES + 2)
#define SWP_MIGRATION_WRITE	(MAX_SWAPFILES + 3)
#define SWP_DEVICE_WRITE	(MAX_SWAPFILES + 4)
#define SWP_DEVICE_READ		(MAX_SWAPFILES + 5)
#define SWP_DEVICE_EXCLUSIVE	(MAX_SWAPFILES + 6)
#define SWP_PTE_MARKER		(MAX_SWAPFILES + 7)

#endif
`;

const DECODED = `
#define PTE_MARKER_UFFD_WP	(1UL << 0)
#define PTE_MARKER_POISONED	(1UL << 1)
#define PTE_MARKER_GUARD	(1UL << 2)
#define SWP_MIG_YOUNG		(1UL << 30)
#define SWP_MIG_DIRTY		(1UL << 31)

static inline bool is_migration_entry(swp_entry_t e)
{
	unsigned int t = swp_type(e);

	return t == SWP_MIGRATION_READ || t == SWP_MIGRATION_READ_EXCLUSIVE || t == SWP_MIGRATION_WRITE;
}

static inline bool is_writable_migration_entry(swp_entry_t e)
{
	return swp_type(e) == SWP_MIGRATION_WRITE;
}

static inline bool is_migration_entry_dirty(swp_entry_t e)
{
	return swp_offset(e) & SWP_MIG_DIRTY;
}

static inline swp_entry_t make_migration_entry_dirty(swp_entry_t e)
{
	return swp_entry(swp_type(e), swp_offset(e) | SWP_MIG_DIRTY);
}

static inline bool is_pte_marker(pte_t pte)
{
	return swp_type(pte_to_swp_entry(pte)) == SWP_PTE_MARKER;
}

/* reads the pfn of a device entry: no field of the model */
static inline bool is_device_private_entry(swp_entry_t e)
{
	return swp_type(e) == SWP_DEVICE_READ && (swp_offset(e) & (1UL << 12));
}

#endif
`;

function numberedTree(swapops: (text: string) => string = (t) => t): SourceTree {
  const base = toyTree();
  const ops = base.read('include/linux/swapops.h')!.replace(/#endif\s*$/, DECODED);
  return treeWithOverlay(base, { 'include/linux/swap.h': SWAP_H, 'include/linux/swapops.h': swapops(ops) });
}

function compare(tree: SourceTree, name: string, profile = 'x86_64@6.18'): HelperComparison {
  const sim = new Simulator(profile);
  const derived = new DerivedHelpers(buildTreeModel(tree, parseProfile(profile)), sim.set.layout, (n) => sim.set.row(n)?.kind);
  return compareHelper(sim, derived, name);
}

test('the tree\'s type numbers and offset bits are read for the profile', () => {
  const numbers = buildTreeModel(numberedTree(), parseProfile('x86_64@6.18')).softleafNumbers;
  assert.ok(typeof numbers === 'object', String(numbers));
  assert.equal(numbers.swapfiles, 24n);
  assert.deepEqual(numbers.types.get('mig_w'), [27n]);
  assert.deepEqual(numbers.types.get('marker'), [31n]);
  assert.equal(numbers.offsetBits.get('mig_d'), 31);
  assert.equal(numbers.offsetBits.get('mk_guard'), 2);
});

test('predicates and modifiers of non-present entries written the tables\' way are the same on every non-present entry', () => {
  for (const name of ['is_migration_entry', 'is_writable_migration_entry', 'is_migration_entry_dirty', 'make_migration_entry_dirty', 'is_pte_marker']) {
    assert.equal(compare(numberedTree(), name).status, 'same', name);
  }
});

test('a predicate testing the wrong type number differs, on the forms that tell', () => {
  const wrong = numberedTree((text) => text.replace('return swp_type(e) == SWP_MIGRATION_WRITE;', 'return swp_type(e) == SWP_MIGRATION_READ;'));
  const c = compare(wrong, 'is_writable_migration_entry');
  assert.equal(c.status, 'differs');
  if (c.status !== 'differs') return;
  const d = c.differences[0]!;
  assert.equal(d.field, 'result');
  const set = [...d.counterexample].filter(([, v]) => v).map(([k]) => k);
  assert.ok(set.some((k) => /mig_[rw]$/.test(k)), set.join());
});

test('a helper that reads an offset bit the model does not name cannot be evaluated, with the bit', () => {
  const c = compare(numberedTree(), 'is_device_private_entry');
  assert.equal(c.status, 'error', JSON.stringify(c));
  if (c.status === 'error') assert.match(c.reason, /reads offset bit 12 of a non-present entry, which the model does not name/);
});

test('a tree without type numbers leaves these helpers built in, saying why', () => {
  const c = compare(toyTree(), 'is_migration_entry');
  assert.equal(c.status, 'not-compared');
  if (c.status === 'not-compared') assert.match(c.reason, /could not be read: MAX_SWAPFILES is not defined/);
});
