// The fixture runner: every file under test/fixtures/ (C, patch, email) that
// carries `@mm expect` annotations is a test, checked like clang's -verify.
// The newcomer examples are held to theirs too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { checkExpectations, formatExpectationReport } from '../../server/src/analysis/expectations';
import { CParser, wasmPathsFromPackages } from '../../server/src/parsing';

const repo = join(__dirname, '..', '..', '..');
const root = join(repo, 'test', 'fixtures');

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const fixtures = [...files(root), ...files(join(repo, 'examples'))].filter((path) => /\.(c|h|patch|diff|mbox|eml|txt)$/.test(path) && readFileSync(path, 'utf8').includes('@mm expect'));

test('there are fixtures with expectations', () => {
  assert.ok(fixtures.length >= 6, `found ${fixtures.length}`);
});

for (const path of fixtures) {
  const name = relative(repo, path);
  test(`fixture ${name}`, async () => {
    const parser = await CParser.load(wasmPathsFromPackages());
    const analysis = analyzeDocument(parser, readFileSync(path, 'utf8'), { path });
    assert.deepEqual(analysis.annotationErrors.map((e) => e.message), [], 'annotations parse');
    const reported = analysis.findings.filter((f) => f.change !== 'fixed');
    const report = checkExpectations(analysis.annotations, reported.map((f) => ({ rule: f.rule, line: f.range.start.line })));
    assert.ok(report.isTest);
    assert.deepEqual(formatExpectationReport(name, report), [], reported.map((f) => `${f.range.start.line + 1}: ${f.rule}: ${f.message}`).join('\n'));
    for (const fn of analysis.functions) assert.ok(fn.paths.length > 0 || fn.notes.length > 0, `${fn.name} ran at least one path`);
  });
}
