// What the header reader takes from a tree for a profile: the bit layout from the tree's own
// masks (the toy tree puts W at bit 4), fields a config turns off, generated headers named as
// missing, and an architecture's override of a generic fallback.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../simulator/src';
import { buildTreeModel, treeModel, treeModelWithFile, TreeModelError } from '../../server/src/headers/deriveFromTree';
import type { SourceTree } from '../../server/src/headers/sourceTree';
import { editedToyTree, toyTree } from '../helpers/toyTree';

test('the bit layout is read from the tree\'s masks', () => {
  const model = buildTreeModel(toyTree(), parseProfile('x86_64@6.19'));
  assert.deepEqual(Object.fromEntries(model.positions), { present: 0, protnone: 8, W: 4, D: 6, SD: 50, SFD: 20, UW: 21, A: 5, U: 1, PSE: 7, SP: 9, NX: 63 });
  assert.deepEqual(model.positionProblems, []);
});

test('a field whose mask is 0 under the profile\'s config does not exist', () => {
  const model = buildTreeModel(toyTree(), parseProfile('x86_64@6.19 -MEM_SOFT_DIRTY -HAVE_ARCH_USERFAULTFD_WP'));
  assert.equal(model.positions.has('SFD'), false);
  assert.equal(model.positions.has('UW'), false);
  assert.equal(model.positions.get('W'), 4);
});

test('headers the tree lacks (generated ones, kconfig.h) are named, and everything else is read', () => {
  const model = buildTreeModel(toyTree(), parseProfile('x86_64'));
  assert.deepEqual(model.headers.missing.map((m) => `${m.include} (from ${m.from}:${m.line})`), [
    'include/linux/kconfig.h (from <entry>:0)',
    'generated/toy_offsets.h (from arch/x86/include/asm/pgtable.h:6)',
    'include/linux/leafops.h (from <entry>:0)',
  ]);
  assert.deepEqual(model.headers.skipped, ['linux/toy_unread.h'], 'swap.h is read for its own macros only');
  assert.ok(model.lookup('pte_mkdirty'));
});

test('the architecture\'s __HAVE_ARCH_ override wins over the generic fallback, which is used without it', () => {
  const overridden = buildTreeModel(toyTree(), parseProfile('x86_64'));
  assert.equal(overridden.lookup('pte_mkold')?.at.file, 'arch/x86/include/asm/pgtable.h');
  const generic = buildTreeModel(editedToyTree('arch/x86/include/asm/pgtable.h', ['#define __HAVE_ARCH_PTE_MKOLD\nstatic inline pte_t pte_mkold', 'static inline pte_t toy_unused_mkold']), parseProfile('x86_64'));
  assert.equal(generic.lookup('pte_mkold')?.at.file, 'include/linux/pgtable.h');
});

test('helpers that are only declared, or macros that are not functions, say so', () => {
  const model = buildTreeModel(toyTree(), parseProfile('x86_64'));
  assert.match(model.why('pte_accessible')!, /no definition in the headers read/);
  assert.match(model.why('TOY_KEEP_ON_MODIFY')!, /is the macro at arch\/x86\/include\/asm\/pgtable_types\.h:\d+, not a function/);
});

test('the generic profile has no headers to read', () => {
  assert.throws(() => buildTreeModel(toyTree(), parseProfile('generic')), TreeModelError);
});

test('a model with a file as an editor holds it: the cached one for the text it read, a new one for an edit or for a change saved since', () => {
  const path = 'arch/x86/include/asm/pgtable.h';
  const disk = toyTree();
  // two reads of the same tree on disk (same id), before and after a save
  const id = `toy-${process.hrtime.bigint()}`;
  const at = (files: Record<string, string>): SourceTree => ({ id, read: (p) => (p in files ? files[p] : disk.read(p)) });
  const profile = parseProfile('x86_64@6.19');
  const saved = disk.read(path)!;
  const cached = treeModel(at({}), profile);
  assert.equal(treeModelWithFile(at({}), path, saved, profile), cached);
  const text = saved.replace('TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY', 'TOY_KEEP_ON_MODIFY');
  assert.notEqual(text, saved);
  const edited = treeModelWithFile(at({}), path, text, profile);
  assert.notEqual(edited, cached);
  assert.equal(treeModelWithFile(at({}), path, text, profile), edited, 'the same edit is read once');
  // saved: the tree now holds the edit, the cached model the text before it
  const afterSave = treeModelWithFile(at({ [path]: text }), path, text, profile);
  assert.notEqual(afterSave, cached);
  assert.equal(afterSave, edited);
});
