// Runs the seeded cases against the chosen targets and collects what failed, each failure kept
// with what it takes to replay it.

import type { CParser } from '../../server/src/parsing';
import { fuzzCase, INPUT_KINDS, type FuzzCase, type InputKind } from './cases';
import { saveFailure, type Failure, type TargetName } from './failures';
import type { FuzzOptions } from './options';
import { Random } from './random';
import { analysisCase, type Outcome } from './targets/analysis';
import { cliCase } from './targets/cli';
import { lspScript, runLspScript } from './targets/lsp';

export interface TargetStats {
  cases: number;
  failures: number;
  slowestMs: number;
  /** Case number of the slowest case (the session number for lsp), and what it was. */
  slowestCase?: number;
  slowestWhat?: string;
}

export interface FuzzReport {
  readonly stats: Partial<Record<TargetName, TargetStats>>;
  readonly failures: readonly Failure[];
  readonly lspMessages: number;
}

export interface RunHooks {
  /** Only this case number (for replaying one case of a run). */
  readonly only?: number;
  readonly progress?: (done: number, total: number) => void;
}

const IN_PROCESS = new Set<string>(INPUT_KINDS);

export async function runFuzz(parser: CParser, options: FuzzOptions, hooks: RunHooks = {}): Promise<FuzzReport> {
  const stats: Partial<Record<TargetName, TargetStats>> = {};
  const failures: Failure[] = [];
  const record = (target: TargetName, number: number, what: string, outcome: Outcome, input: () => Buffer | string, made: Omit<Failure, 'target' | 'verdict' | 'file' | 'runSeed'>) => {
    const s = (stats[target] ??= { cases: 0, failures: 0, slowestMs: 0 });
    s.cases++;
    if (outcome.ms > s.slowestMs) Object.assign(s, { slowestMs: outcome.ms, slowestCase: number, slowestWhat: what });
    if (outcome.verdict.length === 0) return;
    s.failures++;
    const failure: Failure = { target, runSeed: options.seed, verdict: outcome.verdict, ...made };
    failures.push(options.failureDir ? saveFailure(options.failureDir, failure, input()) : failure);
  };
  const describe = (c: FuzzCase) => `${c.seedName} as ${c.fileName}: ${c.applied.join(' + ')}`;

  const inProcess = INPUT_KINDS.filter((k) => options.targets.has(k));
  const kinds: readonly InputKind[] = inProcess.length > 0 ? inProcess : INPUT_KINDS;
  const cli = options.targets.has('cli');
  const cliEvery = inProcess.length > 0 ? options.cliEvery : 1;
  if (inProcess.length > 0 || cli) {
    const numbers = hooks.only !== undefined ? [hooks.only] : Array.from({ length: options.cases }, (_, n) => n);
    for (const n of numbers) {
      const kind = kinds[n % kinds.length]!;
      const c = fuzzCase(options.seed, kind, n);
      const made = { caseNumber: n, seedName: c.seedName, fileName: c.fileName, mutations: c.applied, ...(c.text !== c.bytes.toString('utf8') ? { text: c.text } : {}) };
      if (IN_PROCESS.has(kind) && options.targets.has(kind)) record(kind, n, describe(c), analysisCase(parser, c.fileName, c.text, options.limitMs), () => c.bytes, made);
      if (cli && (n % cliEvery === 0 || hooks.only !== undefined)) record('cli', n, describe(c), cliCase(c.fileName, c.bytes, options.limitMs), () => c.bytes, made);
      hooks.progress?.(n + 1, options.cases);
    }
  }

  let lspMessages = 0;
  if (options.targets.has('lsp') && options.lspSteps > 0) {
    let documents = 0;
    const document = () => {
      const n = 1_000_000 + documents++;
      return fuzzCase(options.seed, kinds[n % kinds.length]!, n).text;
    };
    for (let session = 0, sent = 0; sent < options.lspSteps; session++) {
      const steps = Math.min(options.lspSessionSteps, options.lspSteps - sent);
      sent += steps;
      const script = lspScript(new Random(options.seed * 7919 + session), document, steps);
      if (hooks.only !== undefined && hooks.only !== session) continue;
      const result = await runLspScript(script, options.limitMs);
      lspMessages += result.messages;
      record('lsp', session, `session ${session} (${result.messages} messages)`, result, () => JSON.stringify(script), { caseNumber: session, seedName: 'session', fileName: 'session.lsp.json', mutations: [] });
    }
  }
  return { stats, failures, lspMessages };
}
