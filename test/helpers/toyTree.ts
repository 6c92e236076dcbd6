// The toy kernel tree of test/fixtures/headers/toy-tree, as is or with files edited.

import { join } from 'node:path';
import { treeOnDisk, treeWithOverlay, type SourceTree } from '../../server/src/headers/sourceTree';
import { repoRoot } from './paths';

export const TOY_TREE = join(repoRoot(), 'test', 'fixtures', 'headers', 'toy-tree');

export function toyTree(): SourceTree {
  return treeOnDisk(TOY_TREE);
}

/** The toy tree with `path` edited: each [from, to] replaced once (and required to be there). */
export function editedToyTree(path: string, ...edits: [from: string, to: string][]): SourceTree {
  const base = toyTree();
  let text = base.read(path)!;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
    text = text.replace(from, to);
  }
  return treeWithOverlay(base, { [path]: text });
}
