// Over stdio, code in a kernel tree (a copy of the toy tree) is analysed with the helpers of
// the tree's headers: its pmd_modify drops dirt, so mprotect-style code loses it. The server
// watches headers; when pmd_modify is fixed on disk and the client reports the change, the
// model is read again and the finding goes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileUri, serverForFile } from '../lspClient';
import { KEEPS_DIRT, PROTECT_HUGE, editFile, toyTreeCopy } from '../../helpers/toyTreeCopy';

const root = toyTreeCopy({ 'mm/huge.c': PROTECT_HUGE });
const uri = fileUri(join(root, 'mm', 'huge.c'));
const header = join(root, 'arch', 'x86', 'include', 'asm', 'pgtable.h');

const server = serverForFile();

test('the server watches headers, and still registers for settings changes', async () => {
  const registered = await server.client.waitFor('a watcher', (e) => (e.kind === 'register' && e.method === 'workspace/didChangeWatchedFiles' ? e.options : undefined));
  assert.deepEqual(registered, { watchers: [{ globPattern: '**/*.h', kind: 7 }] });
  // both hook `initialized`; one replacing the other once left VS Code sending no settings changes
  await server.client.waitFor('a settings registration', (e) => (e.kind === 'register' && e.method === 'workspace/didChangeConfiguration' ? true : undefined));
});

test('the tree\'s pmd_modify is the model, and a header fixed on disk is read again', async () => {
  server.client.open(uri, PROTECT_HUGE);
  const status = await server.client.status(uri);
  assert.equal(status.model, 'derived');
  assert.match(status.modelReason!, /derived from the headers of .* for x86_64@6\.19/);
  assert.deepEqual([...new Set((await server.client.pull(uri)).filter((d) => d.source === 'mmlens' && d.code === 'dirty-lost').map((d) => d.code))], ['dirty-lost']);

  editFile(root, 'arch/x86/include/asm/pgtable.h', ...KEEPS_DIRT);
  const from = server.client.events.length;
  server.client.filesChanged([fileUri(header)]);
  await server.client.waitFor('a diagnostic refresh', (e) => (e.kind === 'refresh' ? true : undefined), from);
  assert.deepEqual((await server.client.pull(uri)).filter((d) => d.code === 'dirty-lost'), []);
});

test('a changed file that is no header of a tree changes nothing', async () => {
  const from = server.client.events.length;
  server.client.filesChanged([fileUri(join(root, 'Makefile')), 'file:///nowhere/x.h']);
  // the server still answers, and asked for no refresh
  await server.client.assertAlive();
  assert.equal(server.client.events.slice(from).some((e) => e.kind === 'refresh'), false);
});
