// The short fuzz run of npm test (npm run fuzz runs long ones): a fixed seed, 1,600
// mutated inputs through the analysis, a score through the CLI, and one language server
// given a few hundred random messages. Nothing may crash, hang or come back malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzCase } from '../fuzz/cases';
import { runFuzz } from '../fuzz/harness';
import { parseFuzzArgs } from '../fuzz/options';
import { analysisProblems, cliJsonProblems } from '../fuzz/properties';
import { testParser } from '../helpers/parser';

test('a run seed and case number always give the same input, another case another input', () => {
  assert.deepEqual(fuzzCase(7, 'patch', 3).bytes, fuzzCase(7, 'patch', 3).bytes);
  assert.notDeepEqual(fuzzCase(7, 'patch', 3).bytes, fuzzCase(7, 'patch', 4).bytes);
  assert.notDeepEqual(fuzzCase(7, 'patch', 3).bytes, fuzzCase(8, 'patch', 3).bytes);
});

test('an annotations case always has a mangled annotation', () => {
  for (let n = 0; n < 20; n++) assert.match(fuzzCase(1, 'annotations', n).applied[0]!, /annotation/);
});

test('the properties catch what they are for', async () => {
  const text = 'void f(void)\n{\n}\n';
  const range = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
  const finding = { rule: 'stale-tlb', severity: 'error', message: 'm', range: range(5, 0) };
  const analysis = { kind: 'c-source', functions: [], findings: [finding], problems: [], annotations: [], annotationErrors: [], hunks: [] };
  assert.match(analysisProblems(text, analysis as never).join(), /outside the document/);
  assert.match(analysisProblems(text, { ...analysis, findings: [{ ...finding, range: range(0, 13) }] } as never).join(), /outside the document/);
  assert.deepEqual(analysisProblems(text, { ...analysis, findings: [{ ...finding, range: range(0, 12) }] } as never), []);
  assert.match(analysisProblems(text, { ...analysis, findings: [{ ...finding, rule: 'no-such-rule', range: range(0, 0) }] } as never).join(), /unknown rule/);
  assert.match(cliJsonProblems('Error: boom', 1).join(), /not JSON/);
  const empty = { tool: 'mmlens', version: '0.1.0', profile: 'x86_64@6.19', findings: [], problems: [], summary: { files: 1, functions: 0, paths: 0, findings: 0, truncated: 0, notModelled: [] } };
  assert.deepEqual(cliJsonProblems(JSON.stringify(empty), 0), []);
  assert.match(cliJsonProblems(JSON.stringify(empty), 1).join(), /exit status 1 with 0 findings/);
  assert.match(cliJsonProblems(JSON.stringify({ ...empty, summary: {} }), 0).join(), /malformed summary/);
});

test('npm run fuzz options: targets by name or group, bad values refused', () => {
  assert.deepEqual([...parseFuzzArgs(['--target', 'patch,cli']).options.targets], ['patch', 'cli']);
  assert.equal(parseFuzzArgs(['--target', 'all']).options.targets.size, 6);
  assert.equal(parseFuzzArgs(['--cases', '100000', '--seed', '3']).options.cases, 100000);
  assert.throws(() => parseFuzzArgs(['--target', 'everything']), /unknown target "everything"/);
  assert.throws(() => parseFuzzArgs(['--cases', 'many']), /--cases takes a whole number/);
});

// Each case has its own 20 s limit (a hang is caught there); the whole run's timeout only stops a
// runaway and leaves room for a loaded machine (it took 120–145 s at load 10–18 here).
test('1,600 mutated inputs, 20 through the CLI, 300 messages to a server: no crash, no hang, well-formed output', { timeout: 360_000 }, async () => {
  const report = await runFuzz(await testParser(), {
    seed: 20261122,
    cases: 1600,
    targets: new Set(['c', 'patch', 'mail', 'annotations', 'cli', 'lsp']),
    cliEvery: 80,
    lspSteps: 300,
    lspSessionSteps: 300,
    limitMs: 20_000,
  });
  assert.deepEqual(report.failures, []);
  assert.deepEqual(Object.fromEntries(Object.entries(report.stats).map(([target, s]) => [target, s.cases])), { c: 400, patch: 400, mail: 400, annotations: 400, cli: 20, lsp: 1 });
  assert.ok(report.lspMessages >= 300, `${report.lspMessages} messages`);
});
