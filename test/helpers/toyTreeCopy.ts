// The toy kernel tree copied into a temporary directory, so a test can edit its headers on disk
// and put C files in it (code that lives in a tree).

import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TOY_TREE } from './toyTree';

export function toyTreeCopy(files: Readonly<Record<string, string>> = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), 'mmlens-toy-')), 'linux');
  cpSync(TOY_TREE, root, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Replaces `from` (required to be there) by `to` in a file of a tree on disk. */
export function editFile(root: string, path: string, from: string, to: string): void {
  const text = readFileSync(join(root, path), 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
  writeFileSync(join(root, path), text.replace(from, to));
}
