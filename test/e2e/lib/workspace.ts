// A scratch workspace folder holding copies of the files the scenarios open, so the
// editor never indexes or writes into the repository.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface Workspace {
  readonly dir: string;
  /** The absolute path of a copied file by its base name. */
  file(name: string): string;
  remove(): void;
}

export function makeWorkspace(files: readonly string[]): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'mmlens-workspace-'));
  for (const file of files) cpSync(file, join(dir, basename(file)));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
