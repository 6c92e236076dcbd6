// The layout of a swap entry read from the toy tree's __swp_entry and friends: which bits hold
// the type and the offset, and whether the carry flags and the bits that make an entry present
// or PROT_NONE stay clear in every swap entry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, parseProfile } from '../../../simulator/src';
import { DerivedHelpers } from '../../../simulator/src/bitvec/derived';
import { readSwapLayout, type SwapLayout } from '../../../simulator/src/bitvec/swapLayout';
import { buildTreeModel } from '../../../server/src/headers/deriveFromTree';
import type { SourceTree } from '../../../server/src/headers/sourceTree';
import { editedToyTree, toyTree } from '../../helpers/toyTree';

function layout(tree: SourceTree, level: 'pte' | 'pmd' = 'pte'): SwapLayout | string {
  const sim = new Simulator('x86_64@6.19');
  const derived = new DerivedHelpers(buildTreeModel(tree, parseProfile('x86_64@6.19')), sim.set.layout, (n) => sim.set.row(n)?.kind);
  return readSwapLayout(derived, sim.alg, level);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('the toy swap entry: type in bits 58-62, offset in bits 10-49, nothing the model reads in them', () => {
  const read = layout(toyTree());
  assert.ok(typeof read !== 'string', String(read));
  assert.deepEqual(read.typeBits, range(58, 62));
  assert.deepEqual(read.offsetBits, range(10, 49));
  assert.deepEqual(read.invertedBits, []);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.definitions.map((d) => d.name), ['__swp_entry', '__swp_entry_to_pte', '__pte_to_swp_entry', '__swp_type', '__swp_offset']);
});

test('an offset moved over the flags is reported: the carry flags and the PROT_NONE bit hold offset bits', () => {
  const read = layout(editedToyTree('arch/x86/include/asm/pgtable.h', ['#define TOY_SWP_OFFSET_SHIFT	10', '#define TOY_SWP_OFFSET_SHIFT	1']));
  assert.ok(typeof read !== 'string');
  assert.deepEqual(read.offsetBits, range(1, 40));
  const problems = read.problems.join('\n');
  assert.match(problems, /the carry flag swp_uw \(bit 1\) is not 0 in every swap entry: it holds offset\.bit0/);
  assert.match(problems, /the carry flag swp_sd \(bit 4\) is not 0/);
  assert.match(problems, /the bit that makes an entry protnone \(protnone\) \(bit 8\) is not 0/);
});

test('an offset stored inverted is read as such; a layout with no PMD conversion says what is missing', () => {
  const inverted = layout(editedToyTree('arch/x86/include/asm/pgtable.h',
    ['((toy_u64)(offset) << TOY_SWP_OFFSET_SHIFT) })', '((~(toy_u64)(offset) & ((1ULL << 40) - 1)) << TOY_SWP_OFFSET_SHIFT) })'],
    ['#define __swp_offset(x)		(((x).val >> TOY_SWP_OFFSET_SHIFT) & ((1ULL << 40) - 1))', '#define __swp_offset(x)		((~(x).val >> TOY_SWP_OFFSET_SHIFT) & ((1ULL << 40) - 1))']));
  assert.ok(typeof inverted !== 'string', String(inverted));
  assert.deepEqual(inverted.invertedBits, range(10, 49));
  assert.deepEqual(inverted.problems, []);
  assert.match(String(layout(toyTree(), 'pmd')), /__swp_entry_to_pmd has no definition in the headers read/);
});
