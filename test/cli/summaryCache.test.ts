// The summaries and root analyses `mmlens check` keeps on disk: what one worker of a run
// analysed, another (or the next run) reads back instead of analysing it again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryStore, type RootAnalysis } from '../../server/src/analysis/treeSummaries';
import { summaryBacking } from '../../server/src/cli/summaryCache';

const protectOne: RootAnalysis = {
  analysis: {
    name: 'protect_one',
    range: { start: { line: 10, character: 0 }, end: { line: 20, character: 1 } },
    nameRange: { start: { line: 10, character: 12 }, end: { line: 10, character: 23 } },
    profile: 'x86_64@6.19',
    fragment: false,
    paths: [],
    findings: [],
    callSites: [],
    notModelled: ['cond_resched'],
    boundsHit: [],
    notes: [],
    touchesEntries: true,
  },
  summary: undefined,
};

test('a root analysis one worker keeps is read back by another on the same cache directory, under the same key only', () => {
  const directory = mkdtempSync(join(tmpdir(), 'mmlens-cache-'));
  try {
    const key = 'c0ffee|mm/a.c\nmm/b.c';
    new SummaryStore(summaryBacking(directory)).setRoot(key, protectOne);
    const other = new SummaryStore(summaryBacking(directory));
    assert.deepEqual(other.getRoot(key), protectOne);
    // the same definition checked with other files: findings may go elsewhere, not the same analysis
    assert.equal(other.getRoot('c0ffee|mm/a.c'), undefined);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a store without a backing keeps root analyses in memory alone', () => {
  const store = new SummaryStore();
  store.setRoot('k', protectOne);
  assert.equal(store.getRoot('k'), protectOne);
  assert.equal(new SummaryStore().getRoot('k'), undefined);
});
