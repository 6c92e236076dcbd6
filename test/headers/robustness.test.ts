// Broken headers never crash the reader: the toy tree's headers cut, shuffled and garbled (a
// fixed seed, so failures repeat) still give a model, a model diff and laws — with problems,
// refusals and "not applicable" where the text no longer says anything.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, checkAllLaws, parseProfile } from '../../simulator/src';
import { DerivedHelpers } from '../../simulator/src/bitvec/derived';
import { DerivedSimulator } from '../../simulator/src/bitvec/derivedSimulator';
import { compareModels } from '../../simulator/src/bitvec/modelDiff';
import { buildTreeModel } from '../../server/src/headers/deriveFromTree';
import { treeWithOverlay } from '../../server/src/headers/sourceTree';
import { toyTree } from '../helpers/toyTree';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FILES = ['arch/x86/include/asm/pgtable.h', 'arch/x86/include/asm/pgtable_types.h', 'include/linux/pgtable.h'];
const JUNK = ['{', '}', '(', ')', '#if', '#endif', '#define pte_val(x) pte_val(x)', '#include <asm/pgtable.h>', ';', '##', '"', '/*', 'return', 'while (1)', '*', '\\'];

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * lines.length);
    const kind = Math.floor(next() * 4);
    if (kind === 0) lines.splice(at, 1 + Math.floor(next() * 5));
    else if (kind === 1) lines.splice(at, 0, JUNK[Math.floor(next() * JUNK.length)]!);
    else if (kind === 2) lines[at] = (lines[at] ?? '').slice(0, Math.floor(next() * (lines[at]?.length ?? 0)));
    else lines.splice(at, 0, ...lines.splice(Math.floor(next() * lines.length), 3));
  }
  return lines.join('\n');
}

test('60 garbled copies of the toy tree: every stage answers, none throws', () => {
  const base = toyTree();
  const profile = parseProfile('x86_64@6.19');
  for (let seed = 1; seed <= 60; seed++) {
    const next = random(seed);
    const file = FILES[seed % FILES.length]!;
    const tree = treeWithOverlay(base, { [file]: mutate(base.read(file)!, next) });
    try {
      const model = buildTreeModel(tree, profile);
      const sim = new Simulator(profile);
      compareModels(sim, new DerivedHelpers(model, sim.set.layout, (n) => sim.set.row(n)?.kind));
      checkAllLaws(new DerivedSimulator(model));
    } catch (error) {
      assert.fail(`seed ${seed} (${file}): ${(error as Error).stack}`);
    }
  }
});

test('a macro that expands to itself through another, and an include of itself, end with a message', () => {
  const tree = treeWithOverlay(toyTree(), {
    'include/linux/pgtable.h': '#include <linux/pgtable.h>\n#include <asm/pgtable.h>\n#define LOOP_A LOOP_B\n#define LOOP_B LOOP_A\nstatic inline int pte_loop(pte_t p) { return LOOP_A; }\n',
  });
  const model = buildTreeModel(tree, parseProfile('x86_64'));
  assert.ok(model.lookup('pte_loop'));
  assert.ok(model.lookup('pte_mkdirty'));
});
