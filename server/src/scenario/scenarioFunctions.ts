// The functions a scenario's `call` steps may name: those of its `source` file, analysed by the
// engine on the scenario's profile (callees first, so each summary has its callees' effects), and
// with a kernel tree, the tree's functions too (their summaries over the whole tree).

import { analyzeUnitWithSummaries, type FunctionSummary } from '../../../simulator/src';
import type { FunctionLookup } from '../../../simulator/src/scenario';
import { TreeSummaries } from '../analysis/treeSummaries';
import type { WorkspaceFunctions } from '../analysis/workspaceFunctions';
import { lowerText } from '../lowering';
import type { CParser } from '../parsing';

export interface SourceText {
  readonly path: string;
  readonly text: string;
}

export function scenarioFunctions(parser: CParser, profile: string, source: SourceText | undefined, tree?: WorkspaceFunctions): FunctionLookup {
  const own = new Map<string, FunctionSummary>();
  const treeSummaries = tree ? new TreeSummaries(tree, { profile, detail: 'findings' }, undefined, (name) => own.has(name)) : undefined;
  if (source) {
    const unit = lowerText(parser, source.text);
    const options = { profile, detail: 'findings' as const, ...(treeSummaries ? { summaries: treeSummaries, entryFree: treeSummaries.entryFree } : {}) };
    const results = analyzeUnitWithSummaries(unit, options);
    unit.functions.forEach((fn, i) => {
      const summary = results[i]?.summary;
      if (summary) own.set(fn.name, summary);
    });
  }
  return {
    get: (name) => own.get(name) ?? treeSummaries?.get(name),
    names: () => [...own.keys()],
  };
}
