// npm run fuzz [-- --cases N] [--seed S] [--target c|patch|mail|annotations|cli|lsp|all] [--replay FILE]
// Seeded robustness fuzzing; exit 1 when any case fails. Failing inputs go to test-output/fuzz/.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CParser, defaultWasmPaths } from '../../server/src/parsing';
import { repoRoot } from '../helpers/paths';
import { readFailureNote } from './failures';
import { runFuzz, type FuzzReport } from './harness';
import { parseFuzzArgs } from './options';
import { analysisCase } from './targets/analysis';
import { cliCase } from './targets/cli';
import { runLspScript, type LspStep } from './targets/lsp';

async function replay(parser: CParser, file: string, limitMs: number): Promise<number> {
  if (file.endsWith('.lsp.json')) {
    const result = await runLspScript(JSON.parse(readFileSync(file, 'utf8')) as LspStep[], limitMs);
    console.log(`lsp: ${result.verdict.length === 0 ? 'ok' : result.verdict.join('\n  ')} (${result.messages} messages, ${Math.round(result.ms)} ms)`);
    return result.verdict.length === 0 ? 0 : 1;
  }
  const bytes = readFileSync(file);
  const note = readFailureNote(file);
  const fileName = note?.fileName ?? basename(file);
  const results = { analysis: analysisCase(parser, fileName, note?.text ?? bytes.toString('utf8'), limitMs), cli: cliCase(fileName, bytes, limitMs) };
  for (const [target, r] of Object.entries(results)) console.log(`${target}: ${r.verdict.length === 0 ? 'ok' : r.verdict.join('\n  ')} (${Math.round(r.ms)} ms)`);
  return Object.values(results).some((r) => r.verdict.length > 0) ? 1 : 0;
}

function printReport(report: FuzzReport, seed: number, seconds: number): void {
  console.log(`fuzz seed ${seed}, ${seconds.toFixed(1)} s`);
  for (const [target, s] of Object.entries(report.stats)) {
    const unit = target === 'lsp' ? `sessions (${report.lspMessages} messages)` : 'cases';
    console.log(`  ${target.padEnd(12)} ${String(s.cases).padStart(7)} ${unit}, ${s.failures} failed; slowest ${Math.round(s.slowestMs)} ms (case ${s.slowestCase}: ${s.slowestWhat})`);
  }
  for (const f of report.failures) {
    console.log(`FAIL ${f.target} case ${f.caseNumber} (${f.seedName} as ${f.fileName}: ${f.mutations.join(' + ') || 'script'})\n  ${f.verdict.join('\n  ').slice(0, 1500)}`);
    if (f.file) console.log(`  replay: npm run fuzz -- --replay ${f.file}`);
  }
  console.log(report.failures.length === 0 ? 'no failures' : `${report.failures.length} failures`);
}

async function main(): Promise<number> {
  let commandLine;
  try {
    commandLine = parseFuzzArgs(process.argv.slice(2), join(repoRoot(), 'test-output', 'fuzz'));
  } catch (error) {
    console.error(`fuzz: ${(error as Error).message}`);
    return 2;
  }
  const { options, replay: replayFile, only } = commandLine;
  const parser = await CParser.load(defaultWasmPaths());
  if (replayFile) return replay(parser, replayFile, options.limitMs);
  const started = performance.now();
  const report = await runFuzz(parser, options, {
    ...(only !== undefined ? { only } : {}),
    progress: (done, total) => {
      if (process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r${done}/${total} cases`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  printReport(report, options.seed, (performance.now() - started) / 1000);
  return report.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`fuzz: ${error.stack ?? error}`);
    process.exit(2);
  },
);
