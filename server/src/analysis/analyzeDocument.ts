// One document (C file, patch, mbox, email) → findings on its own lines.
// Inputs → parse → lower → engine, per source unit; for patches the pre- and
// post-images are both analysed and each finding is classified introduced,
// fixed or unchanged.

import type { Tree } from 'web-tree-sitter';
import {
  analyzeUnit,
  type Annotation,
  type AnnotationError,
  type Finding,
  type FunctionAnalysis,
} from '../../../simulator/src';
import type { AnalysisOptions } from '../../../simulator/src/engine/analyze';
import { readInputDocument, type WorkspaceFiles } from '../inputs';
import { documentProfile } from '../inputs/documentProfile';
import type { KernelTree } from '../inputs/kernelTree';
import { withAnnotations, type ProfileChoice } from '../inputs/profileChoice';
import type { DocumentKind, Hunk, InputProblem, SourceUnit, UnitSide } from '../inputs/types';
import type { Range } from '../text/positions';
import { lowerSourceUnit } from '../lowering';
import { cSyntaxChecker, type CParser } from '../parsing';
import { decisionsNest } from './decisions';
import type { CheckedFiles, FunctionCache, Retention, RunTally } from './functionCache';
import type { WorkspaceFunctions } from './workspaceFunctions';
import { AnalysisElsewhere, TreeSummaries } from './treeSummaries';
import { chooseModel, type ModelChoice, type ModelSetting } from './helperModel';

export type Change = 'introduced' | 'fixed' | 'unchanged';

export interface DocumentFinding extends Finding {
  readonly side: UnitSide;
  /** For patches: what the change does to this finding. */
  readonly change?: Change;
  /** A law a header's definitions break (analysis/headerFindings.ts), not a path's hazard. */
  readonly law?: LawInfo;
}

/** The law behind a finding on a header or a header patch. */
export interface LawInfo {
  readonly id: string;
  /** The profile the headers were read for (its architecture is the headers' own). */
  readonly profile: string;
  readonly level: string;
  /** Every level it fails at, with the same definition to blame. */
  readonly levels: readonly string[];
  /** At its (first) level: `pte_uffd_wp(y) → !pte_write(y) for y = pte_mkuffd_wp(x)`. */
  readonly text: string;
  readonly semantics: string;
  /** The definitions the law reads (files relative to the tree's root, lines 1-based). */
  readonly definitions: readonly { readonly name: string; readonly file: string; readonly line: number }[];
  /** An entry on which it fails (its set fields and bits), on the side where it fails. */
  readonly counterexample: Readonly<Record<string, boolean>>;
  /** For a patch: the hunk it is reported at (1-based among the file's hunks). */
  readonly hunk?: { readonly file: string; readonly number: number; readonly header: string };
}

export interface AnalysedFunction extends FunctionAnalysis {
  readonly side: UnitSide;
  readonly path: string | undefined;
  readonly hunkIndexes: readonly number[];
}

/** How one hunk changes the behaviour of the function it touches (the hunk hover). */
export interface HunkSummary {
  readonly hunkIndex: number;
  /** From the @@ line (or first hunk line) to the last hunk line, in the document. */
  readonly range: Range;
  readonly functionName: string | undefined;
  readonly introduced: readonly string[];
  readonly fixed: readonly string[];
  readonly unchanged: readonly string[];
  readonly pathsBefore: number;
  readonly pathsAfter: number;
}

export interface DocumentAnalysis {
  readonly kind: DocumentKind;
  readonly functions: readonly AnalysedFunction[];
  readonly findings: readonly DocumentFinding[];
  readonly problems: readonly InputProblem[];
  readonly annotations: readonly Annotation[];
  readonly annotationErrors: readonly AnnotationError[];
  readonly hunks: readonly HunkSummary[];
  /** The profile the document was analysed on and why (absent when it was not analysed). */
  readonly profile?: ProfileChoice;
  /** The helpers' model it was analysed with and why (absent when it was not analysed). */
  readonly model?: ModelChoice;
}

