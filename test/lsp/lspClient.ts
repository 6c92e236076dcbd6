// A real JSON-RPC client for the built server (dist/server.js), as an editor would be: it
// spawns the server over stdio (or IPC), answers `workspace/configuration` from `settings`,
// and records what the server sends, so that tests wait for events instead of sleeping.

import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DocumentDiagnosticRequest,
  HoverRequest,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type ClientCapabilities,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
  type Hover,
  type MarkupContent,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { AnalysisStatusNotification, SERVER_NODE_FLAGS, serverEnvironment, type AnalysisStatusParams } from '../../server/src/protocol';
import { repoRoot } from '../helpers/paths';

export const SERVER = join(repoRoot(), 'dist', 'server.js');
/** How long any wait may take before the test fails (a safety net, never a pause). */
const WAIT_MS = 20_000;

export interface ClientOptions {
  /** Pull diagnostics (default) or only accept pushed ones. */
  readonly diagnostics?: 'pull' | 'push';
  readonly transport?: 'stdio' | 'ipc';
  /** The `mmlens` section the client answers `workspace/configuration` with. */
  readonly settings?: Record<string, unknown>;
  readonly workspaceFolder?: string;
  readonly relatedInformation?: boolean;
}

type Event =
  | { readonly kind: 'status'; readonly params: AnalysisStatusParams }
  | { readonly kind: 'publish'; readonly params: PublishDiagnosticsParams }
  | { readonly kind: 'refresh' }
  | { readonly kind: 'register'; readonly method: string; readonly options: unknown }
  | { readonly kind: 'log'; readonly message: string; readonly type: number };

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export function fixture(...parts: string[]): { uri: string; text: string; path: string } {
  const path = join(repoRoot(), ...parts);
  return { uri: fileUri(path), text: readFileSync(path, 'utf8'), path };
}

export class LspClient {
  settings: Record<string, unknown>;
  readonly events: Event[] = [];
  /** Scopes the server asked settings for. */
  readonly configurationScopes: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcess,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const child =
      options.transport === 'ipc'
        ? fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [...SERVER_NODE_FLAGS], env: serverEnvironment(process.env) })
        : spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnvironment(process.env) });
    const connection =
      options.transport === 'ipc'
        ? createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child))
        : createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(connection, child, options);
    client.listen();
    connection.listen();
    const pull = (options.diagnostics ?? 'pull') === 'pull';
    const related = options.relatedInformation ?? true;
    const capabilities: ClientCapabilities = {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { relatedInformation: related },
        ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        codeLens: {},
        inlayHint: {},
      },
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
        ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
    };
    const root = options.workspaceFolder;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root ? fileUri(root) : null,
      workspaceFolders: root ? [{ uri: fileUri(root), name: 'workspace' }] : null,
      capabilities,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => {
        this.configurationScopes.push(item.scopeUri ?? '');
        return item.section === 'mmlens' ? this.settings : null;
      }),
    );
    c.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      for (const r of params.registrations) this.record({ kind: 'register', method: r.method, options: r.registerOptions });
      return null;
    });
    c.onRequest('workspace/diagnostic/refresh', () => {
      this.record({ kind: 'refresh' });
      return null;
    });
    c.onRequest('workspace/codeLens/refresh', () => null);
    c.onRequest('workspace/inlayHint/refresh', () => null);
    c.onNotification(AnalysisStatusNotification, (params) => this.record({ kind: 'status', params }));
    c.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.record({ kind: 'publish', params }));
    c.onNotification('window/logMessage', (params: { message: string; type: number }) => this.record({ kind: 'log', message: params.message, type: params.type }));
  }

  private record(event: Event): void {
    this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with the first recorded event (from `from` on) that `match` accepts. */
  waitFor<T>(what: string, match: (event: Event) => T | undefined, from = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      const check = () => {
        for (const event of this.events.slice(from)) {
          const found = match(event);
          if (found !== undefined) {
            clearTimeout(timer);
            resolve(found);
            return;
          }
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  /** The analysis status of `uri` at `version` (the current one by default). */
  status(uri: string, version = this.versions.get(uri), from = 0): Promise<AnalysisStatusParams> {
    return this.waitFor(`the analysis of ${uri} v${version}`, (e) => (e.kind === 'status' && e.params.uri === uri && e.params.version === version ? e.params : undefined), from);
  }

  /** Diagnostics pushed for `uri` at `version` (push mode). */
  published(uri: string, version = this.versions.get(uri), from = 0): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri} v${version}`, (e) => (e.kind === 'publish' && e.params.uri === uri && e.params.version === version ? e.params.diagnostics : undefined), from);
  }

  open(uri: string, text: string, languageId = 'c'): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends the changes as the next version; returns that version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    this.versions.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  changeSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** Files changed on disk, as a watcher the server registered reports them (1 created, 2 changed, 3 deleted). */
  filesChanged(uris: readonly string[], type: 1 | 2 | 3 = 2): void {
    void this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type })) });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const report: DocumentDiagnosticReport = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    return (report as FullDocumentDiagnosticReport).items;
  }

  /** A pull as an editor makes it: with the id of the report it has, so an unchanged report comes back empty. */
  async pullSince(uri: string, previousResultId: string | undefined): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
  }

  async hover(uri: string, line: number, character: number, token?: CancellationToken): Promise<string | undefined> {
    const hover: Hover | null = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }, token);
    return hover ? (hover.contents as MarkupContent).value : undefined;
  }

  /** The server still answers requests (each test file ends with this). */
  async assertAlive(): Promise<void> {
    const unknown = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nowhere/unknown.c' }, position: { line: 0, character: 0 } });
    assert.equal(unknown, null);
    assert.equal(this.child.exitCode, null, 'the server process exited');
  }

  async stop(): Promise<void> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    assert.equal(await exited, 0);
    this.connection.dispose();
  }
}

/** The line (0-based) of the first line of `text` containing `needle`, and the column of it. */
/**
 * One server for a test file: started (and `setup` run on it) before the file's tests,
 * checked to still answer and stopped after them.
 */
export function serverForFile(options: ClientOptions = {}, setup: (client: LspClient) => void = () => {}): { readonly client: LspClient } {
  let client: LspClient | undefined;
  before(async () => {
    client = await LspClient.start(options);
    setup(client);
  });
  after(async () => {
    await client!.assertAlive();
    await client!.stop();
  });
  return {
    get client(): LspClient {
      if (!client) throw new Error('the server starts in before(); use it inside tests');
      return client;
    },
  };
}

export function find(text: string, needle: string, from = 0): { line: number; character: number } {
  const lines = text.split('\n');
  for (let line = from; line < lines.length; line++) {
    const character = lines[line]!.indexOf(needle);
    if (character >= 0) return { line, character };
  }
  throw new Error(`"${needle}" not found`);
}
