// One document as `mmlens check` analyses it: findings only (no rendered traces of
// every path), a time budget per function, the workspace for patches.

import { analyzeDocument, type DocumentAnalysis } from '../analysis/analyzeDocument';
import { functionBudget } from '../analysis/functionBudget';
import { workspaceFilesAt } from '../inputs';
import type { CParser } from '../parsing';

/** Each function gets this long; what is cut is reported as a note on the function. */
export const FUNCTION_BUDGET_MS = 2000;

/** Plain data, so that it can be posted to a worker. */
export interface CheckSettings {
  readonly profile: string;
  readonly rules?: readonly string[];
  /** Where patches are applied to the workspace's files. */
  readonly cwd: string;
}

export function analyzeForCheck(parser: CParser, document: { readonly path: string; readonly text: string }, settings: CheckSettings): DocumentAnalysis {
  return analyzeDocument(parser, document.text, {
    path: document.path,
    profile: settings.profile,
    workspace: workspaceFilesAt(settings.cwd),
    detail: 'findings',
    startBudget: functionBudget(FUNCTION_BUDGET_MS),
    ...(settings.rules ? { rules: new Set(settings.rules) } : {}),
  });
}
