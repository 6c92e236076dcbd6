// The language client: how the server is started (the bundled dist/server.js in a Node child
// process, over IPC), and a session that replaces the client on restart (a client whose start
// failed cannot be started again).

import { EventEmitter, type CancellationToken, type Disposable, type ExtensionContext, type LogOutputChannel, type Uri } from 'vscode';
import { LanguageClient, RevealOutputChannelOn, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AnalysisStatusNotification, COMMANDS, SERVER_NODE_FLAGS, serverEnvironment, ScenarioTraceRequest, TraceRequest, type AnalysisStatusParams, type ScenarioTraceResult, type TraceParams, type TraceResult } from '../../server/src/protocol';
import { configurationMiddleware } from './config';
import { DOCUMENT_SELECTOR } from './documentSelector';

export type ServerState = 'starting' | 'running' | 'stopped';

type StatusHandler = (status: AnalysisStatusParams) => void;

export class ServerSession implements Disposable {
  private client: LanguageClient;
  private clientSubscriptions: Disposable[] = [];
  private readonly statusHandlers = new Set<StatusHandler>();
  private readonly stateChanged = new EventEmitter<ServerState>();
  /** Fires when the server starts, stops, fails or is replaced by a restart. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly context: ExtensionContext,
    private readonly log: LogOutputChannel,
  ) {
    this.client = this.createClient();
  }

  get state(): ServerState {
    switch (this.client.state) {
      case State.Running:
        return 'running';
      case State.Starting:
        return 'starting';
      default:
        return 'stopped';
    }
  }

  /**
   * Starts the server. A failure is logged, and the language client has already told the
   * user (with a link to the output); it is never thrown at the caller.
   */
  async start(): Promise<void> {
    try {
      await this.client.start();
    } catch (error) {
      this.log.error(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async restart(): Promise<void> {
    this.log.info('Restarting the language server');
    const old = this.client;
    this.clientSubscriptions.forEach((subscription) => subscription.dispose());
    this.client = this.createClient();
    await this.disposeClient(old);
    this.stateChanged.fire(this.state);
    await this.start();
  }

  requestTrace(params: TraceParams): Promise<TraceResult | null> {
    // By method name: the client's copy of the protocol package is not protocol.ts's copy.
    return this.client.sendRequest<TraceResult | null>(TraceRequest.method, params);
  }

  /** Cancelling `token` stops the run on the server (it answers RequestCancelled). */
  requestScenario(uri: string, token?: CancellationToken): Promise<ScenarioTraceResult | null> {
    return this.client.sendRequest<ScenarioTraceResult | null>(ScenarioTraceRequest.method, { textDocument: { uri } }, token);
  }

  /** The URI as the server knows the document. */
  protocolUri(uri: Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  onAnalysisStatus(handler: StatusHandler): Disposable {
    this.statusHandlers.add(handler);
    return { dispose: () => this.statusHandlers.delete(handler) };
  }

  async dispose(): Promise<void> {
    this.clientSubscriptions.forEach((subscription) => subscription.dispose());
    this.stateChanged.dispose();
    await this.disposeClient(this.client);
  }

  private createClient(): LanguageClient {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env: serverEnvironment(process.env) } },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'], env: serverEnvironment(process.env) } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: { workspace: configurationMiddleware(this.log) },
      // Hovers may link to these commands and to no others.
      markdown: { isTrusted: { enabledCommands: [COMMANDS.showTrace, COMMANDS.openRule, COMMANDS.pickProfile] } },
    };
    const client = new LanguageClient('mmlens', 'mmlens', serverOptions, clientOptions);
    this.clientSubscriptions = [
      client.onDidChangeState(() => this.stateChanged.fire(this.state)),
      client.onNotification(AnalysisStatusNotification.method, (status: AnalysisStatusParams) => this.statusHandlers.forEach((handler) => handler(status))),
    ];
    return client;
  }

  private async disposeClient(client: LanguageClient): Promise<void> {
    try {
      await client.dispose();
    } catch (error) {
      // A client that never got running cannot be stopped; there is nothing left to stop.
      this.log.debug(`Disposing the previous language client: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
