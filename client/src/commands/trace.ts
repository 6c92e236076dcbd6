// Simulate the function at the cursor, or show the path a code lens names: ask the server
// for the trace (mmlens/trace) and open it in the trace view.

import { languages, ProgressLocation, window } from 'vscode';
import type { TraceParams, TraceResult } from '../../../server/src/protocol';
import { DOCUMENT_SELECTOR } from '../documentSelector';
import { parseShowTraceArguments } from './arguments';
import type { CommandContext } from './context';

export async function simulateFunctionAtCursor(context: CommandContext): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || languages.match(DOCUMENT_SELECTOR, editor.document) === 0) {
    void window.showInformationMessage('mmlens: open a C file, a patch or an email and put the cursor in a function to simulate it.');
    return;
  }
  const { line, character } = editor.selection.active;
  const params: TraceParams = { textDocument: { uri: context.server.protocolUri(editor.document.uri) }, position: { line, character } };
  const trace = await requestTrace(context, params);
  if (trace) context.traceView.show(trace);
  else void window.showInformationMessage('mmlens: there is no function at the cursor to simulate.');
}

/** Runs from a code lens (or the trace view's path picker) with `ShowTraceArguments`. */
export async function showTrace(context: CommandContext, argument: unknown): Promise<void> {
  const args = parseShowTraceArguments(argument);
  if (!args) {
    void window.showInformationMessage('mmlens: "Show Trace" runs from the code lens above a function; use "mmlens: Simulate Function at Cursor" instead.');
    return;
  }
  const params: TraceParams = { textDocument: { uri: args.uri }, function: args.function, side: args.side, ...(args.path !== undefined ? { path: args.path } : {}) };
  const trace = await requestTrace(context, params);
  if (trace) context.traceView.show(trace);
  else void window.showInformationMessage(`mmlens: ${args.function} is no longer in the document; the code lens is out of date.`);
}

async function requestTrace(context: CommandContext, params: TraceParams): Promise<TraceResult | null> {
  try {
    return await window.withProgress({ location: ProgressLocation.Window, title: 'mmlens: simulating' }, () => context.server.requestTrace(params));
  } catch (error) {
    throw new Error(`the trace request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
