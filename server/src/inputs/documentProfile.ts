// The evidence for a document's profile gathered from where it lives: the kernel tree (named,
// or found above the document) and the git repository that may resolve a mail's base-commit;
// then the choice (profileChoice.ts). The tree is found whatever chose the profile: the helpers'
// model is read from it (analysis/helperModel.ts).

import { dirname, isAbsolute } from 'node:path';
import { ProfileError } from '../../../simulator/src';
import { commitVersion } from './commitVersion';
import { findKernelTree, KernelTreeError, openKernelTree, type KernelTree } from './kernelTree';
import { readMailHints } from './mailHints';
import { chooseProfile, isAutoProfile, type ProfileChoice } from './profileChoice';
import type { InputDocument, InputProblem } from './types';

export interface DocumentProfileOptions {
  /** The profile the user gave (`auto` or none: the document chooses). */
  readonly profile?: string;
  readonly profileGivenBy?: 'flag' | 'setting';
  /** The kernel tree of this check: read already (`--tree`), or its root (`mmlens.tree`). */
  readonly kernelTree?: KernelTree | string;
  /** Where the document is on disk (absolute); without it, `path` when that is absolute. */
  readonly diskPath?: string;
  readonly path?: string;
}

const AT_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The document's profile and why, and the kernel tree it lives in (named or found above it), if any. */
export function documentProfile(text: string, input: InputDocument, options: DocumentProfileOptions): { choice: ProfileChoice; problems: InputProblem[]; tree?: KernelTree } {
  const problems: InputProblem[] = [];
  const location = options.diskPath ?? (options.path && isAbsolute(options.path) ? options.path : undefined);
  let tree: KernelTree | undefined;
  if (typeof options.kernelTree === 'string' && options.kernelTree !== '') {
    try {
      tree = openKernelTree(options.kernelTree);
    } catch (error) {
      if (!(error instanceof KernelTreeError)) throw error;
      problems.push({ severity: 'warning', code: 'kernel-tree', message: `mmlens.tree: ${error.message}`, range: AT_START });
    }
  } else if (typeof options.kernelTree === 'object') {
    tree = options.kernelTree;
  }
  tree ??= location ? findKernelTree(location) : undefined;
  const withTree = <T extends object>(result: T) => (tree ? { ...result, tree } : result);
  if (!isAutoProfile(options.profile)) {
    try {
      return withTree({ choice: chooseProfile({ given: options.profile!, ...(options.profileGivenBy ? { givenBy: options.profileGivenBy } : {}) }), problems });
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      problems.push({ severity: 'error', code: 'profile', message: `profile "${options.profile}": ${error.message}; chosen from the document instead`, range: AT_START });
    }
  }
  const mail = input.kind === 'c-source' ? undefined : readMailHints(text, input);
  const repository = tree?.root ?? (location ? dirname(location) : undefined);
  const choice = chooseProfile({
    ...(tree ? { tree } : {}),
    ...(location ? { path: location } : {}),
    ...(mail ? { mail } : {}),
    ...(repository ? { commitVersion: (commit: string) => commitVersion(repository, commit) } : {}),
  });
  return withTree({ choice, problems });
}
