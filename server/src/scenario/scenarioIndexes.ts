// The functions around a scenario, where its `call` steps (and the functions they call) resolve
// when its source file does not define them — as for a C file checked there: the kernel tree
// named (`--tree`, `mmlens.tree`) or found above the scenario, with the scenario's directory when
// it lies outside the tree's mm/; without a tree, the scenario's directory. One index per tree,
// architecture and directory, kept with the summaries made through it until a file it holds changes.

import { dirname, relative } from 'node:path';
import { filesAround, WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { findKernelTree, type KernelTree } from '../inputs/kernelTree';
import type { CParser } from '../parsing';

interface Kept {
  readonly functions: WorkspaceFunctions;
  /** The directories whose files the index holds. */
  readonly covers: readonly string[];
}

export class ScenarioIndexes {
  private readonly kept = new Map<string, Kept>();

  /** `open` gives the text of a file an editor holds (unsaved changes included). */
  constructor(
    private readonly parser: CParser,
    private readonly open?: (path: string) => string | undefined,
  ) {}

  /** The index for a scenario at `path` (absolute), by architecture; `base` is what its files' paths are relative to. */
  around(path: string, named: KernelTree | undefined, base: string): (arch: string) => WorkspaceFunctions {
    return (arch) => {
      const directory = dirname(path);
      const tree = named ?? findKernelTree(path);
      const { key, files } = filesAround(directory, tree, arch, base, this.open);
      let kept = this.kept.get(key);
      if (!kept) {
        kept = { functions: new WorkspaceFunctions(this.parser, files), covers: tree ? [tree.root, directory] : [directory] };
        this.kept.set(key, kept);
      }
      return kept.functions;
    };
  }

  /** A C file changed (edited in the editor): the indexes that may hold it are built again when next asked. */
  changed(path: string): void {
    for (const [key, kept] of this.kept) if (kept.covers.some((directory) => isWithin(path, directory))) this.kept.delete(key);
  }
}

function isWithin(path: string, directory: string): boolean {
  const rel = relative(directory, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}
