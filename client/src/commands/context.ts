// What every command runs with: the server connection, the output channel and the trace view.

import type { LogOutputChannel } from 'vscode';
import type { ServerSession } from '../languageClient';
import type { TraceView } from '../traceView/traceView';

export interface CommandContext {
  readonly server: ServerSession;
  readonly log: LogOutputChannel;
  readonly traceView: TraceView;
}
