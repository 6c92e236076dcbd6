// Entry point: wires the log, the language server session, the trace view, the status item
// and the commands. Nothing else happens here.

import { window, type ExtensionContext } from 'vscode';
import { registerCommands } from './commands';
import { ServerSession } from './languageClient';
import { ProfileStatus } from './status';
import { TraceView } from './traceView/traceView';

let server: ServerSession | undefined;

export function activate(context: ExtensionContext): void {
  const log = window.createOutputChannel('mmlens', { log: true });
  server = new ServerSession(context, log);
  const traceView = new TraceView(context.extensionUri, log);
  context.subscriptions.push(log, traceView, new ProfileStatus(server), ...registerCommands({ server, log, traceView }));
  void server.start();
}

export function deactivate(): Promise<void> | undefined {
  return server?.dispose();
}
