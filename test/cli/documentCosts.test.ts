// What each checked document cost, kept for the next run's order of work: the costliest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentCosts } from '../../server/src/cli/documentCosts';

const short = { path: 'mm/short.c', text: 'x'.repeat(100) };
const long = { path: 'mm/long.c', text: 'x'.repeat(10_000) };

test('a document never measured is estimated by its length; a measured one by what it took, in the next run too', () => {
  const directory = mkdtempSync(join(tmpdir(), 'mmlens-costs-'));
  const first = documentCosts(directory);
  assert.ok(first.estimate(long) > first.estimate(short));
  first.record(short, 60_000);
  first.record(long, 5);
  first.save();
  const next = documentCosts(directory);
  assert.equal(next.estimate(short), 60_000);
  assert.equal(next.estimate(long), 5);
});

test('a result read from the cache (quick) does not lower what the analysis took; an edited document is estimated afresh', () => {
  const directory = mkdtempSync(join(tmpdir(), 'mmlens-costs-'));
  const first = documentCosts(directory);
  first.record(short, 60_000);
  first.record(short, 3);
  first.save();
  assert.equal(documentCosts(directory).estimate(short), 60_000);
  assert.equal(documentCosts(directory).estimate({ ...short, text: `${short.text}y` }), documentCosts(undefined).estimate({ ...short, text: `${short.text}y` }));
});

test('an unreadable record is no estimate, never an error', () => {
  const directory = mkdtempSync(join(tmpdir(), 'mmlens-costs-'));
  writeFileSync(join(directory, 'costs.json'), '{not json');
  assert.equal(documentCosts(directory).estimate(short), documentCosts(undefined).estimate(short));
});
