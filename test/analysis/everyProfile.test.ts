// Every example and fixture on every version of each architecture the model
// distinguishes (modelVersions: the oldest, each since/until boundary of the
// tables and CONFIG_SYMBOLS, the default), analysed as `mmlens check` does:
// nothing throws and no function ends in a failed analysis. A rule or helper a
// version lacks is inapplicable there, never a failure. Files that pin a profile
// with `@mm profile` are analysed on that profile whatever is asked, so once is
// enough (fixtures.test.ts holds them to their expectations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ARCH_NAMES, formatVersion } from '../../simulator/src';
import { modelVersions } from '../../simulator/src/boundaries';
import type { DocumentAnalysis } from '../../server/src/analysis/analyzeDocument';
import { analyzeForCheck } from '../../server/src/cli/checkDocument';
import { CParser, wasmPathsFromPackages } from '../../server/src/parsing';
import { repoRoot } from '../helpers/paths';

const repo = repoRoot();

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const inputs = [...files(join(repo, 'test', 'fixtures')), ...files(join(repo, 'examples'))]
  .filter((path) => /\.(c|h|patch|diff|mbox|eml|txt)$/.test(path))
  .map((path) => ({ path, name: relative(repo, path), text: readFileSync(path, 'utf8') }));
const pinned = inputs.filter((input) => /@mm\s+profile\b/.test(input.text));
const unpinned = inputs.filter((input) => !pinned.includes(input));

/** What went wrong in one analysis: failed functions and units that could not be analysed. */
function failures(name: string, analysis: DocumentAnalysis): string[] {
  return [
    ...analysis.problems.filter((p) => p.code === 'analysis-failed').map((p) => `${name}: ${p.message}`),
    ...analysis.functions.flatMap((fn) => fn.notes.filter((note) => note.startsWith('analysis failed')).map((note) => `${name}: ${fn.name}: ${note}`)),
  ];
}

function analyse(parser: CParser, input: (typeof inputs)[number], profile: string): string[] {
  try {
    return failures(input.name, analyzeForCheck(parser, { path: input.path, text: input.text }, { profile, cwd: repo }));
  } catch (error) {
    return [`${input.name}: threw ${(error as Error).stack ?? error}`];
  }
}

const parserReady = CParser.load(wasmPathsFromPackages());

test('there are examples and fixtures, pinned and not', () => {
  assert.ok(unpinned.length >= 10, `${unpinned.length} unpinned`);
  assert.ok(pinned.length >= 5, `${pinned.length} pinned`);
});

test('files that pin a profile analyse cleanly on it', async () => {
  const parser = await parserReady;
  assert.deepEqual(pinned.flatMap((input) => analyse(parser, input, 'x86_64')), []);
});

for (const arch of ARCH_NAMES) {
  for (const version of modelVersions(arch)) {
    const profile = `${arch}@${formatVersion(version)}`;
    test(`every example and fixture analyses cleanly on ${profile}`, async () => {
      const parser = await parserReady;
      assert.deepEqual(unpinned.flatMap((input) => analyse(parser, input, profile)), []);
    });
  }
}
