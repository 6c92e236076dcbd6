// npm run bench [-- --quick] [--only a,b] [--json file] [--tree-lines N] [--seed N]

export const SECTIONS = ['micro', 'files', 'paths', 'cli', 'server', 'memory', 'model', 'explore'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly only: ReadonlySet<SectionName>;
  readonly json: string | undefined;
  readonly seed: number;
  readonly sizes: BenchSizes;
}

export interface BenchSizes {
  /** Lines of the generated tree. */
  readonly treeLines: number;
  /** Lines of the file the server's latency is measured on. */
  readonly latencyFileLines: number;
  readonly edits: number;
  readonly hovers: number;
  /** Files opened together for the memory measurement. */
  readonly openFiles: number;
  readonly memoryEdits: number;
  /** Time caps: a section stops there and says so. */
  readonly fileTimesCapMs: number;
  readonly cliTimeoutMs: number;
  readonly memoryCapMs: number;
  /** Per file of the latency section, for its edits. */
  readonly latencyCapMs: number;
}

export const FULL_SIZES: BenchSizes = {
  treeLines: 200_000,
  latencyFileLines: 7000,
  edits: 200,
  hovers: 100,
  openFiles: 20,
  memoryEdits: 10_000,
  fileTimesCapMs: 8 * 60_000,
  cliTimeoutMs: 10 * 60_000,
  memoryCapMs: 8 * 60_000,
  latencyCapMs: 3 * 60_000,
};

export const QUICK_SIZES: BenchSizes = {
  treeLines: 9000,
  latencyFileLines: 7000,
  edits: 30,
  hovers: 20,
  openFiles: 5,
  memoryEdits: 200,
  fileTimesCapMs: 15_000,
  cliTimeoutMs: 60_000,
  memoryCapMs: 10_000,
  latencyCapMs: 20_000,
};

export function parseOptions(argv: readonly string[]): BenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const only = (value('only') ?? SECTIONS.join(',')).split(',').map((s) => s.trim());
  for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section "${name}" (sections: ${SECTIONS.join(', ')})`);
  const treeLines = value('tree-lines');
  const base = quick ? QUICK_SIZES : FULL_SIZES;
  return {
    quick,
    only: new Set(only as SectionName[]),
    json: value('json'),
    seed: Number(value('seed') ?? 1),
    sizes: treeLines ? { ...base, treeLines: Number(treeLines) } : base,
  };
}
