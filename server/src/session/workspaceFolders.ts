// The workspace folders the client opened, and read-only access to the files in them for
// applying a patch's hunks to the file it changes. An open editor's text wins over the file on
// disk (it may have unsaved changes). Nothing here ever writes.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, join, relative } from 'node:path';
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { workspaceFilesAt, type WorkspaceFiles } from '../inputs';

export class WorkspaceFolders {
  private roots: string[] = [];

  /** From `initialize` (workspaceFolders, else rootUri). Folders that are not on disk are skipped. */
  reset(folders: readonly WorkspaceFolder[] | null | undefined, rootUri?: string | null): void {
    const uris = folders && folders.length > 0 ? folders.map((f) => f.uri) : rootUri ? [rootUri] : [];
    this.roots = uris.flatMap((uri) => {
      const path = filePath(uri);
      return path ? [path] : [];
    });
  }

  change(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const gone = new Set(removed.flatMap((f) => filePath(f.uri) ?? []));
    this.roots = [...this.roots.filter((root) => !gone.has(root)), ...added.flatMap((f) => filePath(f.uri) ?? [])];
  }

  /** The workspace folder a file lies in, if any. */
  rootOf(path: string): string | undefined {
    return this.roots.find((root) => {
      const inside = relative(root, path);
      return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
    });
  }

  /** Files relative to any folder; `openText` gives an open editor's text by URI. */
  files(openText: (uri: string) => string | undefined): WorkspaceFiles {
    return {
      read: (path) => {
        for (const root of this.roots) {
          const onDisk = workspaceFilesAt(root);
          const text = onDisk.read(path);
          if (text === undefined) continue;
          return openText(pathToFileURL(join(root, path)).href) ?? text;
        }
        return undefined;
      },
    };
  }
}

/** The file system path of a `file:` URI; undefined for other schemes or a malformed URI. */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
