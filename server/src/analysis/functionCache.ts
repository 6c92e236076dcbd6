// The language server's per-function caches. A document is analysed again after every edit,
// but most of its functions did not change: a function's IR is reused by the hash of its text
// (with the @mm annotations placed on it), and its analysis and summary by its IR without
// positions (irShape) and everything else they depend on — what its callees' summaries say
// (summaryFingerprint), whether it is a root, the unit's annotations and the options. So an edit
// inside one function lowers that function again and analyses it, and its callers only when its
// summary changed; an edit that only moves code within it (a space, a comment) moves its results
// (movedPositions), and lines inserted above a function only shift them (shiftLines). The full detail (every path's steps, every call site) is computed on
// demand, one function at a time, for the hover, the trace and inlay hints.

import type { Tree } from 'web-tree-sitter';
import type { FunctionAnalysis, FunctionSummary, SummaryLookup } from '../../../simulator/src';
import { analyzeFunctionSafely, type AnalysisOptions, type FunctionContext, type FunctionResult } from '../../../simulator/src/engine/analyze';
import type { Annotation, IrFunction, IrUnit } from '../../../simulator/src/ir';
import type { SourceUnit } from '../inputs/types';
import { callOrder, stoppedEarly } from '../../../simulator/src';
import { ANNOTATION_MARKER, contentHash, functionDefinitions, functionExtent, lowerFunction, placeAnnotations, UnitSource, type PlacedAnnotations } from '../lowering';
import type { CParser } from '../parsing';
import type { AnalysedFunction, UnitResult } from './analyzeDocument';
import { Lru } from './lru';
import { RetainedCache } from './retainedCache';
import { calledNames, type WorkspaceFunctions } from './workspaceFunctions';
import { shiftLines } from './shiftLines';
import { irShape, movePositions, positionMove } from './movedPositions';
import { ownCalleeKey, summaryFingerprint } from './summaryFingerprint';
import { optionsKey, summaryStoreFor, TreeSummaries } from './treeSummaries';

/** A function's IR, lowered once at the unit row it had then. */
interface Lowering {
  readonly ir: IrFunction;
  readonly row: number;
  /** Every name it calls; the same-unit functions among them are analysed before it. */
  readonly calls: ReadonlySet<string>;
  /** What its analysis is kept under: the IR without positions (irShape), so a space typed in it keeps it. */
  readonly shape: string;
}

/** One function of the unit at hand: its cached lowering and where it is now. */
class UnitFunction {
  private moved: IrFunction | undefined;

  constructor(
    readonly key: string,
    readonly lowering: Lowering,
    readonly row: number,
  ) {}

  get name(): string {
    return this.lowering.ir.name;
  }

  /** The IR at the function's current position. */
  get ir(): IrFunction {
    this.moved ??= shiftLines(this.lowering.ir, this.row - this.lowering.row);
    return this.moved;
  }
}

/** What an analysis needs to run again in full detail. */
interface AnalysisContext extends FunctionContext {
  readonly fn: IrFunction;
  readonly unit: IrUnit;
  readonly options: AnalysisOptions;
}

interface AnalysisEntry {
  readonly result: FunctionAnalysis;
  readonly summary: FunctionSummary | undefined;
  readonly row: number;
  /** The lowering key of the text analysed: another text of the same shape gets the result moved (movedPositions). */
  readonly text: string;
  readonly context: AnalysisContext;
  /** The function as last returned, reused while it stays where it is (most of a file, most edits). */
  returned?: { readonly where: string; readonly fn: AnalysedFunction };
}

/** A function as the last analysis returned it, for `detail`. */
interface Returned {
  readonly key: string;
  readonly entry: AnalysisEntry;
  readonly row: number;
}

/** One function analysed in full, and its IR (the hover reads variables from it). */
export interface FunctionDetail {
  readonly analysis: AnalysedFunction;
  readonly ir: IrFunction;
}

