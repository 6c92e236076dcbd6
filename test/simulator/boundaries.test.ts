// The versions the model distinguishes come from the tables, the model is the
// same between two of them, and docs/profiles.md says what changes at each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCH_NAMES, DEFAULT_VERSION, OLDEST_VERSION, compareVersions, formatVersion, helperSetFor, parseProfile, type ArchName, type RuleDef, type Version } from '../../simulator/src';
import { formatModelChanges, groupLevels, modelChanges, modelVersions } from '../../simulator/src/boundaries';
import { repoRoot } from '../helpers/paths';

const at = (arch: ArchName, version: Version) => helperSetFor(parseProfile(`${arch}@${formatVersion(version)}`));
const names = (versions: readonly Version[]) => versions.map(formatVersion);

test('model versions run from the oldest through every boundary, with the default among them', () => {
  for (const arch of ARCH_NAMES) {
    const versions = modelVersions(arch);
    assert.equal(formatVersion(versions[0]!), formatVersion(OLDEST_VERSION));
    assert.ok(names(versions).includes(formatVersion(DEFAULT_VERSION)));
    versions.slice(1).forEach((v, i) => assert.ok(compareVersions(versions[i]!, v) < 0, 'sorted, no repeats'));
  }
  assert.ok(['4.11', '5.7', '6.2', '6.3', '6.6', '7.3'].every((v) => names(modelVersions('x86_64')).includes(v)));
  assert.ok(['6.10', '6.18'].every((v) => names(modelVersions('arm64')).includes(v)), 'arm64 uffd-wp and mkwrite-keeps-clean');
  assert.ok(!names(modelVersions('x86_64')).includes('6.10'), 'an arm64-only boundary is not an x86 one');
});

test('between two model versions nothing changes: the version before the next boundary is the same model', () => {
  for (const arch of ARCH_NAMES) {
    const versions = modelVersions(arch);
    for (let i = 0; i + 1 < versions.length; i++) {
      const next = versions[i + 1]!;
      if (next.minor === 0) continue; // x.0 follows a minor the version numbers do not tell
      const last = { major: next.major, minor: next.minor - 1 };
      if (compareVersions(last, versions[i]!) <= 0) continue;
      const [a, b] = [at(arch, versions[i]!), at(arch, last)];
      assert.deepEqual(b.names(), a.names(), `${arch} ${formatVersion(versions[i]!)} … ${formatVersion(last)}`);
      assert.ok(a.names().every((n) => a.row(n) === b.row(n)), `${arch}: the same rows through ${formatVersion(last)}`);
      assert.deepEqual([...b.profile.config].sort(), [...a.profile.config].sort());
    }
  }
});

test('what changes at a boundary: savedwrite comes and goes, write-lost-numa follows it, arm64 gets uffd-wp', () => {
  const x86 = (v: string) => modelChanges('x86_64').find((c) => formatVersion(c.version) === v)!;
  assert.ok(x86('4.11').helpersAdded.includes('pte_savedwrite'));
  assert.ok(x86('4.11').rulesApplying.includes('write-lost-numa'));
  assert.ok(x86('6.2').helpersRemoved.includes('pte_savedwrite'));
  assert.ok(x86('6.2').helpersChanged.includes('numa_fault_restores_write'));
  assert.ok(x86('6.2').rulesChanged.includes('write-lost-numa'));
  assert.ok(x86('6.6').rulesApplying.includes('shstk-lookalike'));
  assert.deepEqual(x86('7.3').helpersChanged, ['pmd_modify']);
  assert.ok(x86('6.19').helpersRenamed.some(([old, now]) => old === 'is_writable_migration_entry' && now === 'softleaf_is_migration_write'));
  const arm = modelChanges('arm64').find((c) => formatVersion(c.version) === '6.10')!;
  assert.deepEqual([arm.configAdded, arm.rulesApplying], [['HAVE_ARCH_USERFAULTFD_WP'], ['uffd-wp-writable']]);
});

test('a rule that reads a helper the tables end stops applying there, with the reason', () => {
  const savedWrite: RuleDef = {
    id: 'test-saved-write', severity: 'information', kind: 'state', levels: ['pte'], semantics: ['test'], message: 'test',
    condition: 'pte_savedwrite(this)',
  };
  const changes = modelChanges('generic', [savedWrite]);
  const at = (v: string) => changes.find((c) => formatVersion(c.version) === v)!;
  assert.deepEqual(at('4.11').rulesApplying, ['test-saved-write']);
  assert.deepEqual(at('6.2').rulesStopping, [{ rule: 'test-saved-write', reason: 'needs pte_savedwrite (defined from 4.11 until 6.2, not in 6.2)' }]);
  assert.ok(changes.every((c) => formatVersion(c.version) === '6.2' || c.rulesStopping.length === 0));
});

test('helper names are grouped by level in the listing', () => {
  assert.deepEqual(groupLevels(['pmd_mkwrite', 'pte_mkwrite', 'ptep_get', 'softleaf_is_swap']), ['{pte,pmd}_mkwrite', 'ptep_get', 'softleaf_is_swap']);
});

test('docs/profiles.md lists what changes at each version, as the tables say', () => {
  const path = join(repoRoot(), 'docs', 'profiles.md');
  const text = readFileSync(path, 'utf8');
  const begin = '<!-- boundaries:begin -->\n';
  const end = '<!-- boundaries:end -->';
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  assert.ok(from >= 0 && to > from, 'the section markers are there');
  const expected = `${formatModelChanges()}\n`;
  if (process.env.MMLENS_WRITE_DOCS === '1') writeFileSync(path, text.slice(0, from + begin.length) + expected + text.slice(to));
  else assert.equal(text.slice(from + begin.length, to), expected, 'run this test with MMLENS_WRITE_DOCS=1 to regenerate the section');
});
