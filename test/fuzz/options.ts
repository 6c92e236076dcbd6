// The command line of npm run fuzz.

import type { InputKind } from './cases';

export type TargetOption = InputKind | 'cli' | 'lsp';

export interface FuzzOptions {
  readonly seed: number;
  /** Generated inputs: each goes to its in-process target, one in `cliEvery` to the CLI too. */
  readonly cases: number;
  readonly targets: ReadonlySet<TargetOption>;
  readonly cliEvery: number;
  /** Messages sent to language servers in all (a fresh server every `lspSessionSteps`). */
  readonly lspSteps: number;
  readonly lspSessionSteps: number;
  /** A case slower than this fails. */
  readonly limitMs: number;
  /** Where failing inputs are written (none when undefined). */
  readonly failureDir?: string;
}

export interface CommandLine {
  readonly options: FuzzOptions;
  readonly replay?: string;
  /** Run only this case number (with the seed and targets given). */
  readonly only?: number;
}

export const TARGET_GROUPS: Record<string, readonly TargetOption[]> = {
  all: ['c', 'patch', 'mail', 'annotations', 'cli', 'lsp'],
  analysis: ['c', 'patch', 'mail', 'annotations'],
  c: ['c'], patch: ['patch'], mail: ['mail'], annotations: ['annotations'], cli: ['cli'], lsp: ['lsp'],
};

const USAGE = 'usage: npm run fuzz -- [--cases N] [--seed S] [--target c|patch|mail|annotations|analysis|cli|lsp|all[,…]] [--limit-ms MS] [--cli-every K] [--lsp-steps M] [--case N] [--replay FILE]';

function number(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}, not "${value}"\n${USAGE}`);
  return n;
}

export function parseFuzzArgs(argv: readonly string[], failureDir?: string): CommandLine {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || i + 1 >= argv.length) throw new Error(`unexpected "${arg}"\n${USAGE}`);
    values.set(arg.slice(2), argv[++i]!);
  }
  const known = new Set(['cases', 'seed', 'target', 'limit-ms', 'cli-every', 'lsp-steps', 'case', 'replay']);
  for (const key of values.keys()) if (!known.has(key)) throw new Error(`unknown option --${key}\n${USAGE}`);
  const targets = new Set<TargetOption>();
  for (const name of (values.get('target') ?? 'all').split(',')) {
    const group = TARGET_GROUPS[name.trim()];
    if (!group) throw new Error(`unknown target "${name}"\n${USAGE}`);
    group.forEach((t) => targets.add(t));
  }
  const cases = number('cases', values.get('cases'), 2000, 0);
  const onlyServer = [...targets].every((t) => t === 'lsp');
  const options: FuzzOptions = {
    seed: number('seed', values.get('seed'), 1, 0),
    cases,
    targets,
    cliEvery: number('cli-every', values.get('cli-every'), 50, 1),
    lspSteps: number('lsp-steps', values.get('lsp-steps'), onlyServer ? cases : Math.min(20_000, Math.max(300, Math.round(cases / 5))), 0),
    lspSessionSteps: 1000,
    limitMs: number('limit-ms', values.get('limit-ms'), 20_000, 1),
    ...(failureDir ? { failureDir } : {}),
  };
  const only = values.get('case');
  return { options, ...(values.has('replay') ? { replay: values.get('replay')! } : {}), ...(only !== undefined ? { only: number('case', only, 0, 0) } : {}) };
}