/** The options a unit is analysed with (DocumentOptions passes these through). */
export interface CachedUnitOptions extends AnalysisOptions {
  /** A tree the caller keeps for `unit.text` (incremental parsing); otherwise the unit is parsed here. */
  readonly tree?: Tree;
  /** Where to find functions the unit calls but does not define. */
  readonly workspaceFunctions?: WorkspaceFunctions;
  /** What else the results depend on that the options do not say (which files findings may be placed in). */
  readonly contextKey?: string;
  /**
   * The files of `workspaceFunctions` the run checks (the CLI's): their definitions are analysed
   * as roots too when first summarised, and a document that is one of them, unannotated, takes
   * each function's analysis from there when it is the same definition — one analysis, not two.
   */
  readonly checkedFiles?: CheckedFiles;
  /** Whose run this is (an open document): what it uses stays cached until its next run says otherwise. */
  readonly retention?: Retention;
  /** Counts what this run did (not reused), beside the cache's own counts of every run. */
  readonly tally?: RunTally;
  /** Throw AnalysisElsewhere where a tree analysis it needs is running in another worker (the CLI's workers then check another file first). */
  readonly mayDefer?: boolean;
}

/** What one run did: functions analysed afresh (every other one was reused). */
export interface RunTally {
  analysed: number;
}

/**
 * Whether the run checks a file, and how the index of functions names it when it does (a
 * document given as `/linux/mm/x.c` is `../linux/mm/x.c` there): the tree's definitions are
 * found under that spelling, never under the document's.
 */
export type CheckedFiles = (path: string) => string | undefined;

/** One run of an owner: the keys it used, gathered as it goes, for `FunctionCache.retain`. */
export interface Retention {
  readonly owner: string;
  readonly used: Set<string>;
}

/** What an analysis leaves behind, kept where it outlives the cache (the CLI's cache directory). */
export interface StoredAnalysis {
  readonly result: FunctionAnalysis;
  readonly text?: string;
  readonly summary: FunctionSummary | undefined;
  readonly row: number;
}

export interface AnalysisBacking {
  read(key: string): StoredAnalysis | undefined;
  write(key: string, stored: StoredAnalysis): void;
}

export class FunctionCache {
  private readonly lowerings: RetainedCache<Lowering>;
  private readonly analyses: RetainedCache<AnalysisEntry>;

  /** `spares`: how many lowerings and analyses no owner holds are kept (all of them, for a run without owners). */
  constructor(
    private readonly backing?: AnalysisBacking,
    spares = 3000,
  ) {
    this.lowerings = new RetainedCache(spares);
    this.analyses = new RetainedCache(spares);
  }

  private readonly details = new Lru<string, FunctionAnalysis>(32);
  private readonly returned = new WeakMap<AnalysedFunction, Returned>();
  /** How much work was done (not reused), for tests and logs. */
  readonly counts = { lowered: 0, analysed: 0, moved: 0 };

