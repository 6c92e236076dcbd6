// One document as `mmlens check` analyses it: findings only (no rendered traces of
// every path), a time budget per function, the workspace for patches.

import { analyzeDocument, type DocumentAnalysis } from '../analysis/analyzeDocument';
import { functionBudget } from '../analysis/functionBudget';
import { directoryFiles, WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { dirname, resolve } from 'node:path';
import { workspaceFilesAt } from '../inputs';
import type { KernelTree } from '../inputs/kernelTree';
import type { CParser } from '../parsing';

/** Each function gets this long; what is cut is reported as a note on the function. */
export const FUNCTION_BUDGET_MS = 2000;

/** Plain data, so that it can be posted to a worker. */
export interface CheckSettings {
  /** None: each document's tree or mail headers choose. */
  readonly profile?: string;
  /** `--tree`, read once. */
  readonly tree?: KernelTree;
  readonly rules?: readonly string[];
  /** Where patches are applied to the workspace's files. */
  readonly cwd: string;
}

/** One index of workspace functions per directory, shared by the files checked there. */
const directories = new Map<string, WorkspaceFunctions>();

function workspaceFunctionsFor(parser: CParser, path: string, cwd: string): WorkspaceFunctions | undefined {
  if (!C_SOURCE.test(path)) return undefined;
  const directory = resolve(cwd, dirname(path));
  let functions = directories.get(directory);
  if (!functions) {
    functions = new WorkspaceFunctions(parser, () => directoryFiles(directory, cwd));
    directories.set(directory, functions);
  }
  return functions;
}

const C_SOURCE = /\.[ch]$/;

export function analyzeForCheck(parser: CParser, document: { readonly path: string; readonly text: string }, settings: CheckSettings): DocumentAnalysis {
  const workspaceFunctions = workspaceFunctionsFor(parser, document.path, settings.cwd);
  return analyzeDocument(parser, document.text, {
    path: document.path,
    ...(workspaceFunctions ? { workspaceFunctions } : {}),
    ...(settings.profile !== undefined ? { profile: settings.profile, profileGivenBy: 'flag' as const } : {}),
    ...(settings.tree ? { kernelTree: settings.tree } : {}),
    diskPath: resolve(settings.cwd, document.path),
    workspace: workspaceFilesAt(settings.cwd),
    detail: 'findings',
    startBudget: functionBudget(FUNCTION_BUDGET_MS),
    ...(settings.rules ? { rules: new Set(settings.rules) } : {}),
  });
}
