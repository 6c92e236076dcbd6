// Inputs npm run fuzz found that crashed, hung or misplaced findings, kept as examples of what
// must keep working. Each test names the case that found it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { directiveEnd } from '../../server/src/lowering/annotations';
import { countSyntaxIssues } from '../../server/src/parsing';
import { splitLines } from '../../server/src/text/lines';
import { analysisProblems } from '../fuzz/properties';
import { LspClient, fixture } from '../lsp/lspClient';
import { testParser } from '../helpers/parser';
import { repoRoot } from '../helpers/paths';

const timed = <T>(run: () => T): { value: T; ms: number } => {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
};

test('a C file with lone CR line endings gets findings on the lines the editor shows (seed 1, case 308)', async () => {
  const text = readFileSync(join(repoRoot(), 'test', 'fixtures', 'fuzz', 'lone-cr-line-endings.c'), 'utf8');
  assert.ok(!text.includes('\n'));
  const analysis = analyzeDocument(await testParser(), text, { path: 'lone-cr-line-endings.c' });
  const unlock = splitLines(text).findIndex((line) => line.text.includes('pte_unmap_unlock'));
  assert.deepEqual(analysis.findings.map((f) => [f.rule, f.range.start.line]), [['stale-tlb', unlock]]);
  assert.deepEqual(analysisProblems(text, analysis), []);
});

test('C that tree-sitter recovers from only in quadratic time is given up with a message (seed 1, case 932)', async () => {
  const text = `void f(void)\n{\n\tx = 1;${' */'.repeat(20000)}\n}\n`;
  const parser = await testParser();
  const { value: analysis, ms } = timed(() => analyzeDocument(parser, text, { path: 'junk.c' }));
  const problems = analysis.problems;
  assert.ok(ms < 15_000, `${ms} ms`);
  assert.match(problems.map((p) => `${p.code}: ${p.message}`).join('\n'), /analysis-failed: .*the C parser gave up after \d+\.\d s/);
});

test('an annotation with 160,000 tabs is read in linear time (seed 20261122, case 560)', async () => {
  const text = `/* @mm assume vma VM_WRITE${'\t'.repeat(160_000)}VM_SHARED */\nvoid f(void)\n{\n}\n`;
  const parser = await testParser();
  const { ms } = timed(() => analyzeDocument(parser, text, { path: 'tabs.c' }));
  assert.ok(ms < 5_000, `${ms} ms`);
});

test('a directive ends where the old pattern \\s*(\\n[\\s*]*)?$ said it did', () => {
  for (const raw of ['expect a  ', 'expect a \n * ', 'a * ', 'a *\n * ', 'a \n\t*\n *  *', '', '*', '\n*', 'a * * \n * \n', 'a\n *b']) {
    assert.equal(directiveEnd(raw), raw.replace(/\s*(\n[\s*]*)?$/, '').length, JSON.stringify(raw));
  }
});

test('syntax issues of code nested 20,000 deep are counted quickly, without running out of stack (seed 20261122, case 2690)', async () => {
  const parser = await testParser();
  const tree = parser.parse(`void f(void)\n{\n${'do { '.repeat(20000)}\n}\n`);
  try {
    const { value: issues, ms } = timed(() => countSyntaxIssues(tree));
    assert.ok(issues > 0);
    assert.ok(ms < 3_000, `${ms} ms`);
  } finally {
    parser.release(tree);
  }
});

test('a missing semicolon among thousands of comments leaves the parser working (seed 1, case 299)', async () => {
  const parser = await testParser();
  const text = readFileSync(join(repoRoot(), 'test', 'fixtures', 'fuzz', 'missing-semicolon-among-comments.c'), 'utf8');
  const tree = parser.parse(text);
  try {
    assert.ok(countSyntaxIssues(tree) > 0);
  } finally {
    parser.release(tree);
  }
  // web-tree-sitter's memory was corrupted by asking for the MISSING node's parent: every later parse failed
  const after = analyzeDocument(parser, readFileSync(join(repoRoot(), 'examples', 'wp-late-flush.c'), 'utf8'), { path: 'wp-late-flush.c' });
  assert.deepEqual(after.findings.map((f) => f.rule), ['stale-tlb']);
  assert.deepEqual(after.problems.filter((p) => p.severity === 'error'), []);
});

test('malformed didOpen, didChange and didClose are ignored with a warning, and the server goes on (seed 1, lsp session 0)', { timeout: 60_000 }, async () => {
  const client = await LspClient.start();
  try {
    const send = (method: string, params: unknown) => void client.connection.sendNotification(method, params);
    send('textDocument/didOpen', { textDocument: 5 });
    send('textDocument/didOpen', {});
    send('textDocument/didChange', { textDocument: { uri: 'untitled:x.c' }, range: { start: null, end: 3 } });
    send('textDocument/didChange', { textDocument: { uri: 'untitled:x.c', version: 2 }, contentChanges: [{ range: { start: { line: 'a' } }, text: 'x' }] });
    send('textDocument/didClose', null);
    await client.waitFor('the last warning', (e) => (e.kind === 'log' && /ignored a DidCloseTextDocument notification/.test(e.message) ? e : undefined));
    const tour = fixture('examples', 'wp-late-flush.c');
    client.open(tour.uri, tour.text, 'c');
    assert.deepEqual((await client.pull(tour.uri)).map((d) => d.code), ['stale-tlb']);
    const logs = client.events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    assert.equal(logs.filter((m) => /ignored a \w+ notification/.test(m)).length, 5, logs.join('\n'));
    assert.deepEqual(logs.filter((m) => /\n\s+at /.test(m)), []);
    await client.assertAlive();
  } finally {
    await client.stop();
  }
});