  /**
   * Lowers and analyses a source unit, reusing what did not change. A generator that pauses
   * after each function it had to analyse, so that a host can interleave other work.
   */
  *analyseUnit(parser: CParser, unit: SourceUnit, options: CachedUnitOptions): Generator<void, UnitResult, void> {
    const lowered = this.lower(parser, unit, options.tree, options.retention);
    const owner = options.retention?.owner;
    const use = (key: string) => options.retention?.used.add(key);
    const byName = new Map(lowered.functions.map((fn) => [fn.name, fn])); // the last definition wins, as in analyzeUnit
    const shared = contentHash(analysisKey(options), unitAnnotationsKey(lowered.unit.annotations), options.contextKey ?? '');
    const ignores = lowered.unit.annotations.filter((a) => a.kind === 'ignore');
    const { tree: _tree, workspaceFunctions, contextKey: _context, checkedFiles, tally: _tally, ...engineOptions } = options;
    const roots = checkedFiles ? { files: (path: string) => checkedFiles(path) !== undefined, key: options.contextKey ?? '' } : undefined;
    const tree = workspaceFunctions ? new TreeSummaries(workspaceFunctions, engineOptions, summaryStoreFor(workspaceFunctions), (name) => byName.has(name), roots) : undefined;
    const indexed = unit.kind === 'file' && unit.side === 'source' && unit.path && lowered.unit.allAnnotations.length === 0 ? checkedFiles?.(unit.path) : undefined;
    const fromTree = tree && indexed !== undefined ? { tree, file: indexed } : undefined;
    // the unit's own summaries, each at the row its function has now, and what they say (summaryFingerprint)
    const own = new Map<string, OwnSummary>();
    const summaries: SummaryLookup = { get: (name) => (byName.has(name) ? own.get(name)?.summary : tree?.get(name)) };
    const order = callOrder([...byName.values()], (fn) => fn.lowering.calls);
    if (tree && options.mayDefer) tree.prepare(new Set(order.functions.flatMap((fn) => [fn.name, ...fn.lowering.calls])), fromTree?.file);
    const analysed = new Map<string, { readonly entry: AnalysisEntry; readonly key: string }>();
    for (const fn of order.functions) {
      const root = !order.calledByOthers.has(fn.name) && !(options.calledElsewhere?.(fn.name) ?? false);
      // a callee counts by what its summary says, not by its text: an edit that leaves the summary as it was analyses no caller again
      const key = contentHash(
        fn.lowering.shape,
        shared,
        root ? 'root' : 'callee',
        ignores.map((a) => a.line - fn.row).join(','),
        ...[...fn.lowering.calls].sort().map((callee) => `${callee}=${byName.has(callee) ? (own.get(callee)?.key(byName.get(callee)!.row - fn.row) ?? '-') : tree ? treeCalleeKey(tree, callee) : '-'}`),
      );
      use(key);
      let entry = this.movedTo(fn, key, this.analyses.get(key, owner), owner);
      if (!entry) {
        const calleeSummaries = new RecordedLookup((name) => summaries.get(name));
        const entryFree = tree && new RecordedLookup(tree.entryFree);
        const context: AnalysisContext = { fn: fn.ir, unit: lowered.unit, summaries: { get: calleeSummaries.get }, ...(entryFree ? { entryFree: (name: string) => entryFree.get(name) ?? false } : {}), root, options: detailOptions(engineOptions) };
        const stored = this.backing?.read(key);
        if (stored && stored.text === fn.key) {
          entry = { ...stored, text: fn.key, context };
          this.analyses.set(key, entry, owner);
        } else {
          const taken = fromTree && treeAnalysis(fromTree.tree, fromTree.file, fn, root, (name) => byName.get(name)?.ir.contentHash);
          const result = taken || analyzeFunctionSafely(context.fn, context, engineOptions);
          // a root's key says no function of the unit calls it: its summary would only take memory (megabytes of formulas per file)
          entry = { result: result.analysis, summary: root ? undefined : result.summary, row: fn.row, text: fn.key, context };
          // the detail, computed again later, asks for what this analysis asked for: keep the answers, not the run
          calleeSummaries.freeze();
          entryFree?.freeze();
          this.counts.analysed++;
          if (options.tally) options.tally.analysed++;
          // a cancelled analysis, or one out of its time, is cut short: never reuse it
          if (!options.isCancelled?.() && !stoppedEarly(result.analysis)) {
            this.analyses.set(key, entry, owner);
            // one taken from the tree's is kept there already (a later run takes it from there again)
            if (!taken) this.backing?.write(key, { result: entry.result, summary: entry.summary, row: entry.row, text: fn.key });
          }
          yield;
        }
      }
      own.set(fn.name, ownSummary(entry, fn.row));
      analysed.set(fn.name, { entry, key });
    }
    const functions: AnalysedFunction[] = [];
    for (const fn of lowered.functions) {
      const { entry, key } = analysed.get(fn.name)!;
      const where = `${fn.row}|${unit.side}|${unit.path}|${unit.hunkIndexes.join(',')}`;
      if (entry.returned?.where !== where) {
        const analysedFn: AnalysedFunction = { ...shiftLines(entry.result, fn.row - entry.row), side: unit.side, path: unit.path, hunkIndexes: unit.hunkIndexes };
        this.returned.set(analysedFn, { key, entry, row: fn.row });
        entry.returned = { where, fn: analysedFn };
      }
      functions.push(entry.returned.fn);
    }
    return { unit, functions, annotations: lowered.unit.allAnnotations, annotationErrors: lowered.unit.annotationErrors };
  }

