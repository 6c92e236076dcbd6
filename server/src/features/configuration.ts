// What the client configures: settings (pulled per document by SettingsStore) and workspace
// folders. A settings change only invalidates: the client is asked to pull diagnostics again
// (`workspace/diagnostic/refresh`) or, when it cannot pull, diagnostics are pushed anew.

import { CodeLensRefreshRequest, DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { SETTINGS_SECTION } from '../protocol';
import type { Session } from '../session/session';

export function register(session: Session): void {
  const { connection, analyses } = session;
  connection.onInitialized(() => {
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
    analyses.invalidate();
    const support = session.support();
    if (support.pullDiagnostics) {
      if (support.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
    } else {
      // each analysis pushes its diagnostics when it finishes
      for (const uri of analyses.openUris()) analyses.current(uri).catch(() => undefined);
    }
    if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
}
