// The settings contract: package.json declares exactly the keys protocol.ts knows, with its
// defaults and ranges, and normalizeSettings turns anything into settings plus messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_SETTINGS, normalizeSettings, SETTING_KEYS } from '../../server/src/protocol';
import { repoRoot } from '../helpers/paths';

interface SettingSchema {
  type: string;
  default: unknown;
  scope?: string;
  markdownDescription?: string;
  minimum?: number;
  maximum?: number;
  additionalProperties?: { enum?: string[] };
}

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
const properties: Record<string, SettingSchema> = manifest.contributes.configuration.properties;
const SCOPES = ['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'];

/** `{ bounds: { maxPaths: 5 } }` from `bounds.maxPaths`, 5. */
function nested(key: string, value: unknown): Record<string, unknown> {
  return key
    .split('.')
    .reverse()
    .reduce<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

function valueAt(object: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((inner, part) => (inner as Record<string, unknown>)[part], object);
}

test('contributes.configuration declares exactly the SETTING_KEYS, under mmlens.', () => {
  assert.deepEqual(Object.keys(properties).sort(), SETTING_KEYS.map((key) => `mmlens.${key}`).sort());
});

test('every setting defaults to DEFAULT_SETTINGS', () => {
  for (const key of SETTING_KEYS) assert.deepEqual(properties[`mmlens.${key}`]?.default, valueAt(DEFAULT_SETTINGS, key), key);
});

test('every setting has a markdownDescription and an explicit scope', () => {
  for (const [key, schema] of Object.entries(properties)) {
    assert.ok(schema.markdownDescription && schema.markdownDescription.length > 20, `${key}: markdownDescription`);
    assert.ok(schema.scope && SCOPES.includes(schema.scope), `${key}: scope ${schema.scope}`);
  }
});

test('the schema types are the ones normalizeSettings reads', () => {
  for (const key of SETTING_KEYS) {
    const expected = typeof valueAt(DEFAULT_SETTINGS, key) === 'number' ? 'integer' : typeof valueAt(DEFAULT_SETTINGS, key);
    assert.equal(properties[`mmlens.${key}`]?.type, expected, key);
  }
});

test('the integer ranges in the schema are exactly the ones normalizeSettings accepts', () => {
  const integers = Object.entries(properties).filter(([, schema]) => schema.type === 'integer');
  assert.ok(integers.length >= 3);
  for (const [name, schema] of integers) {
    const key = name.slice('mmlens.'.length);
    const problems = (value: number) => normalizeSettings(nested(key, value)).problems;
    assert.deepEqual(problems(schema.minimum!), [], `${key} = minimum`);
    assert.deepEqual(problems(schema.maximum!), [], `${key} = maximum`);
    assert.equal(problems(schema.minimum! - 1).length, 1, `${key} below minimum`);
    assert.equal(problems(schema.maximum! + 1).length, 1, `${key} above maximum`);
  }
});

test('the rule severities in the schema are exactly the ones normalizeSettings accepts', () => {
  const severities = properties['mmlens.rules']?.additionalProperties?.enum ?? [];
  assert.ok(severities.length > 0);
  for (const severity of severities) {
    const { settings, problems } = normalizeSettings({ rules: { 'stale-tlb': severity } });
    assert.deepEqual(problems, [], severity);
    assert.equal(settings.rules['stale-tlb'], severity);
  }
  assert.equal(normalizeSettings({ rules: { 'stale-tlb': 'fatal' } }).problems.length, 1);
});

test('normalizeSettings keeps good values', () => {
  const { settings, problems } = normalizeSettings({ profile: ' arm64@6.1 ', model: 'builtin', bounds: { maxPaths: 10 }, codeLens: { enable: false }, rules: { 'dirty-lost': 'off' } });
  assert.deepEqual(problems, []);
  assert.equal(settings.model, 'builtin');
  assert.equal(settings.profile, 'arm64@6.1');
  assert.equal(settings.bounds.maxPaths, 10);
  assert.equal(settings.bounds.loopUnroll, DEFAULT_SETTINGS.bounds.loopUnroll);
  assert.equal(settings.codeLens.enable, false);
  assert.deepEqual(settings.rules, { 'dirty-lost': 'off' });
});

test('normalizeSettings refuses bad values with a message naming the setting, and keeps the default', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ profile: 42 }, 'profile', /mmlens\.profile must be a non-empty string/],
    [{ profile: '  ' }, 'profile', /mmlens\.profile/],
    [{ bounds: { maxPaths: 1.5 } }, 'bounds.maxPaths', /mmlens\.bounds\.maxPaths must be a whole number from 1 to 100000/],
    [{ bounds: 'lots' }, 'bounds.maxPaths', /mmlens\.bounds must be an object/],
    [{ inlayHints: { enable: 'yes' } }, 'inlayHints.enable', /mmlens\.inlayHints\.enable must be true or false/],
    [{ analyze: { email: 0 } }, 'analyze.email', /mmlens\.analyze\.email/],
    [{ model: 'tables' }, 'model', /mmlens\.model must be derived or builtin/],
    ['x86_64', 'profile', /mmlens settings must be an object/],
  ];
  for (const [raw, key, message] of cases) {
    const { settings, problems } = normalizeSettings(raw);
    assert.equal(problems.length, 1, JSON.stringify(raw));
    assert.match(problems[0]!, message);
    assert.deepEqual(valueAt(settings, key), valueAt(DEFAULT_SETTINGS, key), JSON.stringify(raw));
  }
  const rules = normalizeSettings({ rules: { 'stale-tlb': 'error', 'dirty-lost': 'loud' } });
  assert.deepEqual(rules.settings.rules, { 'stale-tlb': 'error' });
  assert.match(rules.problems.join(), /mmlens\.rules\.dirty-lost must be one of off, error, warning, info, default/);
});

test('normalizeSettings never throws and always returns complete settings', () => {
  const sections = fc.record(
    Object.fromEntries(['profile', 'rules', 'bounds', 'codeLens', 'inlayHints', 'analyze'].map((key) => [key, fc.anything()])),
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(fc.anything(), sections), (raw) => {
      const { settings, problems } = normalizeSettings(raw);
      assert.deepEqual(Object.keys(settings).sort(), Object.keys(DEFAULT_SETTINGS).sort());
      for (const key of SETTING_KEYS.filter((k) => k !== 'rules')) assert.equal(typeof valueAt(settings, key), typeof valueAt(DEFAULT_SETTINGS, key), key);
      assert.ok(problems.every((problem) => typeof problem === 'string' && problem.startsWith('mmlens')));
    }),
  );
});
