// After something every open document's analysis may depend on changed (settings, a header of
// a kernel tree): drop the results, then have the client pull diagnostics again — or, when it
// cannot pull, analyse each open document, which pushes them — and refresh lenses and hints.

import { CodeLensRefreshRequest } from 'vscode-languageserver/node';
import type { Session } from './session';

export function reanalyseAll(session: Session): void {
  const { connection, analyses } = session;
  analyses.invalidate();
  session.scenarios.invalidate();
  const support = session.support();
  if (support.pullDiagnostics) {
    if (support.diagnosticRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
  } else {
    for (const uri of analyses.openUris()) analyses.current(uri).catch(() => undefined);
  }
  if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
}
