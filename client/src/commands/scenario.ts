// Run the scenario a code lens names (or the one in the active editor): ask the server for its
// run (mmlens/scenario) and show it in the trace view — the steps, or the violating schedule.

import { ProgressLocation, window } from 'vscode';
import type { CommandContext } from './index';
import { parseRunScenarioArguments } from './arguments';
import { SCENARIO_LANGUAGE } from '../../../server/src/protocol';

export async function runScenario(context: CommandContext, argument: unknown): Promise<void> {
  const editor = window.activeTextEditor;
  const uri = parseRunScenarioArguments(argument)?.uri ?? (editor?.document.languageId === SCENARIO_LANGUAGE ? context.server.protocolUri(editor.document.uri) : undefined);
  if (!uri) {
    void window.showInformationMessage('mmlens: open a scenario (*.mmscenario) to run it.');
    return;
  }
  const result = await window.withProgress({ location: ProgressLocation.Window, title: 'mmlens: running the scenario' }, () => context.server.requestScenario(uri));
  if (result) context.traceView.showScenario(result);
  else void window.showInformationMessage('mmlens: the document is not an open scenario.');
}