  /**
   * A kept analysis for `fn`: as kept when it is of the same text (lines above may have moved it:
   * returned results are shifted), else moved onto this text, whose IR differs in positions only.
   * Undefined when it cannot be moved (then the function is analysed again).
   */
  private movedTo(fn: UnitFunction, key: string, entry: AnalysisEntry | undefined, owner: string | undefined): AnalysisEntry | undefined {
    if (!entry || entry.text === fn.key) return entry;
    // moved by whole lines too: the detail, analysed again later, would read callees' summaries as they were then
    const move = entry.row === fn.row ? positionMove(entry.context.fn, fn.ir) : undefined;
    const result = move && movePositions(entry.result, move);
    const summary = move && movePositions(entry.summary, move);
    if (!result || (entry.summary && !summary)) return undefined;
    const moved: AnalysisEntry = { result, summary, row: fn.row, text: fn.key, context: { ...entry.context, fn: fn.ir } };
    this.analyses.set(key, moved, owner);
    this.counts.moved++;
    return moved;
  }

  /** Analyses some owner holds (for tests and logs). */
  get heldAnalyses(): number {
    return this.analyses.heldCount;
  }

  /** After a finished run: its owner holds only what the run used; the rest may go. */
  retain(retention: Retention): void {
    this.lowerings.retain(retention.owner, retention.used);
    this.analyses.retain(retention.owner, retention.used);
  }

  /** The owner is gone (its document closed): nothing is held for it any more. */
  release(owner: string): void {
    this.lowerings.release(owner);
    this.analyses.release(owner);
  }

  /** The full analysis of a function returned by `analyseUnit` (undefined for any other object). */
  detail(fn: AnalysedFunction): FunctionDetail | undefined {
    const returned = this.returned.get(fn);
    if (!returned) return undefined;
    const { context, row } = returned.entry;
    const detailKey = `${returned.key}|${returned.entry.text}`;
    let full = this.details.get(detailKey);
    if (!full) {
      full = analyzeFunctionSafely(context.fn, context, { ...context.options, detail: 'full' }).analysis;
      this.details.set(detailKey, full);
    }
    const delta = returned.row - row;
    return {
      analysis: { ...shiftLines(full, delta), side: fn.side, path: fn.path, hunkIndexes: fn.hunkIndexes },
      ir: shiftLines(context.fn, delta),
    };
  }

  /** As lowerUnit does, but one function at a time, each reused when its key is known. */
  private lower(parser: CParser, unit: SourceUnit, tree: Tree | undefined, retention: Retention | undefined): { functions: UnitFunction[]; unit: IrUnit } {
    const owned = tree ? undefined : parser.parse(unit.text);
    try {
      const root = (tree ?? owned)!.rootNode;
      const source = new UnitSource(unit.text, unit.positionMap);
      const definitions = functionDefinitions(root);
      const placed = place(source, definitions);
      const fragment = unit.kind === 'fragment';
      // Through a position map, positions do not move with rows: the map and row are part of the key.
      const mapped = unit.positionMap.kind === 'identity' ? '' : contentHash(JSON.stringify(unit.positionMap), unit.functionName ?? '');
      const functions = definitions.map((definition, i) => {
        const start = definition.startPosition;
        const annotations = placed.functions[i]!;
        const placedAt = annotations.annotations.map((a) => a.range.start.line - start.row).join(',');
        const key = contentHash(source.textOf(definition), `${start.column}${fragment ? ' fragment' : ''}`, mapped && `${mapped}@${start.row}`, placedAt, ...annotations.leadingText);
        retention?.used.add(key);
        let lowering = this.lowerings.get(key, retention?.owner);
        if (!lowering) {
          const ir = detached(lowerFunction(definition, source, annotations, { fragment, fragmentName: unit.functionName }));
          lowering = { ir, row: start.row, calls: calledNames(ir), shape: mapped ? key : contentHash(irShape(ir), placedAt, ...annotations.leadingText) };
          this.lowerings.set(key, lowering, retention?.owner);
          this.counts.lowered++;
        }
        return new UnitFunction(key, lowering, start.row);
      });
      // The engine reads only the unit's annotations; its functions come through the callee map.
      return { functions, unit: { functions: [], annotations: placed.unit, allAnnotations: placed.all, annotationErrors: placed.errors } };
    } finally {
      if (owned) parser.release(owned);
    }
  }
}

/** A summary of the unit's own, for its callers: moved to where its function is now only when a caller is analysed. */
interface OwnSummary {
  readonly summary: FunctionSummary | undefined;
  /** What the key of a caller `offset` rows above it says of it. */
  key(offset: number): string;
}

