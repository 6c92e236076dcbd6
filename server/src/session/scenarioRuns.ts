// One run per open scenario document and version (docs/scenarios.md), shared by its code lens,
// diagnostics and trace view. A scenario's `source` file is read from the editor when it is open
// there, else from disk; an edit to the scenario, or to any open C file, makes the runs stale.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Emitter, type CancellationToken, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runScenarioText, type ScenarioReport } from '../scenario/runScenarioText';
import type { CParser } from '../parsing';
import { SCENARIO_EXTENSION, SCENARIO_LANGUAGE } from '../protocol';
import { throwIfCancelled } from './requests';
import { filePath } from './workspaceFolders';

/** Quiet time after an edit before running (requests do not wait for it). */
const DEBOUNCE_MS = 150;

export interface ScenarioResult {
  readonly uri: string;
  readonly version: number;
  readonly report: ScenarioReport;
}

/** A scenario document: by its language id, or by its extension where the client does not know the language. */
export function isScenarioDocument(document: { readonly uri: string; readonly languageId: string }): boolean {
  return document.languageId === SCENARIO_LANGUAGE || document.uri.endsWith(SCENARIO_EXTENSION);
}

export class ScenarioRuns {
  private readonly results = new Map<string, ScenarioResult>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly ran = new Emitter<ScenarioResult>();

  /** Fired after each run (diagnostics are pushed from here). */
  readonly onDidRun = this.ran.event;

  constructor(
    private readonly parser: CParser,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  isScenario(uri: string): boolean {
    const document = this.documents.get(uri);
    return document !== undefined && isScenarioDocument(document);
  }

  /** A document changed: its run is stale, and so is every scenario's when a C file changed (it may be a source). */
  changed(uri: string): void {
    if (!this.isScenario(uri)) {
      this.results.clear();
      return;
    }
    this.results.delete(uri);
    // run after a pause in typing, so that clients without pull diagnostics get them pushed
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        try {
          this.current(uri);
        } catch {
          // superseded or closed meanwhile: the next request runs it
        }
      }, DEBOUNCE_MS),
    );
  }

  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.results.delete(uri);
  }

  /** The run of the scenario as it is now; undefined when the document is not an open scenario. */
  current(uri: string, token?: CancellationToken): ScenarioResult | undefined {
    throwIfCancelled(token);
    const document = this.documents.get(uri);
    if (!document || !isScenarioDocument(document)) return undefined;
    const kept = this.results.get(uri);
    if (kept && kept.version === document.version) return kept;
    const path = filePath(uri);
    const report = runScenarioText(this.parser, document.getText(), {
      ...(path ? { path } : {}),
      readSource: (source) => this.documents.get(pathToFileURL(source).toString())?.getText() ?? readFileSync(source, 'utf8'),
      explore: { isCancelled: () => token?.isCancellationRequested ?? false },
    });
    throwIfCancelled(token);
    const result = { uri, version: document.version, report };
    this.results.set(uri, result);
    this.ran.fire(result);
    return result;
  }
}
