// The code lens of a scenario document, above its first line: "▶ Run scenario · holds" or
// "· violated at step 5 …". It runs the client's runScenario command (the trace view shows the
// steps, or the violating schedule as columns). The code lens feature (codeLens.ts) serves it.

import type { CodeLens } from 'vscode-languageserver/node';
import { COMMANDS, type RunScenarioArguments } from '../protocol';
import { scenarioVerdict } from '../scenario/formatScenario';
import type { ScenarioResult } from '../session/scenarioRuns';

export function scenarioLenses(result: ScenarioResult): CodeLens[] {
  const { report } = result;
  const problems = report.problems.length;
  const state = problems > 0 ? `${problems} problem${problems === 1 ? '' : 's'}` : scenarioVerdict(report);
  const args: RunScenarioArguments = { uri: result.uri };
  return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title: `▶ Run scenario · ${state}`, command: COMMANDS.runScenario, arguments: [args] } }];
}
