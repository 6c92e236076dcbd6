// A header of a kernel tree changed on disk (saved, checked out, patched): the helpers derived
// from that tree are read again. The server asks the client to watch `**/*.h`
// (workspace/didChangeWatchedFiles); for each tree a changed header is in, its cached models are
// dropped (a new model has a new identity, so no cached analysis of the old one is reused) and
// every open document is analysed again.

import { DidChangeWatchedFilesNotification, WatchKind } from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { forgetTree } from '../headers/deriveFromTree';
import { findKernelTree } from '../inputs/kernelTree';
import { reanalyseAll } from '../session/reanalyse';
import type { Session } from '../session/session';

export const WATCHED_HEADERS = '**/*.h';

/** The roots of the kernel trees the changed files are headers of. */
export function treesOfChangedHeaders(uris: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const uri of uris) {
    if (!uri.startsWith('file:') || !uri.endsWith('.h')) continue;
    const tree = findKernelTree(fileURLToPath(uri));
    if (tree) roots.add(tree.root);
  }
  return [...roots];
}

export function register(session: Session): void {
  const { connection } = session;
  session.onInitialized(() => {
    if (session.support().watchedFilesRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_HEADERS, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete }] });
    }
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const roots = treesOfChangedHeaders(changes.map((c) => c.uri));
    if (roots.length === 0) return;
    for (const root of roots) forgetTree(root);
    reanalyseAll(session);
  });
}
