// Run the scenario a code lens names (or the one in the active editor): ask the server for its
// run (mmlens/scenario) and show it in the trace view — the steps, or the violating schedule.
// The progress notification's Cancel stops the run on the server; the view is left as it was.

import { ProgressLocation, window, type CancellationToken } from 'vscode';
import type { CommandContext } from './context';
import { parseRunScenarioArguments } from './arguments';
import { SCENARIO_LANGUAGE, type ScenarioTraceResult } from '../../../server/src/protocol';

export async function runScenario(context: CommandContext, argument: unknown): Promise<void> {
  const editor = window.activeTextEditor;
  const uri = parseRunScenarioArguments(argument)?.uri ?? (editor?.document.languageId === SCENARIO_LANGUAGE ? context.server.protocolUri(editor.document.uri) : undefined);
  if (!uri) {
    void window.showInformationMessage('mmlens: open a scenario (*.mmscenario) to run it.');
    return;
  }
  let progress: CancellationToken | undefined;
  let result: ScenarioTraceResult | null;
  try {
    result = await window.withProgress({ location: ProgressLocation.Notification, title: 'mmlens: running the scenario', cancellable: true }, (_progress, token) => {
      progress = token;
      return context.server.requestScenario(uri, token);
    });
  } catch (error) {
    if (!progress?.isCancellationRequested) throw error;
    void window.showInformationMessage('mmlens: the scenario run was cancelled; nothing changed.');
    return;
  }
  if (result) context.traceView.showScenario(result);
  else void window.showInformationMessage('mmlens: the document is not an open scenario.');
}
