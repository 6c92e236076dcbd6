// A scenario (docs/scenarios.md): a profile, the facts one page starts with, and what happens to
// it — user-visible operations and kernel functions one after another (`steps`), or operations on
// several CPUs whose every interleaving is explored (`cpu` sections). Plain data; lines are 1-based.

export type ArgValue = string | number | boolean;

/** One operation line: `uffd wp on`, `call uffd_wp_range_old enable_wp=false`. */
export interface ScenarioOp {
  /** The name as the library knows it (`write`, `uffd wp on`, `call`). */
  readonly op: string;
  /** What followed the name that is not `key=value` (`mprotect read write`: read, write; `call f`: f). */
  readonly words: readonly string[];
  readonly args: Readonly<Record<string, ArgValue>>;
  readonly line: number;
  /** The line as written, without its comment. */
  readonly text: string;
}

export interface CpuSection {
  readonly name: string;
  readonly line: number;
  readonly ops: readonly ScenarioOp[];
}

/** The page's entry at the start: a form and the bits that are set (every other bit clear). */
export interface InitialEntry {
  readonly form: string;
  readonly bits: Readonly<Record<string, boolean>>;
  readonly line: number;
}

export interface FactsLine {
  /** Facts that hold (every other fact is clear). */
  readonly facts: readonly string[];
  readonly line: number;
}

export interface Scenario {
  readonly name?: string;
  readonly profile?: { readonly spec: string; readonly line: number };
  /** A C file (relative to the scenario) whose functions `call` steps run. */
  readonly source?: { readonly path: string; readonly line: number };
  readonly vma: FactsLine;
  readonly folio?: FactsLine;
  readonly mm?: FactsLine;
  readonly entry?: InitialEntry;
  readonly steps: readonly ScenarioOp[];
  readonly cpus: readonly CpuSection[];
  /** Property ids to check (default: all). */
  readonly check?: { readonly ids: readonly string[]; readonly line: number };
}

/** Bad input, at its line (1-based); column 1 when the whole line is wrong. */
export interface ScenarioProblem {
  readonly line: number;
  readonly message: string;
}

export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.message}`).join('\n'));
  }
}
