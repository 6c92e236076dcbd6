// What the client configures: settings (pulled per document by SettingsStore) and workspace
// folders. A settings change only invalidates: the client is asked to pull diagnostics again
// (`workspace/diagnostic/refresh`) or, when it cannot pull, diagnostics are pushed anew.

import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { reanalyseAll } from '../session/reanalyse';
import { SETTINGS_SECTION } from '../protocol';
import type { Session } from '../session/session';

export function register(session: Session): void {
  const { connection, analyses } = session;
  session.onInitialized(() => {
    const support = session.support();
    if (support.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        session.folders.change(added, removed);
        analyses.invalidate();
      });
    }
  });
  connection.onDidChangeConfiguration(() => {
    session.settings.invalidate();
    reanalyseAll(session);
  });
}
