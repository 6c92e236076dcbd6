// The built-in tables against helpers derived from a tree, on the toy tree: what agrees, what
// differs and on which entry. The toy's generic pte_mkwrite ignores shadow stacks and saved
// dirt, which the x86 row does not; its pmd_modify drops hardware dirt like x86 6.6–6.19, so
// it agrees with the 6.19 row and differs from the 7.3 one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, parseProfile } from '../../../simulator/src';
import { DerivedHelpers } from '../../../simulator/src/bitvec/derived';
import { compareHelper, underivedKinds, type HelperComparison } from '../../../simulator/src/bitvec/modelDiff';
import { buildTreeModel } from '../../../server/src/headers/deriveFromTree';
import { editedToyTree, toyTree } from '../../helpers/toyTree';

function compare(profile: string, name: string): HelperComparison {
  const sim = new Simulator(profile);
  const derived = new DerivedHelpers(buildTreeModel(toyTree(), parseProfile(profile)), sim.set.layout, (n) => sim.set.row(n)?.kind);
  return compareHelper(sim, derived, name);
}

const set = (c: HelperComparison & { status: 'differs' }, field: string) =>
  [...c.differences.find((d) => d.field === field)!.counterexample].filter(([, v]) => v).map(([k]) => k).sort();

test('helpers written the way the table says are the same on every present entry', () => {
  for (const name of ['pte_mkdirty', 'pte_wrprotect', 'pte_mkclean', 'pte_mkyoung', 'pte_mkold', 'pte_mkuffd_wp', 'pte_write', 'pte_dirty', 'pte_modify', 'pmd_wrprotect', 'pmd_dirty']) {
    assert.equal(compare('x86_64@6.19', name).status, 'same', name);
  }
});

test('a difference comes with the entry that shows it: the generic pte_mkwrite leaves saved dirt parked', () => {
  const c = compare('x86_64@6.19', 'pte_mkwrite');
  assert.equal(c.status, 'differs');
  if (c.status !== 'differs') return;
  assert.equal(c.definition.file, 'include/linux/pgtable.h');
  const d = c.differences.find((x) => x.field === 'D')!;
  assert.deepEqual([d.builtin, d.derived], [true, false]);
  assert.deepEqual(set(c, 'D'), ['pte.SD']);
  // in a shadow-stack VMA the table makes W=0 D=1; the toy sets W
  assert.deepEqual(set(c, 'W'), ['vma.VM_SHADOW_STACK']);
});

test('pmd_modify dropping hardware dirt is what the 6.19 row says, and what the 7.3 row does not', () => {
  assert.equal(compare('x86_64@6.19', 'pmd_modify').status, 'same');
  const fixed = compare('x86_64@7.3', 'pmd_modify');
  assert.equal(fixed.status, 'differs');
  // the dirt the table keeps is D when the new PMD is writable, SavedDirty when it is not
  if (fixed.status === 'differs') assert.deepEqual(fixed.differences.map((d) => d.field), ['D', 'SD']);
});

test('helpers the tree does not define, or that the model cannot compare, are listed with the reason', () => {
  const missing = compare('x86_64@6.19', 'pud_mkdirty');
  assert.equal(missing.status, 'not-derived');
  assert.equal(compare('x86_64@6.19', 'pte_swp_uffd_wp_any').status, 'not-compared');
});

test('in-place primitives run on a slot: an exchange, a retry loop, a store, a bit operation, a VMA\'s mm passed on and loops over nr entries agree with their rows', () => {
  for (const name of ['ptep_get_and_clear', 'ptep_set_wrprotect', 'set_pte_at', 'ptep_test_and_clear_young', 'pmdp_establish', 'set_ptes', 'wrprotect_ptes']) assert.equal(compare('x86_64@6.19', name).status, 'same', name);
});

