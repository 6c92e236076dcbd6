// One run per open scenario document and version (docs/scenarios.md), shared by its code lens,
// diagnostics and trace view. A scenario's `source` file is read from the editor when it is open
// there, else from disk; its calls also resolve in the functions around it (its kernel tree —
// `mmlens.tree`, else found above it — or its directory). An edit to the scenario, or to any open
// C file, makes the runs stale.
//
// A run goes in slices (the exploration pauses every few dozen transitions), so the server keeps
// reading messages meanwhile and a cancellation reaches it: the run stops when the request that
// asked for it explicitly (mmlens/scenario, the Run scenario command) is cancelled, or when every
// request waiting for it is; a stopped run is dropped, so nothing it had found is shown or kept.

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Emitter, LSPErrorCodes, ResponseError, type CancellationToken, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { KernelTree } from '../inputs/kernelTree';
import { runScenarioSteps, type ScenarioReport } from '../scenario/runScenarioText';
import { ScenarioIndexes } from '../scenario/scenarioIndexes';
import type { CParser } from '../parsing';
import { SCENARIO_EXTENSION, SCENARIO_LANGUAGE } from '../protocol';
import { openTreeQuietly } from './documentAnalyses';
import { contentModified, throwIfCancelled, untilCancelled } from './requests';
import type { SettingsStore } from './settingsStore';
import { filePath, type WorkspaceFolders } from './workspaceFolders';

/** Quiet time after an edit before running (requests do not wait for it). */
const DEBOUNCE_MS = 150;
/** Work done between two looks at the message queue. */
const SLICE_MS = 15;

export interface ScenarioResult {
  readonly uri: string;
  readonly version: number;
  readonly report: ScenarioReport;
}

/** A scenario document: by its language id, or by its extension where the client does not know the language. */
export function isScenarioDocument(document: { readonly uri: string; readonly languageId: string }): boolean {
  return document.languageId === SCENARIO_LANGUAGE || document.uri.endsWith(SCENARIO_EXTENSION);
}

/** What a request waiting on a stopped run is answered with. */
export function scenarioCancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'the scenario run was cancelled; nothing changed');
}

interface Run {
  readonly version: number;
  readonly generation: number;
  /** Started by a request (not by the pause after an edit): it stops when no request waits for it any more. */
  readonly requested: boolean;
  /** The document changed or closed: the run's answer would be about text that is gone. */
  superseded: boolean;
  /** Cancelled: it stops at its next pause and answers nobody. */
  stopped: boolean;
  waiting: number;
  promise: Promise<ScenarioResult>;
}

export interface WaitOptions {
  readonly token?: CancellationToken;
  /** The request asked for this run itself: cancelling it stops the run, whoever else waits. */
  readonly cancelStopsRun?: boolean;
}

export class ScenarioRuns {
  private readonly results = new Map<string, ScenarioResult & { readonly generation: number }>();
  private readonly runs = new Map<string, Run>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ran = new Emitter<ScenarioResult>();
  private readonly indexes: ScenarioIndexes;
  /** Bumped when something every run reads changed (an open C file, the settings). */
  private generation = 0;

  /** Fired after each finished run (diagnostics are pushed from here). */
  readonly onDidRun = this.ran.event;

  constructor(
    private readonly parser: CParser,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    private readonly folders: WorkspaceFolders,
    /** Where a stopped run is reported (the server's log). */
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.indexes = new ScenarioIndexes(parser, (path) => this.openText(path));
  }

  isScenario(uri: string): boolean {
    const document = this.documents.get(uri);
    return document !== undefined && isScenarioDocument(document);
  }

