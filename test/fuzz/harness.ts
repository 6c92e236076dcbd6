// Runs seeded fuzz cases against the targets and collects what failed, with enough to replay it.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CParser } from '../../server/src/parsing';
import { mutate } from './mutations';
import { Random } from './random';
import { fuzzSeeds, type Seed } from './seeds';
import { analysisCase, cliCase, lspSession } from './targets';

export type Target = 'analysis' | 'cli' | 'lsp';

export interface FuzzOptions {
  readonly seed: number;
  /** In-process analysis cases; the CLI gets one case in `cliEvery`, the server one session of `lspSteps` messages. */
  readonly cases: number;
  readonly cliEvery: number;
  readonly lspSteps: number;
  readonly targets: ReadonlySet<Target>;
  /** A case slower than this fails ("no unbounded time"). */
  readonly limitMs: number;
  /** Where failing inputs are written (none when undefined). */
  readonly failureDir?: string;
  readonly progress?: (done: number) => void;
}

export interface Failure {
  readonly target: Target;
  readonly caseNumber: number;
  readonly seedName: string;
  readonly mutations: readonly string[];
  readonly verdict: readonly string[];
  readonly file?: string;
}

export interface FuzzReport {
  readonly cases: Record<Target, number>;
  readonly failures: Failure[];
  readonly slowest: { readonly ms: number; readonly seedName: string; readonly mutations: readonly string[] } | undefined;
  readonly lspMessages: number;
}

/** The input of case `n`: the same seed and case number always give the same text. */
export function caseInput(seeds: readonly Seed[], seed: number, n: number): { seedName: string; text: string; mutations: string[] } {
  const random = new Random(seed * 1_000_003 + n);
  const base = random.pick(seeds);
  const other = random.pick(seeds);
  const { text, applied } = mutate(base.text, other.text, random);
  return { seedName: base.name, text, mutations: applied };
}

export async function runFuzz(parser: CParser, options: FuzzOptions): Promise<FuzzReport> {
  const seeds = fuzzSeeds();
  const failures: Failure[] = [];
  const cases: Record<Target, number> = { analysis: 0, cli: 0, lsp: 0 };
  let slowest: FuzzReport['slowest'];
  const fail = (failure: Omit<Failure, 'file'>, text: string) => {
    let file: string | undefined;
    if (options.failureDir) {
      mkdirSync(options.failureDir, { recursive: true });
      file = join(options.failureDir, `${failure.target}-seed${options.seed}-case${failure.caseNumber}.txt`);
      writeFileSync(file, text);
    }
    failures.push({ ...failure, ...(file ? { file } : {}) });
  };
  for (let n = 0; n < options.cases; n++) {
    const input = caseInput(seeds, options.seed, n);
    if (options.targets.has('analysis')) {
      const { verdict, ms } = analysisCase(parser, input.seedName, input.text, options.limitMs);
      cases.analysis++;
      if (!slowest || ms > slowest.ms) slowest = { ms, seedName: input.seedName, mutations: input.mutations };
      if (verdict.length > 0) fail({ target: 'analysis', caseNumber: n, seedName: input.seedName, mutations: input.mutations, verdict }, input.text);
    }
    if (options.targets.has('cli') && n % options.cliEvery === 0) {
      const { verdict } = cliCase(input.seedName, input.text, options.limitMs);
      cases.cli++;
      if (verdict.length > 0) fail({ target: 'cli', caseNumber: n, seedName: input.seedName, mutations: input.mutations, verdict }, input.text);
    }
    options.progress?.(n + 1);
  }
  let lspMessages = 0;
  if (options.targets.has('lsp') && options.lspSteps > 0) {
    const random = new Random(options.seed);
    let n = 0;
    const session = await lspSession(random, () => ({ name: 'lsp', text: caseInput(seeds, options.seed, 1_000_000 + n++).text }), options.lspSteps, options.limitMs);
    cases.lsp = 1;
    lspMessages = session.messages;
    if (session.verdict.length > 0) failures.push({ target: 'lsp', caseNumber: 0, seedName: 'session', mutations: [], verdict: session.verdict });
  }
  return { cases, failures, slowest, lspMessages };
}