function ownSummary(entry: AnalysisEntry, row: number): OwnSummary {
  let moved: { readonly summary: FunctionSummary | undefined } | undefined;
  return {
    get summary() {
      moved ??= { summary: shiftLines(entry.summary, row - entry.row) };
      return moved.summary;
    },
    key: (offset) => ownCalleeKey(entry.summary, entry.row, offset),
  };
}

/** What a caller's analysis takes from a function of the tree: that it touches no entry, or its summary. */
function treeCalleeKey(tree: TreeSummaries, callee: string): string {
  return tree.entryFree(callee) ? 'entry-free' : summaryFingerprint(tree.get(callee));
}

/** The unit's @mm annotations placed on its functions (extents are only computed when there are any). */
function place(source: UnitSource, definitions: readonly Parameters<typeof functionExtent>[0][]): PlacedAnnotations {
  const none = (errors: PlacedAnnotations['errors']): PlacedAnnotations => ({
    unit: [],
    all: [],
    errors,
    functions: definitions.map(() => ({ annotations: [], states: [], leadingText: [] })),
  });
  if (!ANNOTATION_MARKER.test(source.text)) return none([]);
  try {
    return placeAnnotations(source, definitions.map(functionExtent));
  } catch (error) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return none([{ kind: 'annotation-error', message: `@mm annotations could not be read: ${(error as Error)?.message ?? error}`, range }]);
  }
}

/**
 * A document function's analysis taken from the tree's, when the tree's definition is this one:
 * as a root it is that analysis; as a callee whose summary the callers use, it reports nothing.
 */
function treeAnalysis(tree: TreeSummaries, file: string, fn: UnitFunction, root: boolean, ownHash: (name: string) => string | undefined): FunctionResult | undefined {
  const analysed = tree.rootAnalysis(fn.name, file, fn.ir.contentHash, ownHash);
  if (!analysed) return undefined;
  // the document's own file goes unnamed, as when the document is analysed (in the finding and the calls that reach it)
  const own = <T extends { readonly file?: string }>(item: T): T => (item.file === file ? withoutFile(item) : item);
  const findings = root || !analysed.summary ? analysed.analysis.findings.map((finding) => ({ ...own(finding), ...(finding.via ? { via: finding.via.map(own) } : {}) })) : [];
  const paths = findings.length === analysed.analysis.findings.length ? analysed.analysis.paths : analysed.analysis.paths.map((path) => ({ ...path, hazards: [] }));
  return { analysis: { ...analysed.analysis, findings, paths }, summary: analysed.summary };
}

function withoutFile<T extends { readonly file?: string }>(item: T): T {
  const { file: _file, ...rest } = item;
  return rest as T;
}

function analysisKey(options: AnalysisOptions): string {
  return JSON.stringify({ engine: optionsKey(options), detail: options.detail ?? 'full' });
}

/**
 * A copy of a function's IR that shares no string with the document. The IR's names and texts
 * are slices of the text they were lowered from, and V8 keeps a whole string alive for any slice
 * of it: a cached IR would hold the document's text as it was then, one copy per edit.
 */
function detached(ir: IrFunction): IrFunction {
  return JSON.parse(JSON.stringify(ir)) as IrFunction;
}

/**
 * Answers to a run's lookups, recorded as they are made; once frozen it answers from the record
 * alone and no longer holds the run (its options, trees, units and other functions).
 */
class RecordedLookup<T> {
  private readonly answers = new Map<string, T>();

  constructor(private live: ((name: string) => T) | undefined) {}

  readonly get = (name: string): T | undefined => {
    if (this.answers.has(name) || !this.live) return this.answers.get(name);
    const answer = this.live(name);
    this.answers.set(name, answer);
    return answer;
  };

  freeze(): void {
    this.live = undefined;
  }
}

/** What an analysis run again for its detail needs of the run's options; nothing that belongs to the run itself. */
function detailOptions(options: AnalysisOptions): AnalysisOptions {
  const { profile, bounds, rules, placeable, startBudget, model } = options;
  return { profile, bounds, rules, placeable, startBudget, model };
}

/**
 * The unit's own annotations without their positions (lines inserted above them do not matter;
 * `ignore`, which the engine matches by line, adds its line relative to each function).
 */
function unitAnnotationsKey(annotations: readonly Annotation[]): string {
  return JSON.stringify(annotations.map(({ range: _range, line: _line, ...rest }) => rest));
}
