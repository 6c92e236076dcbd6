// The contract between the mmlens language server and its clients: settings,
// custom requests, command ids. The only server file the VS Code client imports,
// so it depends on nothing but the LSP protocol package.

import { RequestType, NotificationType, type Position, type Range, type TextDocumentIdentifier } from 'vscode-languageserver-protocol';

// ───────────────────────────── settings ─────────────────────────────

export const SETTINGS_SECTION = 'mmlens';

export type RuleSeverity = 'off' | 'error' | 'warning' | 'info' | 'default';

export interface BoundsSettings {
  /** Paths explored per function before the analysis stops (reported as a bound). */
  readonly maxPaths: number;
  /** Loop bodies unrolled this many times. */
  readonly loopUnroll: number;
  /** Same-file callees inlined to this depth. */
  /** Time one function may take, in milliseconds. */
  readonly functionBudgetMs: number;
}

/** The profile setting that lets each document choose: from its kernel tree, else its mail headers (docs/profiles.md). */
export const AUTO_PROFILE = 'auto';

export interface MmlensSettings {
  /** `auto`, `x86_64`, `arm64@6.1`, `x86_64@6.19 +X86_USER_SHADOW_STACK` … (an `@mm profile` in the file wins). */
  readonly profile: string;
  /** The kernel tree the documents belong to (its root); empty: found above each document. */
  readonly tree: string;
  /** The helpers' model for code in a kernel tree: `derived` from the tree's headers, or the `builtin` tables. */
  readonly model: 'derived' | 'builtin';
  /** Per rule id: turn it off or change its severity. */
  readonly rules: Readonly<Record<string, RuleSeverity>>;
  readonly bounds: BoundsSettings;
  readonly codeLens: { readonly enable: boolean };
  readonly inlayHints: { readonly enable: boolean };
  /** Which kinds of document are analysed. */
  readonly analyze: { readonly c: boolean; readonly patches: boolean; readonly email: boolean };
}

export const DEFAULT_SETTINGS: MmlensSettings = {
  profile: AUTO_PROFILE,
  tree: '',
  model: 'derived',
  rules: {},
  bounds: { maxPaths: 256, loopUnroll: 2, functionBudgetMs: 2000 },
  codeLens: { enable: true },
  inlayHints: { enable: false },
  analyze: { c: true, patches: true, email: true },
};

/** Every settings key, dotted, as declared under `contributes.configuration` (a test keeps them equal). */
export const SETTING_KEYS = [
  'profile',
  'tree',
  'model',
  'rules',
  'bounds.maxPaths',
  'bounds.loopUnroll',
  'bounds.functionBudgetMs',
  'codeLens.enable',
  'inlayHints.enable',
  'analyze.c',
  'analyze.patches',
  'analyze.email',
] as const;

export interface NormalizedSettings {
  readonly settings: MmlensSettings;
  /** One sentence per value that was ignored, for the log and a warning. */
  readonly problems: readonly string[];
}

const SEVERITIES: readonly RuleSeverity[] = ['off', 'error', 'warning', 'info', 'default'];

/**
 * Raw `workspace/configuration` result → typed settings. Anything out of shape keeps
 * its default and is reported; this never throws.
 */
