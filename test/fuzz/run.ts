// npm run fuzz [-- --cases N] [--seed S] [--target analysis,cli,lsp] [--replay file]
// Seeded robustness fuzzing; exit 1 when any case fails. Failing inputs go to test-output/fuzz/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CParser, defaultWasmPaths } from '../../server/src/parsing';
import { runFuzz, type Target } from './harness';
import { analysisCase, cliCase } from './targets';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const parser = await CParser.load(defaultWasmPaths());
  const limitMs = Number(option('limit-ms') ?? 30000);
  const replay = option('replay');
  if (replay) {
    const text = readFileSync(replay, 'utf8');
    const name = option('as') ?? 'replay.c';
    const results = [analysisCase(parser, name, text, limitMs), cliCase(name, text, limitMs)];
    for (const [i, r] of results.entries()) console.log(`${i === 0 ? 'analysis' : 'cli'}: ${r.verdict.length === 0 ? 'ok' : r.verdict.join('; ')} (${Math.round(r.ms)} ms)`);
    return results.some((r) => r.verdict.length > 0) ? 1 : 0;
  }
  const cases = Number(option('cases') ?? 2000);
  const seed = Number(option('seed') ?? 1);
  const targets = new Set((option('target') ?? 'analysis,cli,lsp').split(',') as Target[]);
  const started = performance.now();
  const report = await runFuzz(parser, {
    seed,
    cases,
    cliEvery: Number(option('cli-every') ?? 100),
    lspSteps: Number(option('lsp-steps') ?? Math.min(5000, Math.max(200, cases / 10))),
    targets,
    limitMs,
    failureDir: join(__dirname, '..', '..', '..', 'test-output', 'fuzz'),
    progress: (done) => {
      if (process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r${done}/${cases} cases`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fuzz seed ${seed}: ${report.cases.analysis} analysis cases, ${report.cases.cli} CLI cases, ${report.cases.lsp} server session (${report.lspMessages} messages) in ${seconds} s`);
  if (report.slowest) console.log(`slowest analysis case: ${Math.round(report.slowest.ms)} ms (${report.slowest.seedName}, ${report.slowest.mutations.join(' + ')})`);
  for (const failure of report.failures) {
    console.log(`FAIL ${failure.target} case ${failure.caseNumber} (${failure.seedName}, ${failure.mutations.join(' + ')}): ${failure.verdict.join('; ').slice(0, 600)}${failure.file ? `\n  input: ${failure.file}` : ''}`);
  }
  console.log(report.failures.length === 0 ? 'no failures' : `${report.failures.length} failures`);
  console.log(JSON.stringify({ seed, cases: report.cases, lspMessages: report.lspMessages, failures: report.failures.length, seconds: Number(seconds) }));
  return report.failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error: Error) => {
  console.error(`fuzz: ${error.stack ?? error}`);
  process.exit(2);
});
