// Inlay hints over stdio: off by default; when on, the entry after each outermost helper call
// and install, in a few characters, with only the bits every path agrees on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InlayHintRequest, type InlayHint, type Range } from 'vscode-languageserver-protocol/node';
import { find, fixture, serverForFile } from '../lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');
const whole: Range = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

const server = serverForFile({}, (client) => {
  client.open(restore.uri, restore.text);
});

const hints = (range: Range): Promise<InlayHint[] | null> => server.client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: restore.uri }, range });

test('off by default', async () => {
  assert.deepEqual(await hints(whole), []);
});

test('on: after each outermost call, the bits that are known', async () => {
  server.client.changeSettings({ inlayHints: { enable: true } });
  const labels = new Map((await hints(whole))!.map((h) => [`${h.position.line}:${h.position.character}`, String(h.label)]));
  const end = (needle: string, text: string) => {
    const at = find(restore.text, needle);
    return `${at.line}:${at.character + text.length}`;
  };
  assert.equal(labels.get(end('maybe_mkwrite(pte_mkdirty', 'maybe_mkwrite(pte_mkdirty(pte), vma)')), 'W1 D1 SFD1');
  assert.equal(labels.get(end('pte_mkuffd_wp(pte)', 'pte_mkuffd_wp(pte)')), 'UW1');
  assert.equal(labels.get(end('pte_mkdirty(pte)', 'pte_mkdirty(pte)')), undefined, 'no hint inside another call');
});

test('only for the lines asked for', async () => {
  const line = find(restore.text, 'pte_mkuffd_wp(pte)').line;
  const some = (await hints({ start: { line, character: 0 }, end: { line, character: 80 } }))!;
  assert.ok(some.length >= 1);
  assert.ok(some.every((h) => h.position.line === line));
});
