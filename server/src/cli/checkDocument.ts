// One document as `mmlens check` analyses it: findings only (no rendered traces of
// every path), a time budget per function, the workspace for patches.

import { analyzeDocument, type DocumentAnalysis } from '../analysis/analyzeDocument';
import { withHeaderLaws } from '../analysis/headerFindings';
import { functionBudget } from '../analysis/functionBudget';
import { calledFromElsewhere, type CallSiteIndex } from '../analysis/callSites';
import { FunctionCache } from '../analysis/functionCache';
import { summaryStoreFor } from '../analysis/treeSummaries';
import { analysisBacking, fileResultBacking, loweringBacking, summaryBacking } from './summaryCache';
import { FileResults, type DependencyAnswers } from '../analysis/fileResults';
import { contentHash } from '../lowering';
import { treeModel } from '../headers/deriveFromTree';
import { treeOnDisk, type SourceTree } from '../headers/sourceTree';
import { filesAround, indexedPath, WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { dirname, resolve } from 'node:path';
import { parseProfile } from '../../../simulator/src';
import { workspaceFilesAt } from '../inputs';
import { findKernelTree, type KernelTree } from '../inputs/kernelTree';
import type { CParser } from '../parsing';
import { chooseModel, type ModelSetting } from '../analysis/helperModel';

/**
 * Each function gets this long; what is cut is reported as a note on the function. The CLI's
 * work is bounded by the BDD node and path limits, which give the same result on every run; the
 * clock (which does not, on a loaded machine) is only a safety net here, unlike in the editor.
 */
export const FUNCTION_BUDGET_MS = 30_000;

/** Plain data, so that it can be posted to a worker. */
export interface CheckSettings {
  /** None: each document's tree or mail headers choose. */
  readonly profile?: string;
  /** `--tree`, read once. */
  readonly tree?: KernelTree;
  /** `--model`: the helpers' model for code in a kernel tree (default derived). */
  readonly helperModel?: ModelSetting;
  readonly rules?: readonly string[];
  /** Where patches are applied to the workspace's files. */
  readonly cwd: string;
  /** Calls between the checked files: a function called from another one is judged there. */
  readonly callSites?: CallSiteIndex;
  /** The checked files (as their documents name them): findings may be placed in any of them. */
  readonly checkedPaths?: readonly string[];
  /** Where analyses and summaries are kept between runs (none: not kept). */
  readonly cacheDirectory?: string;
}

/** One index of functions per kernel tree and architecture (or per directory outside a tree), shared by the files checked there. */
const indexes = new Map<string, WorkspaceFunctions>();

function workspaceFunctionsFor(parser: CParser, path: string, settings: CheckSettings): WorkspaceFunctions | undefined {
  if (!C_SOURCE.test(path)) return undefined;
  const { cwd } = settings;
  const directory = resolve(cwd, dirname(path));
  const tree = settings.tree ?? findKernelTree(resolve(cwd, path));
  const arch = settings.profile ? parseProfile(settings.profile).arch : (tree?.config?.arch ?? 'x86_64');
  const { key, files } = filesAround(directory, tree, arch, cwd);
  let functions = indexes.get(key);
  if (!functions) {
    functions = new WorkspaceFunctions(parser, files, settings.cacheDirectory ? loweringBacking(settings.cacheDirectory) : undefined);
    indexes.set(key, functions);
    // the store every analysis through this index shares; on disk when the run keeps a cache
    summaryStoreFor(functions, settings.cacheDirectory ? summaryBacking(settings.cacheDirectory) : undefined);
  }
  return functions;
}

/** The function analyses of a worker, kept on disk when the run keeps a cache. */
let functionCache: { readonly directory: string | undefined; readonly cache: FunctionCache } | undefined;

function functionCacheFor(settings: CheckSettings): FunctionCache {
  if (!functionCache || functionCache.directory !== settings.cacheDirectory) {
    functionCache = { directory: settings.cacheDirectory, cache: new FunctionCache(settings.cacheDirectory ? analysisBacking(settings.cacheDirectory) : undefined) };
  }
  return functionCache.cache;
}

const C_SOURCE = /\.[ch]$/;

/** Whole results of checked C files, kept on disk when the run keeps a cache. */
let fileResults: { readonly directory: string; readonly results: FileResults } | undefined;

function fileResultsFor(settings: CheckSettings): FileResults | undefined {
  if (!settings.cacheDirectory) return undefined;
  if (fileResults?.directory !== settings.cacheDirectory) fileResults = { directory: settings.cacheDirectory, results: new FileResults(fileResultBacking(settings.cacheDirectory)) };
  return fileResults.results;
}

/** The helpers' model each setting, tree and profile gets, as analyses state it: read once a run (the tree's headers do not change during one). */
const models = new Map<string, string>();

function modelOf(setting: ModelSetting, tree: KernelTree | undefined, profile: string): string {
  const key = JSON.stringify([setting, tree?.root ?? null, profile]);
  let model = models.get(key);
  if (model === undefined) {
    model = JSON.stringify(chooseModel(setting, tree, profile).choice);
    models.set(key, model);
  }
  return model;
}

/** The headers of each tree, read once a run. */
const headerTrees = new Map<string, SourceTree>();

function headersOf(root: string): SourceTree {
  let tree = headerTrees.get(root);
  if (!tree) {
    tree = treeOnDisk(root);
    headerTrees.set(root, tree);
  }
  return tree;
}

/** The headers the model of `profile` derived from the tree at `root` read (it was just derived for the analysis: no new work), each with a hash. */
function modelHeadersOf(root: string, profile: string): readonly (readonly [string, string])[] | undefined {
  try {
    const tree = headersOf(root);
    return treeModel(tree, parseProfile(profile)).headers.files.map((file) => [file, contentHash(tree.read(file) ?? '')] as const);
  } catch {
    return undefined;
  }
}

/** How much of the check this thread did and reused (for tests and logs). */
export function checkCounts(): { readonly files: FileResults['counts'] | undefined; readonly functions: FunctionCache['counts'] | undefined; readonly treeLowered: number } {
  const treeLowered = [...indexes.values()].reduce((sum, index) => sum + index.counts.lowered, 0);
  return { files: fileResults?.results.counts, functions: functionCache?.cache.counts, treeLowered };
}

/** Forgets what this thread kept in memory between documents, as a new process would (tests of the cache directory). */
export function forgetCheckMemory(): void {
  indexes.clear();
  functionCache = undefined;
  fileResults = undefined;
  models.clear();
  headerTrees.clear();
}

/**
 * `mayDefer`: throw AnalysisElsewhere (analysis/treeSummaries.ts) where a tree analysis the
 * document needs is running in another worker, so that this one checks another file meanwhile.
 */
export function analyzeForCheck(parser: CParser, document: { readonly path: string; readonly text: string }, settings: CheckSettings, mayDefer = false): DocumentAnalysis {
  const workspaceFunctions = workspaceFunctionsFor(parser, document.path, settings);
  const results = workspaceFunctions && fileResultsFor(settings);
  if (!results) return withLawsOf(analyzeAfresh(parser, document, settings, workspaceFunctions, mayDefer).analysis, document, settings);
  const diskPath = resolve(settings.cwd, document.path);
  const tree = settings.tree ?? findKernelTree(diskPath);
  const { callSites: _callSites, cacheDirectory: _directory, ...rest } = settings;
  const key = contentHash(document.path, document.text, JSON.stringify({ ...rest, tree: tree ?? null }));
  const answers: DependencyAnswers = {
    fingerprint: (name, from) => workspaceFunctions.fingerprint(name, from),
    calledElsewhere: (name) => (settings.callSites ? calledFromElsewhere(settings.callSites, name, document.path) : false),
    model: (profile) => modelOf(settings.helperModel ?? 'derived', tree, profile),
    modelHeaders: (profile) => (tree ? modelHeadersOf(tree.root, profile) : undefined),
    headerHash: (file) => (tree ? contentHash(headersOf(tree.root).read(file) ?? '') : ''),
  };
  const analysis = results.resultOf(key, answers, () => {
    const { result, lookups } = workspaceFunctions.recordLookups(() => analyzeAfresh(parser, document, settings, workspaceFunctions, mayDefer));
    return { analysis: result.analysis, definitions: lookups, calledElsewhere: result.calledElsewhere };
  });
  // a header's laws read the tree's other headers, which the kept result does not record: checked every run
  return withLawsOf(analysis, document, settings);
}

function withLawsOf(analysis: DocumentAnalysis, document: { readonly path: string; readonly text: string }, settings: CheckSettings): DocumentAnalysis {
  return withHeaderLaws(analysis, document.text, {
    diskPath: resolve(settings.cwd, document.path),
    cwd: settings.cwd,
    ...(settings.tree ? { tree: settings.tree } : {}),
    ...(settings.rules ? { rules: new Set(settings.rules) } : {}),
  });
}

/** The document analysed (what the per-function caches hold is reused), and which of its functions it asked other checked files about. */
function analyzeAfresh(
  parser: CParser,
  document: { readonly path: string; readonly text: string },
  settings: CheckSettings,
  workspaceFunctions: WorkspaceFunctions | undefined,
  mayDefer: boolean,
): { readonly analysis: DocumentAnalysis; readonly calledElsewhere: ReadonlyMap<string, boolean> } {
  const callSites = settings.callSites;
  const asked = new Map<string, boolean>();
  const calledElsewhere = (name: string) => {
    const called = calledFromElsewhere(callSites!, name, document.path);
    asked.set(name, called);
    return called;
  };
  // findings name the files of the index as it does, whatever the checked files' spelling
  const checked = new Set((settings.checkedPaths ?? [document.path]).map((path) => indexedPath(path, settings.cwd)));
  const checkedAs = (file: string) => {
    const indexed = indexedPath(file, settings.cwd);
    return checked.has(indexed) ? indexed : undefined;
  };
  const analysis = analyzeDocument(parser, document.text, {
    cache: functionCacheFor(settings),
    contextKey: [...checked].sort().join('\n'),
    ...(callSites ? { calledElsewhere } : {}),
    placeable: (file) => file === undefined || checkedAs(file) !== undefined,
    checkedFiles: checkedAs,
    path: document.path,
    ...(workspaceFunctions ? { workspaceFunctions } : {}),
    ...(settings.profile !== undefined ? { profile: settings.profile, profileGivenBy: 'flag' as const } : {}),
    ...(settings.tree ? { kernelTree: settings.tree } : {}),
    ...(settings.helperModel ? { helperModel: settings.helperModel } : {}),
    diskPath: resolve(settings.cwd, document.path),
    workspace: workspaceFilesAt(settings.cwd),
    detail: 'findings',
    mayDefer,
    startBudget: functionBudget(FUNCTION_BUDGET_MS),
    ...(settings.rules ? { rules: new Set(settings.rules) } : {}),
  });
  return { analysis, calledElsewhere: asked };
}
