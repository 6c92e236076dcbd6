// Code lenses above every function that touches page-table entries: "▶ Simulate 6 paths ·
// 1 hazard". A lens runs the client's trace command for that function (the server never opens
// views itself). The `codeLens.enable` setting turns them off. A scenario document gets its
// "Run scenario" lens (scenarioLens.ts).

import type { CodeLens } from 'vscode-languageserver/node';
import type { AnalysedFunction } from '../analysis/analyzeDocument';
import { COMMANDS, type ShowTraceArguments } from '../protocol';
import { documentUri, throwIfCancelled } from '../session/requests';
import { isReported } from '../session/ruleSeverity';
import type { Session } from '../session/session';
import { scenarioLenses } from './scenarioLens';

export function register(session: Session): void {
  session.connection.onCodeLens(async (params, token) => {
    const uri = documentUri(params);
    const scenario = await session.scenarios.current(uri, { token });
    if (scenario) return scenarioLenses(scenario);
    const result = await session.analyses.current(uri, token);
    throwIfCancelled(token);
    if (!result || !result.settings.codeLens.enable) return [];
    return result.analysis.functions
      .filter((fn) => fn.touchesEntries)
      .map((fn): CodeLens => {
        const hazards = fn.findings.filter((f) => isReported(f.rule, result.settings)).length;
        const args: ShowTraceArguments = { uri: result.uri, function: fn.name, side: fn.side };
        return { range: fn.nameRange, command: { title: lensTitle(fn, hazards), command: COMMANDS.showTrace, arguments: [args] } };
      });
  });
}

function lensTitle(fn: AnalysedFunction, hazards: number): string {
  // a bound hit (paths, loop unrolling, time) means there are more paths than were explored
  const paths = `${fn.paths.length}${fn.boundsHit.length > 0 ? '+' : ''} path${fn.paths.length === 1 ? '' : 's'}`;
  const side = fn.side === 'pre' ? ' (before the patch)' : fn.side === 'post' ? ' (after the patch)' : '';
  return `▶ Simulate ${paths} · ${hazards} hazard${hazards === 1 ? '' : 's'}${side}`;
}
