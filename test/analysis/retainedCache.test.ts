// Entries live while an owner uses them; what nobody uses is kept among a few spares, then dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetainedCache } from '../../server/src/analysis/retainedCache';

test('what an owner used in its last run stays, however many spares come and go', () => {
  const cache = new RetainedCache<string>(2);
  cache.set('open_fn', 'lowered open_fn', 'doc-a');
  cache.retain('doc-a', new Set(['open_fn']));
  for (let i = 0; i < 50; i++) cache.set(`cli_${i}`, 'spare'); // no owner: spares only
  assert.equal(cache.get('open_fn'), 'lowered open_fn');
  assert.equal(cache.get('cli_0'), undefined, 'old spares are dropped');
  assert.equal(cache.heldCount, 1);
});

test('a key the next run no longer uses becomes a spare, and an undo brings it back', () => {
  const cache = new RetainedCache<string>(4);
  cache.set('v1', 'before the edit', 'doc');
  cache.retain('doc', new Set(['v1']));
  cache.set('v2', 'after the edit', 'doc');
  cache.retain('doc', new Set(['v2']));
  assert.equal(cache.heldCount, 1);
  assert.equal(cache.get('v1', 'doc'), 'before the edit', 'still a spare');
  cache.retain('doc', new Set(['v1']));
  assert.equal(cache.heldCount, 1);
  assert.equal(cache.get('v2'), 'after the edit');
});

test('an entry two owners use stays until both let it go; closing releases everything of an owner', () => {
  const cache = new RetainedCache<string>(1);
  cache.set('shared_helper', 'x', 'a.c');
  cache.get('shared_helper', 'b.c');
  cache.retain('a.c', new Set(['shared_helper']));
  cache.retain('b.c', new Set(['shared_helper']));
  cache.release('a.c');
  assert.equal(cache.heldCount, 1);
  cache.release('b.c');
  assert.equal(cache.heldCount, 0);
  cache.set('other', 'y');
  cache.set('another', 'z'); // the spares (one to two) push shared_helper out
  cache.set('third', 'w');
  assert.equal(cache.get('shared_helper'), undefined);
});

test('keys of a run that never finished (superseded by an edit) are let go by the next finished run', () => {
  const cache = new RetainedCache<string>(8);
  cache.set('half_done', 'x', 'doc'); // the run stopped here
  cache.set('final', 'y', 'doc');
  cache.retain('doc', new Set(['final']));
  assert.equal(cache.heldCount, 1);
});
