// The server as an editor starts it: over stdio and over IPC, and against whatever a client
// sends — malformed parameters, positions out of range, unknown documents — it answers with a
// clear error or nothing, and stays up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, DocumentDiagnosticRequest, HoverRequest, InlayHintRequest, MessageType, type ResponseError } from 'vscode-languageserver-protocol/node';
import { TraceRequest } from '../../server/src/protocol';
import { find, fixture, LspClient, serverForFile } from './lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');

const server = serverForFile({}, (client) => {
  client.open(restore.uri, restore.text);
});

const invalidParams = (error: ResponseError<unknown>) => error.code === -32602;

test('over IPC (--node-ipc, as VS Code starts it) the same diagnostics', async () => {
  const ipc = await LspClient.start({ transport: 'ipc' });
  try {
    ipc.open(restore.uri, restore.text);
    const diagnostics = await ipc.pull(restore.uri);
    assert.ok(diagnostics.some((d) => d.code === 'uffd-wp-writable' && d.range.start.line === find(restore.text, 'set_pte_at(').line));
    await ipc.assertAlive();
  } finally {
    await ipc.stop();
  }
});

test('positions out of range or not numbers: no hover', async () => {
  for (const position of [{ line: -1, character: 0 }, { line: 1e9, character: 0 }, { line: 3, character: 1e9 }, { line: 1.5, character: 0 }, { line: null, character: 'x' }, undefined]) {
    const hover = await server.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: restore.uri }, position } as never);
    assert.equal(hover, null, JSON.stringify(position));
  }
});

test('parameters without a document: InvalidParams, naming what is missing', async () => {
  for (const type of [HoverRequest.type, CodeLensRequest.type, InlayHintRequest.type, DocumentDiagnosticRequest.type] as const) {
    await assert.rejects(server.client.connection.sendRequest(type as never, {} as never), (error: ResponseError<unknown>) => invalidParams(error) && /textDocument\.uri/.test(error.message));
  }
  await assert.rejects(server.client.connection.sendRequest(TraceRequest, { textDocument: { uri: restore.uri }, side: 'middle' } as never), invalidParams);
});

test('unknown documents: empty answers', async () => {
  const uri = 'file:///nowhere/never-opened.c';
  assert.deepEqual(await server.client.pull(uri), []);
  assert.deepEqual(await server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), []);
  assert.equal(await server.client.connection.sendRequest(TraceRequest, { textDocument: { uri }, function: 'f' }), null);
});

test('notifications that make no sense are logged, not fatal', async () => {
  const from = server.client.events.length;
  await server.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: restore.uri, version: null }, contentChanges: [{ text: 'x' }] });
  await server.client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/x.c', version: 2 }, contentChanges: [{ text: 'x' }] });
  await server.client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:no-text.c', languageId: 'c', version: 1 } });
  await server.client.connection.sendNotification('textDocument/didClose', {});
  const logged = await server.client.waitFor('a warning in the log', (e) => (e.kind === 'log' && e.type === MessageType.Warning ? e.message : undefined), from);
  assert.match(logged, /ignored a DidChangeTextDocument notification: its textDocument\.version is missing or malformed/);
  assert.ok((await server.client.pull('untitled:no-text.c')).every((d) => d.code === 'not-analysed'));
  assert.ok((await server.client.pull(restore.uri)).some((d) => d.code === 'uffd-wp-writable'), 'the document is as it was');
});
