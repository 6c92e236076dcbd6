// docs/scenarios.md lists every operation of the library with each of its version ranges and every
// property, so the table cannot drift from the data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS, PROPERTIES } from '../../../simulator/src/scenario';
import { repoRoot } from '../../helpers/paths';

const doc = readFileSync(join(repoRoot(), 'docs', 'scenarios.md'), 'utf8');

/** The operation table's rows: an operation's name, then its continuation rows, with their version cells. */
function documentedVersions(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || !line.startsWith('|')) continue;
    const name = /^`([^`]+)`/.exec(cells[1]!)?.[1];
    if (name) current = name;
    else if (cells[1] !== '') continue;
    if (current) rows.set(current, [...(rows.get(current) ?? []), cells[2]!.split(/\s/)[0]!]);
  }
  return rows;
}

test('every operation of the library is in the table, with each variant\'s versions', () => {
  const documented = documentedVersions();
  for (const def of OPERATIONS.filter((d) => !d.internal)) {
    const name = def.name.replace(/ .*/, (rest) => (def.takesProtection ? '' : rest));
    const expected = def.variants.map((v) => (v.since || v.until ? `${v.since ?? ''}–${v.until ?? ''}` : 'all'));
    const key = [...documented.keys()].find((k) => k === name || k.startsWith(`${name} `));
    assert.ok(key, `${def.name} is documented`);
    assert.deepEqual(documented.get(key!), expected, def.name);
  }
});

test('every property is documented', () => {
  for (const property of PROPERTIES) assert.match(doc, new RegExp(`\\| \`${property.id}\` \\| a? ?[a-z ]+ \\|`), property.id);
});
