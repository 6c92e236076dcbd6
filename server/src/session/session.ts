// What every feature works with: the connection, the open documents, their analyses and
// settings, and what the client supports (known once `initialize` has run).

import type { Connection, Event, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientSupport } from './clientSupport';
import type { DocumentAnalyses } from './documentAnalyses';
import type { ScenarioRuns } from './scenarioRuns';
import type { SettingsStore } from './settingsStore';
import type { WorkspaceFolders } from './workspaceFolders';

export interface Session {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly analyses: DocumentAnalyses;
  /** Runs of the open scenario documents (*.mmscenario). */
  readonly scenarios: ScenarioRuns;
  readonly settings: SettingsStore;
  readonly folders: WorkspaceFolders;
  /**
   * Fired once after `initialized`: where features register capabilities dynamically. (The
   * connection takes one `onInitialized` handler; a second would replace the first.)
   */
  readonly onInitialized: Event<void>;
  support(): ClientSupport;
}
