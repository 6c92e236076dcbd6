// Code lenses over stdio: one above every function that touches entries, counting its paths
// and hazards and invoking the client's trace command; `codeLens.enable` turns them off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { COMMANDS, type ShowTraceArguments } from '../../../server/src/protocol';
import { find, fixture, serverForFile } from '../lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');

const server = serverForFile({ settings: { profile: 'x86_64@6.1' } });

const lenses = (uri: string): Promise<CodeLens[] | null> => server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });

test('a lens above a function that touches entries: its paths and hazards, and the trace command', async () => {
  server.client.open(restore.uri, restore.text);
  const [lens, ...others] = (await lenses(restore.uri))!;
  assert.equal(others.length, 0);
  assert.deepEqual(lens!.range.start, find(restore.text, 'restore_one('));
  assert.equal(lens!.command!.title, '▶ Simulate 6 paths · 1 hazard');
  assert.equal(lens!.command!.command, COMMANDS.showTrace);
  const args: ShowTraceArguments = { uri: restore.uri, function: 'restore_one', side: 'source' };
  assert.deepEqual(lens!.command!.arguments, [args]);
});

test('no lens for a function that never touches an entry', async () => {
  const uri = 'untitled:plain.c';
  server.client.open(uri, 'static int twice(int x)\n{\n\treturn 2 * x;\n}\n');
  assert.deepEqual(await lenses(uri), []);
});

test('in a patch: a lens per side of each changed function', async () => {
  server.client.open(patch.uri, patch.text, 'diff');
  const titles = (await lenses(patch.uri))!.map((l) => `${(l.command!.arguments![0] as ShowTraceArguments).function} ${l.command!.title}`);
  assert.ok(titles.includes('lensdemo_restore ▶ Simulate 5 paths · 1 hazard (after the patch)'), titles.join('\n'));
  assert.ok(titles.some((t) => /^lensdemo_restore ▶ Simulate 6 paths · 2 hazards \(before the patch\)$/.test(t)), titles.join('\n'));
});

test('codeLens.enable false: no lenses', async () => {
  server.client.changeSettings({ profile: 'x86_64@6.1', codeLens: { enable: false } });
  assert.deepEqual(await lenses(restore.uri), []);
});
