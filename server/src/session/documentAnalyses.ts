// One analysis per open document and version, shared by every request about that version. It
// starts after a pause in typing (debounce) or at once when a request needs it, and runs in
// slices so that the server keeps reading messages meanwhile. An edit, a close or a settings
// change supersedes a running analysis: whoever waits on it gets ContentModified, and the
// function cache keeps every function it finished. C documents keep their syntax tree between
// versions (incremental parsing).

import { performance } from 'node:perf_hooks';
import { Emitter, type CancellationToken, type Connection, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocumentSteps, type AnalysedFunction, type DocumentAnalysis, type DocumentOptions } from '../analysis/analyzeDocument';
import { FunctionCache, type FunctionDetail, type Retention } from '../analysis/functionCache';
import { functionBudget } from '../analysis/functionBudget';
import { directoryFiles, WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseProfile } from '../inputs/profileChoice';
import { KernelTreeError, openKernelTree, type KernelTree } from '../inputs/kernelTree';
import { withHeaderLaws } from '../analysis/headerFindings';
import type { DocumentKind } from '../inputs/types';
import { DocumentTreeStore, type CParser } from '../parsing';
import type { MmlensSettings } from '../protocol';
import { contentModified, throwIfCancelled, untilCancelled } from './requests';
import type { SettingsStore } from './settingsStore';
import { filePath, type WorkspaceFolders } from './workspaceFolders';

/** Larger documents are not analysed (a 10 MB file would take the parser most of a minute). */
export const MAX_ANALYSED_LENGTH = 2 * 1024 * 1024;
/** Quiet time after an edit before analysing (requests for the document do not wait for it). */
const DEBOUNCE_MS = 150;
/** Work done between two looks at the message queue. */
const SLICE_MS = 15;
/** Functions' lowerings and analyses kept beyond what the open documents are made of (what an undo needs back). */
const SPARE_ANALYSES = 64;
/**
 * Documents whose syntax tree is kept for incremental parsing: the one being typed in. A tree of a
 * large file holds megabytes of the parser's WASM memory, which never shrinks once grown; any
 * other document is parsed afresh when it changes (one parse, then its edits are incremental).
 */
const KEPT_TREES = 1;

export interface DocumentResult {
  readonly uri: string;
  readonly version: number;
  /** The text analysed (positions in the results refer to it). */
  readonly text: string;
  readonly settings: MmlensSettings;
  /** The profile's canonical name as the document chose it (`analysis.profile` says why); an `@mm profile` on a function may still choose another for it. */
  readonly profile: string;
  readonly analysis: DocumentAnalysis;
  /** Why the document was not analysed, when it was not. */
  readonly skipped?: string;
  readonly durationMs: number;
  /** Functions analysed afresh for this result (the others were reused from earlier versions). */
  readonly analysedFunctions: number;
}

interface Run {
  readonly version: number;
  readonly generation: number;
  superseded: boolean;
  promise: Promise<DocumentResult>;
}

const EMPTY_ANALYSIS: DocumentAnalysis = { kind: 'empty', functions: [], findings: [], problems: [], annotations: [], annotationErrors: [], hunks: [] };

export class DocumentAnalyses {
  private readonly results = new Map<string, DocumentResult & { readonly generation: number }>();
  private readonly runs = new Map<string, Run>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly trees: DocumentTreeStore;
  private readonly cache = new FunctionCache(undefined, SPARE_ANALYSES);
  /** Per directory with an open document: the index of its functions, and the documents edited since it was built. */
  private readonly directories = new Map<string, { readonly functions: WorkspaceFunctions; readonly editedSince: Set<string> }>();
  private readonly analysed = new Emitter<DocumentResult>();
  private generation = 0;

  /** Fired after each finished analysis (diagnostics are pushed and the status sent from here). */
  readonly onDidAnalyse = this.analysed.event;

  constructor(
    private readonly parser: CParser,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly folders: WorkspaceFolders,
    private readonly connection: Connection,
  ) {
    this.trees = new DocumentTreeStore(parser, KEPT_TREES);
  }

