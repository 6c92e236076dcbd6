// What the client can do, read once from `initialize`: features ask this instead of digging
// through ClientCapabilities, and fall back (push instead of pull, no related information …).

import type { ClientCapabilities } from 'vscode-languageserver/node';

export interface ClientSupport {
  /** `textDocument/diagnostic`: the client pulls diagnostics; otherwise the server pushes them. */
  readonly pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh`. */
  readonly diagnosticRefresh: boolean;
  readonly relatedInformation: boolean;
  /** `workspace/configuration`. */
  readonly configuration: boolean;
  /** The client lets the server register for `workspace/didChangeConfiguration`. */
  readonly configurationRegistration: boolean;
  readonly codeLensRefresh: boolean;
  readonly inlayHintRefresh: boolean;
  readonly workspaceFolders: boolean;
  /** The client lets the server register for `workspace/didChangeWatchedFiles`. */
  readonly watchedFilesRegistration: boolean;
}

export const NO_SUPPORT: ClientSupport = {
  pullDiagnostics: false,
  diagnosticRefresh: false,
  relatedInformation: false,
  configuration: false,
  configurationRegistration: false,
  codeLensRefresh: false,
  inlayHintRefresh: false,
  workspaceFolders: false,
  watchedFilesRegistration: false,
};

export function clientSupport(capabilities: ClientCapabilities | undefined): ClientSupport {
  const text = capabilities?.textDocument;
  const workspace = capabilities?.workspace;
  return {
    pullDiagnostics: text?.diagnostic !== undefined && text.diagnostic !== null,
    diagnosticRefresh: workspace?.diagnostics?.refreshSupport === true,
    relatedInformation: text?.publishDiagnostics?.relatedInformation === true || text?.diagnostic?.relatedInformation === true,
    configuration: workspace?.configuration === true,
    configurationRegistration: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
    inlayHintRefresh: workspace?.inlayHint?.refreshSupport === true,
    workspaceFolders: workspace?.workspaceFolders === true,
    watchedFilesRegistration: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
  };
}