test('an in-place primitive that clears the write bit in the slot keeps hardware dirt where the row parks it', () => {
  const tree = editedToyTree('arch/x86/include/asm/pgtable.h', ['	toy_u64 seen = READ_ONCE(ptep->pte), want;\n\n	do {\n		want = pte_val(pte_wrprotect(__pte(seen)));\n	} while (!try_cmpxchg(&ptep->pte, &seen, want));', '	ptep->pte &= ~_PAGE_RW;']);
  const sim = new Simulator('x86_64@6.19');
  const derived = new DerivedHelpers(buildTreeModel(tree, parseProfile('x86_64@6.19')), sim.set.layout, (n) => sim.set.row(n)?.kind);
  const c = compareHelper(sim, derived, 'ptep_set_wrprotect');
  assert.equal(c.status, 'differs');
  if (c.status === 'differs') {
    assert.deepEqual(c.differences.map((d) => d.field), ['slot.D', 'slot.SD']);
    assert.deepEqual(set(c, 'slot.D'), ['slot.D']);
  }
});

test('constructors are not derived: what their definition does that the evaluator refuses, or why not, is named', () => {
  const sim = new Simulator('x86_64@6.19');
  const derived = new DerivedHelpers(buildTreeModel(toyTree(), parseProfile('x86_64@6.19')), sim.set.layout, (n) => sim.set.row(n)?.kind);
  const found = new Map(underivedKinds(sim, derived).map((r) => [r.name, r.reason]));
  assert.ok(!found.has('ptep_set_wrprotect'), 'in-place primitives are compared, not listed');
  assert.ok(!found.has('swp_entry_to_pte'), 'conversions of swap entries are compared, not listed');
  assert.match(found.get('make_writable_migration_entry')!, /non-present entry .* not decoded into forms yet/);
  assert.match(found.get('pfn_pte')!, /no definition in the headers read/);
});

test('the flags of a swapped-out entry are read at the tree\'s positions, which present entries use for other bits', () => {
  for (const name of ['pte_swp_mksoft_dirty', 'pte_swp_clear_soft_dirty', 'pte_swp_soft_dirty', 'pte_swp_mkuffd_wp', 'pte_swp_uffd_wp', 'pte_swp_mkexclusive', 'pte_swp_exclusive']) {
    assert.equal(compare('x86_64@6.19', name).status, 'same', name);
  }
  // the toy's swap soft-dirty is _PAGE_RW and its swap uffd-wp _PAGE_USER: present W and U, not swp_sd and swp_uw
  const model = buildTreeModel(toyTree(), parseProfile('x86_64@6.19'));
  assert.deepEqual([model.softleafPositions.get('swp_sd'), model.softleafPositions.get('swp_uw'), model.positions.get('W'), model.positions.get('U')], [4, 1, 4, 1]);
});

test('a carry-flag helper that sets the wrong flag differs on the flags; one that touches the type or offset is refused', () => {
  const sim = new Simulator('x86_64@6.19');
  const wrong = new DerivedHelpers(buildTreeModel(editedToyTree('arch/x86/include/asm/pgtable.h', ['__pte(pte_val(p) | _PAGE_SWP_UFFD_WP)', '__pte(pte_val(p) | _PAGE_SWP_EXCLUSIVE)']), parseProfile('x86_64@6.19')), sim.set.layout, (n) => sim.set.row(n)?.kind);
  const c = compareHelper(sim, wrong, 'pte_swp_mkuffd_wp');
  assert.equal(c.status, 'differs');
  if (c.status === 'differs') assert.deepEqual(c.differences.map((d) => d.field).sort(), ['swp_uw', 'swp_x']);
  const present = new DerivedHelpers(buildTreeModel(editedToyTree('arch/x86/include/asm/pgtable.h', ['__pte(pte_val(p) | _PAGE_SWP_SOFT_DIRTY)', '__pte(pte_val(p) | _PAGE_SWP_SOFT_DIRTY | (1ULL << 12))']), parseProfile('x86_64@6.19')), sim.set.layout, (n) => sim.set.row(n)?.kind);
  const refused = compareHelper(sim, present, 'pte_swp_mksoft_dirty');
  assert.equal(refused.status, 'error');
  if (refused.status === 'error') assert.match(refused.reason, /changes bit 12 of a non-present entry besides its carry flags/);
});