export interface DocumentOptions extends AnalysisOptions {
  /** Who gave `profile` (default: a setting). No profile, or `auto`: the document's tree or mail headers choose (inputs/profileChoice.ts). */
  readonly profileGivenBy?: 'flag' | 'setting';
  /** The kernel tree of this check (`--tree`: read; `mmlens.tree`: its root); else one is looked for above the document. */
  readonly kernelTree?: KernelTree | string;
  /** The document's absolute path on disk, when `path` is relative (where its kernel tree and git repository are looked for). */
  readonly diskPath?: string;
  /** A file name or language id helps classification (`x.c`, `x.patch`). */
  readonly path?: string;
  readonly languageId?: string;
  readonly workspace?: WorkspaceFiles;
  /** Reuse the lowering and analysis of unchanged functions across calls (the language server keeps one). */
  readonly cache?: FunctionCache;
  /** With `cache`: whose run this is, so that what it uses stays cached (the server's open documents). */
  readonly retention?: Retention;
  /** With `cache`: counts the functions this run analysed afresh. */
  readonly tally?: RunTally;
  /** With `cache`: the tree the caller keeps for a C document's text (parsed incrementally), used instead of parsing again. */
  readonly sourceTree?: () => Tree | undefined;
  /** With `cache`: what else the results depend on that the options do not say (which files findings may be placed in). */
  readonly contextKey?: string;
  /** Where to find functions the document calls but does not define (files beside it). */
  readonly workspaceFunctions?: WorkspaceFunctions;
  /** With `cache`: the files of `workspaceFunctions` this run checks, each as the index names it (FunctionCache reuses the tree's analyses of their functions). */
  readonly checkedFiles?: CheckedFiles;
  /** Whether to analyse a document of this kind (default: every kind); the others come back with no functions and no problems. */
  readonly analyzeKind?: (kind: DocumentKind) => boolean;
  /** `derived` (default): code in a kernel tree is analysed with the helpers of the tree's headers; `builtin`: the tables. */
  readonly helperModel?: ModelSetting;
  /** With `cache`: throw AnalysisElsewhere where a tree analysis the document needs is running in another worker. */
  readonly mayDefer?: boolean;
}

/** One source unit analysed. */
export interface UnitResult {
  readonly unit: SourceUnit;
  readonly functions: AnalysedFunction[];
  readonly annotations: readonly Annotation[];
  readonly annotationErrors: readonly AnnotationError[];
}

function analyseUnit(parser: CParser, unit: SourceUnit, options: DocumentOptions): UnitResult {
  const ir = lowerSourceUnit(parser, unit);
  const { workspaceFunctions, ...engineOptions } = options;
  const defined = new Set(ir.functions.map((fn) => fn.name));
  const tree = workspaceFunctions ? new TreeSummaries(workspaceFunctions, engineOptions, undefined, (name) => defined.has(name)) : undefined;
  const functions = analyzeUnit(ir, tree ? { ...engineOptions, summaries: tree, entryFree: tree.entryFree } : engineOptions).map((fn) => ({ ...fn, side: unit.side, path: unit.path, hunkIndexes: unit.hunkIndexes }));
  return { unit, functions, annotations: ir.allAnnotations, annotationErrors: ir.annotationErrors };
}

function* analyseUnitSteps(parser: CParser, unit: SourceUnit, options: DocumentOptions): Generator<void, UnitResult, void> {
  if (!options.cache) return analyseUnit(parser, unit, options);
  const tree = unit.kind === 'file' && unit.side === 'source' ? options.sourceTree?.() : undefined;
  return yield* options.cache.analyseUnit(parser, unit, tree ? { ...options, tree } : options);
}

