// Analyses under way, claimed in the cache directory: a worker that finds another one running
// an analysis waits for its result instead of running it too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SummaryStore } from '../../server/src/analysis/treeSummaries';
import { analysisClaims } from '../../server/src/cli/analysisClaims';

const scratch = () => mkdtempSync(join(tmpdir(), 'mmlens-claims-'));

test('one claim at a time: a second claim of the same analysis fails until the first is released', () => {
  const claims = analysisClaims(join(scratch(), 'claims'));
  assert.equal(claims.claim('zap_pte_range#1'), true);
  assert.equal(claims.claim('zap_pte_range#1'), false);
  assert.equal(claims.claim('zap_pmd_range#1'), true);
  claims.release('zap_pte_range#1');
  assert.equal(claims.claim('zap_pte_range#1'), true);
});

test('a claim left behind (its worker died) is stale after a while: it is taken over, and not waited for', () => {
  const directory = join(scratch(), 'claims');
  const claims = analysisClaims(directory, 60_000);
  assert.equal(claims.claim('shrink_folio_list#1'), true);
  const old = (Date.now() - 61_000) / 1000;
  utimesSync(join(directory, 'shrink_folio_list#1'), old, old);
  const started = Date.now();
  claims.waitFor('shrink_folio_list#1');
  assert.ok(Date.now() - started < 1000);
  assert.equal(claims.claim('shrink_folio_list#1'), true);
});

test('a store whose analysis another worker is running waits and takes its result, analysing nothing itself', async () => {
  const directory = scratch();
  const other = analysisClaims(join(directory, 'claims'));
  assert.equal(other.claim('migrate_pages#1'), true);
  // the other worker keeps its result and releases its claim 200 ms from now
  const worker = new Worker(
    `const { writeFileSync, unlinkSync } = require('node:fs');
     setTimeout(() => { writeFileSync(${JSON.stringify(join(directory, 'result'))}, 'kept'); unlinkSync(${JSON.stringify(join(directory, 'claims', 'migrate_pages#1'))}); }, 200);`,
    { eval: true },
  );
  const store = new SummaryStore({ read: () => undefined, write: () => {}, claims: analysisClaims(join(directory, 'claims')) });
  let analysed = 0;
  const kept = () => {
    try {
      return readFileSync(join(directory, 'result'), 'utf8');
    } catch {
      return undefined;
    }
  };
  assert.equal(store.once('migrate_pages#1', kept, () => `analysed ${++analysed}`), 'kept');
  assert.equal(analysed, 0);
  await worker.terminate();
});

test('when the other worker kept nothing (it was cut short), the waiting one analyses it after all', () => {
  const store = new SummaryStore({ read: () => undefined, write: () => {}, claims: analysisClaims(join(scratch(), 'claims')) });
  assert.equal(store.once('isolate_migratepages_block#1', () => undefined, () => 'analysed'), 'analysed');
});