  /** After an open or an edit: supersede the older analysis, analyse again after a pause. */
  changed(uri: string): void {
    this.noteEdit(uri);
    const version = this.documents.get(uri)?.version;
    const run = this.runs.get(uri);
    if (run && run.version !== version) run.superseded = true;
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        if (this.documents.get(uri)) this.ensure(uri).catch((error) => this.logFailure(uri, error));
      }, DEBOUNCE_MS),
    );
  }

  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    const run = this.runs.get(uri);
    if (run) run.superseded = true;
    this.runs.delete(uri);
    this.results.delete(uri);
    this.trees.close(uri);
    this.cache.release(uri);
    this.settings.forget(uri);
    this.forgetDirectoryIndex(uri);
  }

  /** Directories whose index of functions is kept (for tests and logs). */
  get indexedDirectories(): number {
    return this.directories.size;
  }

  /** Settings changed: every result is outdated. */
  invalidate(): void {
    this.generation++;
    this.results.clear();
    for (const run of this.runs.values()) run.superseded = true;
    this.runs.clear();
  }

  /** Open documents (for re-pushing diagnostics after a settings change). */
  openUris(): string[] {
    return this.documents.keys();
  }

  /**
   * The analysis of the document as it is now; undefined for a document that is not open.
   * Rejects with RequestCancelled when `token` is cancelled and ContentModified when the
   * document changes before the analysis is done.
   */
  async current(uri: string, token?: CancellationToken): Promise<DocumentResult | undefined> {
    throwIfCancelled(token);
    if (!this.documents.get(uri)) return undefined;
    const result = await this.ensure(uri, token);
    if (this.documents.get(uri)?.version !== result.version) throw contentModified(uri);
    return result;
  }

  /** Every path's steps and every call site of one function of a current result. */
  detail(fn: AnalysedFunction): FunctionDetail | undefined {
    return this.cache.detail(fn);
  }

  private ensure(uri: string, token?: CancellationToken): Promise<DocumentResult> {
    const document = this.documents.get(uri);
    if (!document) return Promise.reject(contentModified(uri));
    const done = this.results.get(uri);
    if (done && done.version === document.version && done.generation === this.generation) return Promise.resolve(done);
    let run = this.runs.get(uri);
    if (!run || run.superseded || run.version !== document.version || run.generation !== this.generation) run = this.start(document);
    return token ? untilCancelled(run.promise, token) : run.promise;
  }

  private start(document: TextDocument): Run {
    const run: Run = { version: document.version, generation: this.generation, superseded: false, promise: Promise.resolve(undefined as never) };
    run.promise = this.analyse(document, run).finally(() => {
      if (this.runs.get(document.uri) === run) this.runs.delete(document.uri);
    });
    run.promise.catch(() => undefined); // a superseded run may have no one waiting
    this.runs.set(document.uri, run);
    return run;
  }

  private async analyse(document: TextDocument, run: Run): Promise<DocumentResult> {
    const { uri, version } = document;
    const started = performance.now();
    const settings = await this.settings.get(uri);
    if (run.superseded) throw contentModified(uri);
    const text = document.getText();
    let analysis = EMPTY_ANALYSIS;
    let skipped: string | undefined;
    const tally = { analysed: 0 };
    if (typeof text !== 'string') {
      skipped = 'the document has no text';
    } else if (text.length > MAX_ANALYSED_LENGTH) {
      this.trees.close(uri);
      skipped = `the document is ${(text.length / (1024 * 1024)).toFixed(1)} MB; mmlens analyses documents up to ${MAX_ANALYSED_LENGTH / (1024 * 1024)} MB`;
    } else {
      try {
        const retention = { owner: uri, used: new Set<string>() };
        analysis = this.withHeaderLaws(uri, text, settings, await this.runSteps(run, uri, analyzeDocumentSteps(this.parser, text, { ...this.options(document, text, settings, retention), tally })));
        this.cache.retain(retention);
      } catch (error) {
        if (run.superseded) throw error;
        this.logFailure(uri, error);
        skipped = `mmlens could not analyse this document: ${(error as Error).message}`;
      }
    }
    const profile = analysis.profile?.profile ?? chooseProfile({ given: settings.profile }).profile;
    const result = { uri, version, text, settings, profile, analysis, durationMs: Math.round(performance.now() - started), analysedFunctions: tally.analysed, ...(skipped ? { skipped } : {}) };
    this.results.set(uri, { ...result, generation: run.generation });
    this.analysed.fire(result);
    return result;
  }

  /** Runs the analysis generator, yielding to the event loop every SLICE_MS. */
  private async runSteps(run: Run, uri: string, steps: Generator<void, DocumentAnalysis, void>): Promise<DocumentAnalysis> {
    let slice = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - slice < SLICE_MS) continue;
      await new Promise((resolve) => setImmediate(resolve));
      if (run.superseded) {
        steps.return(EMPTY_ANALYSIS);
        throw contentModified(uri);
      }
      slice = performance.now();
    }
  }

  /**
   * Functions defined beside a C file on disk, for its calls to inline. Open documents give
   * their current text; the index of a directory is built once per session.
   */
  private workspaceFunctionsFor(uri: string): { workspaceFunctions?: WorkspaceFunctions } {
    const path = filePath(uri);
    if (!path || !/\.[ch]$/.test(path)) return {};
    const directory = dirname(path);
    let kept = this.directories.get(directory);
    // edits to this document do not matter here (its own definitions win); edits to the others do
    if (!kept || [...kept.editedSince].some((edited) => edited !== uri)) {
      const open = (file: string) => this.documents.get(pathToFileURL(file).href)?.getText();
      kept = { functions: new WorkspaceFunctions(this.parser, () => directoryFiles(directory, this.folders.rootOf(path) ?? directory, open)), editedSince: new Set() };
      this.directories.set(directory, kept);
    }
    return { workspaceFunctions: kept.functions };
  }

  /** A directory's index (every file's text, the functions lowered from them) lives while a document of it is open. */
  private forgetDirectoryIndex(closed: string): void {
    const path = filePath(closed);
    if (!path) return;
    const directory = dirname(path);
    const inDirectory = (uri: string) => uri !== closed && dirname(filePath(uri) ?? '') === directory;
    if (!this.documents.keys().some(inDirectory)) this.directories.delete(directory);
  }

  /** Notes an edit for the index of the document's directory. */
  private noteEdit(uri: string): void {
    const path = filePath(uri);
    if (path) this.directories.get(dirname(path))?.editedSince.add(uri);
  }

  private options(document: TextDocument, text: string, settings: MmlensSettings, retention: Retention): DocumentOptions {
    const { uri, version } = document;
    const path = documentPath(uri);
    return {
      ...(path ? { path } : {}),
      languageId: document.languageId,
      workspace: this.folders.files((other) => this.documents.get(other)?.getText()),
      profile: settings.profile,
      ...(settings.tree ? { kernelTree: settings.tree } : {}),
      helperModel: settings.model,
      bounds: { maxPaths: settings.bounds.maxPaths, maxLoopUnroll: settings.bounds.loopUnroll },
      startBudget: functionBudget(settings.bounds.functionBudgetMs),
      detail: 'findings',
      cache: this.cache,
      retention,
      ...this.workspaceFunctionsFor(uri),
      analyzeKind: (kind) => analyzeKind(kind, settings),
      sourceTree: () => {
        const kept = this.trees.get(uri) ? this.trees.update(uri, version, [{ text }]) : undefined;
        return (kept?.text === text ? kept : this.trees.open(uri, version, text)).tree;
      },
    };
  }

  /**
   * A patch to a kernel tree's headers: the laws it introduces and fixes, as `mmlens check`
   * reports them (a header's own laws are definitionDiagnostics', on its text as edited).
   */
  private withHeaderLaws(uri: string, text: string, settings: MmlensSettings, analysis: DocumentAnalysis): DocumentAnalysis {
    const path = filePath(uri);
    if (!path || analysis.kind === 'c-source') return analysis;
    const tree = settings.tree ? openTreeQuietly(settings.tree) : undefined;
    return withHeaderLaws(analysis, text, { diskPath: path, cwd: this.folders.rootOf(path) ?? dirname(path), ...(tree ? { tree } : {}) });
  }

  private logFailure(uri: string, error: unknown): void {
    if ((error as { code?: number }).code === contentModified(uri).code) return;
    this.connection.console.error(`mmlens: analysing ${uri} failed: ${(error as Error)?.stack ?? error}`);
  }
}

/** The tree `mmlens.tree` names, or none when it is not one (documentProfile reports that). */
export function openTreeQuietly(root: string): KernelTree | undefined {
  try {
    return openKernelTree(root);
  } catch (error) {
    if (error instanceof KernelTreeError) return undefined;
    throw error;
  }
}

/** Whether the settings let a document of this kind be analysed. */
function analyzeKind(kind: DocumentKind, settings: MmlensSettings): boolean {
  switch (kind) {
    case 'c-source':
      return settings.analyze.c;
    case 'unified-diff':
    case 'format-patch':
      return settings.analyze.patches;
    case 'mbox':
    case 'quoted-patch':
      return settings.analyze.email;
    default:
      return true;
  }
}

/** A file name for classification (`.c`, `.patch` …): the URI's path, for any scheme. */
function documentPath(uri: string): string | undefined {
  const local = filePath(uri);
  if (local) return local;
  try {
    return decodeURIComponent(new URL(uri).pathname) || undefined;
  } catch {
    return undefined;
  }
}
