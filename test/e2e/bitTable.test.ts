// The hover/trace reader the editor tests rely on must itself tell a transition from none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showsTransition } from './lib/bitTable';

test('arrow forms', () => {
  assert.ok(showsTransition('W 0 → 1', 'W', '0', '1'));
  assert.ok(showsTransition('| W | 0 → 1 |', 'W', '0', '1'));
  assert.ok(showsTransition('W=0 → W=1', 'W', '0', '1'));
  assert.ok(showsTransition('flags: W: 0->1 D: 1', 'W', '0', '1'));
  assert.ok(!showsTransition('W 1 → 0', 'W', '0', '1'));
  assert.ok(!showsTransition('UW 0 → 1', 'W', '0', '1'));
  assert.ok(!showsTransition('W 0 → 10', 'W', '0', '1'));
});

test('before/after rows under a bit header', () => {
  const table = '|  | form | W | D |\n|---|---|---|---|\n| before | present | 0 | 1 |\n| after | present | 1* | 1 |';
  assert.ok(showsTransition(table, 'W', '0', '1'));
  assert.ok(!showsTransition(table, 'D', '0', '1'));
  assert.ok(showsTransition('\tW\tD\nbefore\t0\t1\nafter\t1\t1', 'W', '0', '1'));
});

test('a row per bit', () => {
  const table = 'bit\tbefore\tafter\nW\t0\t1\nD\t1\t1';
  assert.ok(showsTransition(table, 'W', '0', '1'));
  assert.ok(!showsTransition(table, 'D', '0', '1'));
});

test('an arrow in the bit\'s column', () => {
  const markdown = '| paths | form | W | D | SFD | UW |\n| --- | --- | --- | --- | --- | --- |\n| 2 | present | 0→**1** | 1 | 1 | 0 |';
  assert.ok(showsTransition(markdown, 'W', '0', '1'));
  assert.ok(!showsTransition(markdown, 'D', '0', '1'));
  assert.ok(!showsTransition(markdown, 'UW', '0', '1'));
  assert.ok(showsTransition('paths\tform\tW\tD\n2\tpresent\t0→1\t1', 'W', '0', '1'));
});
