// Opt-in: on a real kernel tree (MMLENS_KERNEL_TREE=/path/to/linux), the x86 helpers derived
// from its headers keep the laws the built-in tables keep for its version — in particular
// pmd_modify's dirt (lost on 6.6–7.2, kept before and after) — and a copy with pmd_modify
// keeping _PAGE_DIRTY keeps the law. Skipped when the variable is unset.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Simulator, checkAllLaws, parseProfile } from '../../simulator/src';
import { DerivedHelpers } from '../../simulator/src/bitvec/derived';
import { DerivedSimulator } from '../../simulator/src/bitvec/derivedSimulator';
import { documentedAbstraction } from '../../simulator/src/bitvec/abstractions';
import { compareModels } from '../../simulator/src/bitvec/modelDiff';
import { buildTreeModel } from '../../server/src/headers/deriveFromTree';
import { treeOnDisk, treeWithOverlay } from '../../server/src/headers/sourceTree';
import { openKernelTree } from '../../server/src/inputs/kernelTree';

const root = process.env.MMLENS_KERNEL_TREE;
const skip = root ? false : 'set MMLENS_KERNEL_TREE to a kernel tree to run';

function x86Profile() {
  const tree = openKernelTree(root!);
  return parseProfile(`x86_64@${tree.version!.major}.${tree.version!.minor}`);
}

const failures = (sim: Simulator) => checkAllLaws(sim).filter((r) => r.status === 'fails').map((r) => `${r.law.id}@${r.level}`);

test('derived x86 helpers fail exactly the laws the built-in tables fail for the tree\'s version', { skip }, (t) => {
  const profile = x86Profile();
  const started = performance.now();
  const model = buildTreeModel(treeOnDisk(root!), profile);
  const derived = new DerivedSimulator(model);
  const derivedFailures = failures(derived);
  t.diagnostic(`${profile.name}: headers read in ${Math.round(model.readMs)} ms, laws in ${Math.round(performance.now() - started - model.readMs)} ms`);
  assert.deepEqual(derivedFailures, failures(new Simulator(profile)).filter((f) => !/^(swap|decode)-|^mkwrite-writes@(pte|pmd)$/.test(f)));
});

for (const arch of ['x86_64', 'arm64'] as const) {
  test(`every compared ${arch} helper agrees with the table, or differs only where docs/model.md says why`, { skip }, () => {
    const profile = parseProfile(x86Profile().name.replace('x86_64', arch));
    const sim = new Simulator(profile);
    const derived = new DerivedHelpers(buildTreeModel(treeOnDisk(root!), profile), sim.set.layout, (n) => sim.set.row(n)?.kind);
    const results = compareModels(sim, derived);
    const inPlace = (name: string) => sim.set.row(name)?.kind === 'inplace';
    const unexplained = results.flatMap((c) =>
      c.status === 'error' && !inPlace(c.name) ? [`${c.name}: ${c.reason}`] : c.status === 'differs' ? c.differences.filter((d) => !documentedAbstraction(arch, c.name, d.field)).map((d) => `${c.name}.${d.field}`) : []);
    assert.deepEqual(unexplained, []);
    // an in-place primitive the evaluator refuses names what it refused, and where
    for (const c of results) if (c.status === 'error' && inPlace(c.name)) assert.match(c.reason, /^an in-place primitive: .*\([^)]+:\d+\)/, c.name);
    assert.ok(results.some((c) => inPlace(c.name) && c.status === 'same'), 'some in-place primitive is compared and agrees');
  });
}

test('with pmd_modify keeping _PAGE_DIRTY, modify-keeps-dirty holds on the PMD', { skip }, (t) => {
  const base = treeOnDisk(root!);
  const path = 'arch/x86/include/asm/pgtable.h';
  const text = base.read(path)!;
  const fixed = text.replace('val &= (_HPAGE_CHG_MASK & ~_PAGE_DIRTY);', 'val &= _HPAGE_CHG_MASK;');
  if (fixed === text) {
    t.skip('this version\'s pmd_modify keeps the dirt already (or reads it otherwise)');
    return;
  }
  const sim = new DerivedSimulator(buildTreeModel(treeWithOverlay(base, { [path]: fixed }), x86Profile()));
  assert.equal(failures(sim).includes('modify-keeps-dirty@pmd'), false);
});
