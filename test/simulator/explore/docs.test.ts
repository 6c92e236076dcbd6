// docs/interleavings.md lists every operation of the library with each variant's version
// range, and every race property: adding one without documenting it fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RACE_PROPERTIES, concurrentOperations } from '../../../simulator/src/explore';
import { repoRoot } from '../../helpers/paths';

const doc = readFileSync(join(repoRoot(), 'docs', 'interleavings.md'), 'utf8');

const range = (v: { since?: string; until?: string }) =>
  v.since && v.until ? `${v.since}–${v.until}` : v.since ? `${v.since}+` : v.until ? `before ${v.until}` : 'all';

test('every operation variant has its row in the operation table', () => {
  for (const op of concurrentOperations) {
    for (const variant of op.variants) {
      const row = `| \`${op.name}\` | ${range(variant)} |`;
      assert.ok(doc.includes(row), `docs/interleavings.md lacks the row starting ${row}`);
    }
  }
});

test('every race property is documented', () => {
  for (const property of RACE_PROPERTIES) assert.ok(doc.includes(`| \`${property.id}\` |`), property.id);
});
