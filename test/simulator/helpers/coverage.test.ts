// No silent gaps: every helper SEMANTICS.md §2 names has a row or a documented
// reason on every architecture, and every row compiles on every profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Simulator } from '../../../simulator/src';

const PROFILES = ['arm64@6.13', 'x86_64@4.19', 'x86_64@3.10', 'x86_64@5.10', 'x86_64@6.1', 'x86_64@6.4', 'x86_64@6.13', 'x86_64@6.19', 'x86_64@7.3', 'arm64@6.1', 'arm64@6.19', 'generic@5.10', 'generic@6.19'];

/** Helper names in the first column of SEMANTICS.md §2's tables. */
function semanticsHelperNames(): string[] {
  const path = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'SEMANTICS.md');
  const text = readFileSync(path, 'utf8');
  const section = text.slice(text.indexOf('## 2. Helper semantics'), text.indexOf('## 3. Invariants'));
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split(/(?<!\\)\|/)[1] ?? '';
    for (const match of firstCell.matchAll(/`([a-z][a-z0-9_]*)(?:\(|`)/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

test('SEMANTICS.md §2 lists helpers (the parser of this test still works)', () => {
  const names = semanticsHelperNames();
  assert.ok(names.length > 60, `found ${names.length}`);
  assert.ok(names.includes('pte_mkwrite') && names.includes('ptep_set_access_flags') && names.includes('pte_to_swp_entry'));
});

for (const arch of ['x86_64', 'arm64', 'generic']) {
  test(`every §2 helper is modelled on ${arch} in some version or documented as not applicable`, () => {
    const versions = ['5.10', '6.1', '6.13', '6.19'].map((v) => new Simulator(`${arch}@${v}`));
    const gaps = semanticsHelperNames().filter((name) => !versions.some((sim) => sim.has(name) || sim.set.whyMissing(name) !== undefined));
    assert.deepEqual(gaps, []);
  });
}

for (const profile of PROFILES) {
  test(`every row compiles on ${profile}`, () => {
    const sim = new Simulator(profile);
    for (const name of sim.set.names()) assert.doesNotThrow(() => sim.helper(name), name);
    assert.ok(sim.set.names().length > 150);
  });
}