export function normalizeSettings(raw: unknown): NormalizedSettings {
  const problems: string[] = [];
  const obj = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) problems.push('mmlens settings must be an object; using the defaults');

  const str = (value: unknown, key: string, fallback: string): string => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    problems.push(`mmlens.${key} must be a non-empty string; using "${fallback}"`);
    return fallback;
  };
  /** A string that may be empty (empty: not set). */
  const optionalStr = (value: unknown, key: string, fallback: string): string => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value.trim();
    problems.push(`mmlens.${key} must be a string; using "${fallback}"`);
    return fallback;
  };
  const bool = (value: unknown, key: string, fallback: boolean): boolean => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    problems.push(`mmlens.${key} must be true or false; using ${fallback}`);
    return fallback;
  };
  const int = (value: unknown, key: string, fallback: number, min: number, max: number): number => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`mmlens.${key} must be a whole number from ${min} to ${max}; using ${fallback}`);
    return fallback;
  };
  const oneOf = <T extends string>(value: unknown, key: string, allowed: readonly T[], fallback: T): T => {
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`mmlens.${key} must be ${allowed.join(' or ')}; using "${fallback}"`);
    return fallback;
  };
  const section = (key: string): Record<string, unknown> => {
    const value = obj[key];
    if (value === undefined || value === null) return {};
    if (isRecord(value)) return value;
    problems.push(`mmlens.${key} must be an object; using the defaults`);
    return {};
  };

  const rules: Record<string, RuleSeverity> = {};
  const rawRules = section('rules');
  for (const [id, value] of Object.entries(rawRules)) {
    if (SEVERITIES.includes(value as RuleSeverity)) rules[id] = value as RuleSeverity;
    else problems.push(`mmlens.rules.${id} must be one of ${SEVERITIES.join(', ')}; ignored`);
  }
  const bounds = section('bounds');
  const codeLens = section('codeLens');
  const inlayHints = section('inlayHints');
  const analyze = section('analyze');
  const d = DEFAULT_SETTINGS;
  return {
    settings: {
      profile: str(obj['profile'], 'profile', d.profile),
      tree: optionalStr(obj['tree'], 'tree', d.tree),
      model: oneOf(obj['model'], 'model', ['derived', 'builtin'] as const, d.model),
      rules,
      bounds: {
        maxPaths: int(bounds['maxPaths'], 'bounds.maxPaths', d.bounds.maxPaths, 1, 100000),
        loopUnroll: int(bounds['loopUnroll'], 'bounds.loopUnroll', d.bounds.loopUnroll, 0, 16),
        functionBudgetMs: int(bounds['functionBudgetMs'], 'bounds.functionBudgetMs', d.bounds.functionBudgetMs, 10, 600000),
      },
      codeLens: { enable: bool(codeLens['enable'], 'codeLens.enable', d.codeLens.enable) },
      inlayHints: { enable: bool(inlayHints['enable'], 'inlayHints.enable', d.inlayHints.enable) },
      analyze: {
        c: bool(analyze['c'], 'analyze.c', d.analyze.c),
        patches: bool(analyze['patches'], 'analyze.patches', d.analyze.patches),
        email: bool(analyze['email'], 'analyze.email', d.analyze.email),
      },
    },
    problems,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ───────────────────────────── trace ─────────────────────────────

/** One entry as the trace view shows it: its form and each bit as 1, 0 or ?. */
export interface TraceEntry {
  readonly form: string;
  readonly bits: Readonly<Record<string, '0' | '1' | '?'>>;
}

export interface TraceStep {
  readonly range: Range;
  /** `call`, `install`, `read`, `flush`, `unlock`, `lock`, `copy`, `hazard` … (the engine's event kinds). */
  readonly kind: string;
  /** The call or event as source text, e.g. `pte_mkwrite(pte, vma)`. */
  readonly detail: string;
  /** The source line, trimmed, for the row. */
  readonly source: string;
  readonly before?: TraceEntry;
  readonly after?: TraceEntry;
  /** Bits that differ between before and after (`form` when the form changed). */
  readonly changed: readonly string[];
  /** Rule ids that fire at this step. */
  readonly hazards: readonly string[];
}

export interface TracePathInfo {
  /** 0-based. */
  readonly index: number;
  /** The branch decisions as source conditions, `!(…)` when not taken. */
  readonly decisions: readonly string[];
  readonly end: 'return' | 'fragment-end' | 'bound';
  readonly hazards: readonly string[];
}

export interface TraceParams {
  readonly textDocument: TextDocumentIdentifier;
  /** The function by name, or the one enclosing `position` when no name is given. */
  readonly function?: string;
  readonly position?: Position;
  /** For patches: which image (`pre` = before the patch, `post` = after). Default: post, or source. */
  readonly side?: 'pre' | 'post' | 'source';
  /** 0-based; default the first path with a hazard, else path 0. */
  readonly path?: number;
}

export interface TraceResult {
  readonly uri: string;
  readonly function: string;
  readonly side: 'pre' | 'post' | 'source';
  readonly profile: string;
  readonly paths: readonly TracePathInfo[];
  /** The path shown (0-based). */
  readonly path: number;
  readonly steps: readonly TraceStep[];
  /** Bounds hit and notes, as sentences. */
  readonly notes: readonly string[];
  /** The same table the CLI prints for this path, for "copy as text". */
  readonly text: string;
}

/** `mmlens/trace`: the steps of one path of one function. Returns null when there is no such function. */
export const TraceRequest = new RequestType<TraceParams, TraceResult | null, void>('mmlens/trace');

// ───────────────────────────── scenarios ─────────────────────────────

/** The language id of scenario files (`*.mmscenario`, docs/scenarios.md). */
export const SCENARIO_LANGUAGE = 'mmscenario';
export const SCENARIO_EXTENSION = '.mmscenario';

/** One step of a sequential run as the trace view shows it (lines 0-based). */
export interface ScenarioStepView {
  readonly index: number;
  readonly line: number;
  readonly text: string;
  /** What the kernel did, case by case, and the kernel code each stands for. */
  readonly path: readonly string[];
  readonly sources: readonly string[];
  /** The operation did not complete: SIGSEGV, userfaultfd, an error code. */
  readonly trap?: string;
  readonly after: TraceEntry;
  readonly changed: readonly string[];
  /** Properties the step breaks (rule ids) and hazard rules of the entry after it. */
  readonly violations: readonly string[];
  readonly hazards: readonly string[];
  /** The messages of both, then notes. */
  readonly messages: readonly string[];
}

/** A violating schedule: a column per CPU (the step it took), the entry and every TLB after it. */
export interface ScheduleView {
  readonly cpus: readonly string[];
  readonly rows: readonly {
    readonly cpu: string;
    readonly action: string;
    readonly entry: string;
    readonly tlbs: Readonly<Record<string, string>>;
    readonly flushPending: number;
    readonly locks: string;
    /** The operation's line, 0-based. */
    readonly line?: number;
  }[];
  readonly property: string;
  readonly message: string;
}

export interface ScenarioTraceResult {
  readonly uri: string;
  readonly name?: string;
  readonly profile: string;
  readonly holds: boolean;
  /** `holds`, `violated at step 5 (line 15): softdirty-bypass` … */
  readonly verdict: string;
  /** Input problems (lines 0-based): the scenario did not run. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  readonly initial?: TraceEntry;
  readonly steps: readonly ScenarioStepView[];
  readonly schedule?: ScheduleView;
  /** Explored states, schedules, transitions and the bounds, in a sentence. */
  readonly explored?: string;
  readonly notes: readonly string[];
  /** What `mmlens scenario` prints, for "copy as text". */
  readonly text: string;
}

/** `mmlens/scenario`: run the scenario document. Returns null when the document is not a scenario. */
export const ScenarioTraceRequest = new RequestType<{ readonly textDocument: TextDocumentIdentifier }, ScenarioTraceResult | null, void>('mmlens/scenario');

export interface RunScenarioArguments {
  readonly uri: string;
}

// ───────────────────────────── status ─────────────────────────────

export interface AnalysisStatusParams {
  readonly uri: string;
  readonly version: number | null;
  readonly profile: string;
  /** Where the profile came from: `annotation`, `setting`, `tree`, `subject`, `base-commit`, `date` or `default`. */
  readonly profileSource?: string;
  /** Why, for people: `from the kernel tree at /src/linux (Makefile 6.19.9, .config)`. */
  readonly profileReason?: string;
  /** The helpers' model: `derived` (from the kernel tree's headers) or `builtin`, and why. */
  readonly model?: 'derived' | 'builtin';
  readonly modelReason?: string;
  readonly functions: number;
  readonly paths: number;
  readonly findings: number;
  /** Functions whose exploration hit a bound. */
  readonly truncated: number;
  /** Milliseconds the analysis took. */
  readonly durationMs: number;
  /** Functions analysed afresh (the others were reused: unchanged, and none of their callees' summaries changed). */
  readonly analysed?: number;
}

/** Sent by the server after each document analysis (the status item shows it; tests wait on it). */
export const AnalysisStatusNotification = new NotificationType<AnalysisStatusParams>('mmlens/analysisStatus');

// ───────────────────────────── commands ─────────────────────────────

/** Client command ids. Code lenses from the server invoke `showTrace` with `ShowTraceArguments`. */
export const COMMANDS = {
  simulateFunction: 'mmlens.simulateFunction',
  showTrace: 'mmlens.showTrace',
  pickProfile: 'mmlens.pickProfile',
  restartServer: 'mmlens.restartServer',
  showOutput: 'mmlens.showOutput',
  openRule: 'mmlens.openRule',
  runScenario: 'mmlens.runScenario',
} as const;

export interface ShowTraceArguments {
  readonly uri: string;
  readonly function: string;
  readonly side: 'pre' | 'post' | 'source';
  readonly path?: number;
}

/** Rule pages live in the repository's docs; diagnostics link here. */
export const RULE_DOCS_URL = 'https://github.com/mmlens/mmlens/blob/main/docs/rules';
export const ruleDocUrl = (rule: string): string => `${RULE_DOCS_URL}/${encodeURIComponent(rule)}.md`;

// How a Node process for the language server is best started (here, in the client–server
// contract, because the client starts it): the flags and environment the
// VS Code client, the test client and the bench all use, and that docs/editors.md shows for other
// editors. They keep resident memory down where the defaults trade it for throughput the server
// does not need (measured in docs/simulator.md, "What the language server keeps"):
// - a young generation of 2 MB semi-spaces instead of 16 MB: each analysis allocates a lot of
//   short-lived data, and the default lets every burst grow the young generation to its cap;
// - an old generation allowed to grow to 1.3× what the last full GC found live, instead of up to
//   4×: what an edit's analysis leaves behind is garbage by the next edit, and with V8's default
//   headroom the heap, and the server's RSS, kept growing over thousands of edits while the live
//   data stayed flat;
// - one malloc arena and an eager trim, so that memory glibc got for V8's off-heap buffers goes
//   back to the system instead of staying in per-thread arenas.

export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=30'];

export const SERVER_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/** The environment of a server process started from one with `base`. */
export function serverEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, ...SERVER_ENV };
}