export function analyzeDocument(parser: CParser, text: string, options: DocumentOptions = {}): DocumentAnalysis {
  const steps = analyzeDocumentSteps(parser, text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** analyzeDocument as a generator that pauses after each function analysed through `options.cache`, so a host can stay responsive. */
export function* analyzeDocumentSteps(parser: CParser, text: string, options: DocumentOptions = {}): Generator<void, DocumentAnalysis, void> {
  const input = readInputDocument(text, {
    ...(options.path ? { path: options.path } : {}),
    ...(options.languageId ? { languageId: options.languageId } : {}),
    ...(options.workspace ? { workspace: options.workspace } : {}),
    syntax: cSyntaxChecker(parser),
  });
  const results: UnitResult[] = [];
  const wanted = options.analyzeKind?.(input.kind) ?? true;
  const chosen = documentProfile(text, input, { ...options, profile: typeof options.profile === 'object' ? options.profile.name : options.profile });
  const helpers = wanted && input.units.length > 0 ? chooseModel(options.helperModel ?? 'derived', chosen.tree, chosen.choice.profile) : undefined;
  const unitOptions: DocumentOptions = { ...options, profile: chosen.choice.profile, ...(helpers?.model ? { model: helpers.model } : {}) };
  const problems: InputProblem[] = wanted ? [...input.problems, ...chosen.problems] : [];
  for (const unit of wanted ? input.units : []) {
    if (options.isCancelled?.()) break;
    try {
      results.push(yield* analyseUnitSteps(parser, unit, unitOptions));
    } catch (error) {
      if (error instanceof AnalysisElsewhere) throw error;
      problems.push({
        severity: 'error',
        code: 'analysis-failed',
        message: `mmlens could not analyse ${unit.functionName ?? unit.path ?? 'this code'}: ${(error as Error).message}`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
  }
  const functions = results.flatMap((r) => r.functions);
  const annotations = results.flatMap((r) => r.annotations);
  const annotationErrors = results.flatMap((r) => r.annotationErrors);
  const isPatch = results.some((r) => r.unit.side !== 'source');
  const findings = isPatch ? classify(functions) : functions.flatMap((fn) => fn.findings.map((f) => onSide(f, fn.side)));
  return {
    kind: input.kind,
    functions,
    findings: dedupe(findings),
    problems,
    annotations: dedupeAnnotations(annotations),
    annotationErrors,
    hunks: isPatch ? summarizeHunks(input.hunks, functions) : [],
    profile: withAnnotations(chosen.choice, annotations, [...new Set(functions.map((fn) => fn.profile))]),
    ...(helpers ? { model: helpers.choice } : {}),
  };
}

/** The call a finding sits on, as source text (lines move between the two sides of a patch, calls rarely do). */
function site(f: Finding): string {
  const at = [...f.trace].reverse().find((e) => e.range.start.line === f.range.start.line && e.range.start.character === f.range.start.character);
  return at ? at.detail.replace(/\s+/g, ' ') : '';
}

/** Findings on the two sides of a patch are compared within one function and its hunks, at the same call. */
const scope = (f: Finding, fn: AnalysedFunction) => `${f.rule}@${f.function}@${fn.hunkIndexes.join(',')}@${site(f)}`;

/**
 * Pre-image findings with no match after the patch are fixed; post-image ones with none before
 * are introduced. A match is the same rule at the same call on a corresponding path.
 */
function classify(functions: readonly AnalysedFunction[]): DocumentFinding[] {
  const side = (which: UnitSide) => functions.filter((fn) => fn.side === which).flatMap((fn) => fn.findings.map((finding) => ({ finding, key: scope(finding, fn) })));
  const pre = side('pre');
  const post = side('post');
  const matched = (one: { finding: Finding; key: string }, others: typeof pre) => others.some((o) => o.key === one.key && decisionsNest(o.finding.path, one.finding.path));
  return [
    ...post.map((p): DocumentFinding => ({ ...p.finding, side: 'post', change: matched(p, pre) ? 'unchanged' : 'introduced' })),
    ...pre.filter((p) => !matched(p, post)).map(({ finding }): DocumentFinding => ({ ...finding, side: 'pre', change: 'fixed' })),
  ];
}

function summarizeHunks(hunks: readonly Hunk[], functions: readonly AnalysedFunction[]): HunkSummary[] {
  return hunks.map(({ index: hunkIndex, range }) => {
    const touching = functions.filter((f) => f.hunkIndexes.includes(hunkIndex));
    const pre = touching.filter((f) => f.side === 'pre');
    const post = touching.filter((f) => f.side === 'post');
    // The same matching as the findings (per call and path), so a rule fixed at one call
    // and left at another shows in both lists.
    const changes = classify(touching);
    const rules = (change: Change) => [...new Set(changes.filter((f) => f.change === change).map((f) => f.rule))].sort();
    return {
      hunkIndex,
      range,
      functionName: touching[0]?.name,
      introduced: rules('introduced'),
      fixed: rules('fixed'),
      unchanged: rules('unchanged'),
      pathsBefore: pre.reduce((n, f) => n + f.paths.length, 0),
      pathsAfter: post.reduce((n, f) => n + f.paths.length, 0),
    };
  });
}

/** The same finding seen from two units (a context line in both images) is reported once. */
const sided = new WeakMap<Finding, DocumentFinding>();

/** A finding with its side, the same object for the same finding (the language server caches diagnostics by it). */
function onSide(finding: Finding, side: UnitSide): DocumentFinding {
  const kept = sided.get(finding);
  if (kept?.side === side) return kept;
  const made = { ...finding, side };
  sided.set(finding, made);
  return made;
}

function dedupe(findings: DocumentFinding[]): DocumentFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}@${f.range.start.line}:${f.range.start.character}@${f.change ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function dedupeAnnotations(annotations: readonly Annotation[]): Annotation[] {
  const seen = new Set<string>();
  return annotations.filter((a) => {
    const key = `${a.kind}@${a.range.start.line}:${a.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