  /** A document changed: its run is stale, and so is every scenario's when a C file changed (it may be a source, or called). */
  changed(uri: string): void {
    if (!this.isScenario(uri)) {
      const path = filePath(uri);
      if (path) this.indexes.changed(path);
      this.invalidate();
      return;
    }
    this.results.delete(uri);
    const run = this.runs.get(uri);
    if (run) run.superseded = true;
    // run after a pause in typing, so that clients without pull diagnostics get them pushed
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        if (this.isScenario(uri)) this.ensure(uri, false).promise.catch(() => undefined); // superseded or stopped meanwhile: the next request runs it
      }, DEBOUNCE_MS),
    );
  }

  /** Something every run reads changed (settings, an open C file): results are stale; runs under way finish for those who wait. */
  invalidate(): void {
    this.generation++;
    this.results.clear();
  }

  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.results.delete(uri);
    const run = this.runs.get(uri);
    if (run) run.superseded = true;
    this.runs.delete(uri);
  }

  /**
   * The run of the scenario as it is now; undefined when the document is not an open scenario.
   * Rejects with RequestCancelled when the token is cancelled (the run stops as the header says)
   * and ContentModified when the document changes before the run is done.
   */
  async current(uri: string, options: WaitOptions = {}): Promise<ScenarioResult | undefined> {
    const { token } = options;
    throwIfCancelled(token);
    if (!this.isScenario(uri)) return undefined;
    const kept = this.results.get(uri);
    if (kept && kept.version === this.documents.get(uri)!.version && kept.generation === this.generation) return kept;
    const run = this.ensure(uri, true);
    run.waiting++;
    const listener = token?.onCancellationRequested(() => {
      run.waiting--;
      if (options.cancelStopsRun || (run.requested && run.waiting === 0)) run.stopped = true;
    });
    try {
      const result = await (token ? untilCancelled(run.promise, token, scenarioCancelled) : run.promise);
      if (this.documents.get(uri)?.version !== result.version) throw contentModified(uri);
      return result;
    } finally {
      listener?.dispose();
    }
  }

  private ensure(uri: string, requested: boolean): Run {
    const document = this.documents.get(uri)!;
    const running = this.runs.get(uri);
    if (running && !running.superseded && !running.stopped && running.version === document.version && running.generation === this.generation) return running;
    if (running) running.superseded = true;
    const run: Run = { version: document.version, generation: this.generation, requested, superseded: false, stopped: false, waiting: 0, promise: Promise.resolve(undefined as never) };
    run.promise = this.execute(document, run).finally(() => {
      if (this.runs.get(uri) === run) this.runs.delete(uri);
    });
    run.promise.catch(() => undefined); // a run may have no one waiting
    this.runs.set(uri, run);
    return run;
  }

  private async execute(document: TextDocument, run: Run): Promise<ScenarioResult> {
    const { uri, version } = document;
    const path = filePath(uri);
    const tree = path ? await this.namedTree(uri) : undefined;
    const steps = runScenarioSteps(this.parser, document.getText(), {
      ...(path ? { path, around: this.indexes.around(path, tree, this.folders.rootOf(path) ?? dirname(path)) } : {}),
      readSource: (source) => this.openText(source) ?? readFileSync(source, 'utf8'),
    });
    const started = performance.now();
    let slice = started;
    for (;;) {
      if (run.superseded || run.stopped) {
        steps.return(undefined as never);
        if (run.superseded) throw contentModified(uri);
        this.log(`mmlens: the scenario run of ${uri} (version ${version}) was cancelled after ${Math.round(performance.now() - started)} ms`);
        throw scenarioCancelled();
      }
      const step = steps.next();
      if (step.done) {
        const result = { uri, version, report: step.value };
        if (run.generation === this.generation) {
          this.results.set(uri, { ...result, generation: run.generation });
          this.ran.fire(result);
        }
        return result;
      }
      if (performance.now() - slice < SLICE_MS) continue;
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }

  /** The tree `mmlens.tree` names for the document, when it is one. */
  private async namedTree(uri: string): Promise<KernelTree | undefined> {
    const root = (await this.settings.get(uri)).tree;
    return root ? openTreeQuietly(root) : undefined;
  }

  private openText(path: string): string | undefined {
    return this.documents.get(pathToFileURL(path).toString())?.getText();
  }
}
