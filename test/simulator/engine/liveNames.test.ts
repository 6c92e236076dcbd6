// The variables a path may still read from each block on: mentioned in a block it can reach,
// around loops too; members and pointees kept by their text are never out of use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVariableKey, liveNames } from '../../../simulator/src/engine/liveNames';
import { T, assign, block, branch, call, fn, goto, ret, run, v } from './ir';

// dirty = pte_dirty(old);            block 0
// while (more(addr)) {               block 1
//         flush(addr);               block 2
// }
// return young;                      block 3
const walk = fn('walk', [['addr', T.int], ['old', T.pte], ['young', T.bool]], [
  block(0, [assign('dirty', call('pte_dirty', [v('old')]))], goto(1)),
  block(1, [], branch(call('more', [v('addr')]), 2, 3), true),
  block(2, [run(call('flush', [v('addr')]))], goto(1)),
  block(3, [], ret(v('young'))),
]);

test('a variable is in use where a block ahead mentions it, and out of use past its last mention', () => {
  const live = liveNames(walk);
  assert.deepEqual([...live.get(0)!].sort(), ['addr', 'dirty', 'old', 'young']);
  assert.deepEqual([...live.get(1)!].sort(), ['addr', 'young']);
  assert.deepEqual([...live.get(3)!].sort(), ['young']);
});

test('the loop body keeps in use what the loop header reads on the next round', () => {
  assert.ok(liveNames(walk).get(2)!.has('addr'));
});

test('only plain variables can be out of use: a member or a pointee kept by its text always counts', () => {
  assert.equal(isVariableKey('dirty'), true);
  assert.equal(isVariableKey('vmf->orig_pte'), false);
  assert.equal(isVariableKey('*ptep'), false);
});
