// Read-only access to files under a workspace root, for applying hunks to the patched file.
// Paths from a patch are untrusted: absolute paths and paths leaving the root are refused.

import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface WorkspaceFiles {
  /** The text of `path` (relative to the workspace root), or undefined if absent or unreadable. */
  read(path: string): string | undefined;
}

/** Files larger than this are not read (10 MB). */
export const MAX_WORKSPACE_FILE_BYTES = 10 * 1024 * 1024;

export function workspaceFilesAt(root: string, maxBytes: number = MAX_WORKSPACE_FILE_BYTES): WorkspaceFiles {
  const base = resolve(root);
  return {
    read(path: string): string | undefined {
      if (path === '' || isAbsolute(path) || path.includes('\0')) return undefined;
      const full = resolve(base, path);
      const inside = relative(base, full);
      if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return undefined;
      try {
        const stat = statSync(full);
        if (!stat.isFile() || stat.size > maxBytes) return undefined;
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** An in-memory workspace (tests, and editors that hold unsaved files). */
export function workspaceFilesFrom(files: Readonly<Record<string, string>>): WorkspaceFiles {
  return { read: (path) => (Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined) };
}
