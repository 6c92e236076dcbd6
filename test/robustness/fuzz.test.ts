// The short fuzz run of npm test (npm run fuzz runs the long one): a fixed seed, a couple of
// thousand mutated inputs through the analysis, a sample through the CLI, and a few hundred
// random messages to one language server. Nothing may crash, hang or come back malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from '../fuzz/harness';
import { MUTATIONS } from '../fuzz/mutations';
import { Random } from '../fuzz/random';
import { testParser } from '../helpers/parser';

test('the same seed gives the same mutations', () => {
  const once = (seed: number) => {
    const random = new Random(seed);
    return MUTATIONS.map((m) => m.apply('static void f(void)\n{\n\tpte_mkwrite(pte, vma);\n}\n', '@@ -1 +1 @@\n', random).length);
  };
  assert.deepEqual(once(7), once(7));
  assert.notDeepEqual(once(7), once(8));
});

test('2,000 mutated inputs, 20 through the CLI, 300 messages to the server: no crash, no hang, well-formed output', { timeout: 15 * 60 * 1000 }, async () => {
  const report = await runFuzz(await testParser(), {
    seed: 20261122,
    cases: 2000,
    cliEvery: 100,
    lspSteps: 300,
    targets: new Set(['analysis', 'cli', 'lsp']),
    limitMs: 60000,
  });
  assert.deepEqual(report.failures, []);
  assert.equal(report.cases.analysis, 2000);
  assert.equal(report.cases.cli, 20);
  assert.ok(report.lspMessages >= 250, `${report.lspMessages} messages`);
});
