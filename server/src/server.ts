// The mmlens language server. Wiring only: the connection (stdio with --stdio, IPC with
// --node-ipc, as vscode-languageserver reads them from the command line), the documents,
// the session every feature shares, and one register() per feature.

import { CodeActionKind, createConnection, Emitter, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as codeActions from './features/codeActions';
import * as codeLens from './features/codeLens';
import * as configuration from './features/configuration';
import * as diagnostics from './features/diagnostics';
import * as headerWatcher from './features/headerWatcher';
import * as hover from './features/hover';
import * as inlayHints from './features/inlayHints';
import * as scenarioTrace from './features/scenarioTrace';
import * as status from './features/status';
import * as trace from './features/trace';
import { CParser, defaultWasmPaths } from './parsing';
import { clientSupport, NO_SUPPORT, type ClientSupport } from './session/clientSupport';
import { DocumentAnalyses } from './session/documentAnalyses';
import { isScenarioDocument, ScenarioRuns } from './session/scenarioRuns';
import { listenToDocuments } from './session/documentSync';
import type { Session } from './session/session';
import { SettingsStore } from './session/settingsStore';
import { WorkspaceFolders } from './session/workspaceFolders';
import { VERSION } from './version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let support: ClientSupport = NO_SUPPORT;

// Input must never take the server down; a bug that escapes a handler is logged instead.
process.on('uncaughtException', (error) => connection.console.error(`mmlens: unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (reason) => connection.console.error(`mmlens: unexpected error: ${(reason as Error)?.stack ?? reason}`));

connection.onInitialize(async (params): Promise<InitializeResult> => {
  support = clientSupport(params.capabilities);
  let parser: CParser;
  try {
    parser = await CParser.load(defaultWasmPaths());
    parser.warmUp();
  } catch (error) {
    throw new ResponseError(ErrorCodes.InternalError, `mmlens could not load its C parser: ${(error as Error).message}`, { retry: false });
  }
  const folders = new WorkspaceFolders();
  folders.reset(params.workspaceFolders, params.rootUri);
  const settings = new SettingsStore(connection, () => support);
  const analyses = new DocumentAnalyses(parser, documents, settings, folders, connection);
  const scenarios = new ScenarioRuns(parser, documents, settings, folders, (message) => connection.console.log(message));
  const initialized = new Emitter<void>();
  connection.onInitialized(() => initialized.fire());
  const session: Session = { connection, documents, analyses, scenarios, settings, folders, onInitialized: initialized.event, support: () => support };
  documents.onDidChangeContent(({ document }) => {
    scenarios.changed(document.uri);
    // a scenario is not C, a patch or a mail: only its own runs look at it
    if (!isScenarioDocument(document)) analyses.changed(document.uri);
  });
  documents.onDidClose(({ document }) => {
    scenarios.closed(document.uri);
    analyses.closed(document.uri);
  });
  for (const feature of [diagnostics, hover, codeLens, trace, scenarioTrace, inlayHints, codeActions, configuration, status, headerWatcher]) feature.register(session);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      ...(support.pullDiagnostics ? { diagnosticProvider: { identifier: 'mmlens', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'mmlens', version: VERSION },
  };
});

listenToDocuments(documents, connection, (message) => connection.console.warn(message));
connection.listen();
