// Hover over stdio: a helper call's effect per path with the helper's semantics, a variable's
// states, a hunk's before and after; the hover's range is the hovered node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { find, fixture, serverForFile } from '../lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');
const email = fixture('test', 'fixtures', 'lsp', 'restore-review.eml');

const server = serverForFile({ settings: { profile: 'x86_64@6.1' } }, (client) => {
  client.open(restore.uri, restore.text);
  client.open(patch.uri, patch.text, 'diff');
  client.open(email.uri, email.text, 'plaintext');
});

async function hoverAt(uri: string, line: number, character: number): Promise<Hover | null> {
  return server.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
}

const markdown = (hover: Hover | null) => (hover?.contents as { kind: string; value: string }).value;

test('on a helper call: a bit table per distinct effect, W marked as changed, and the helper on the profile', async () => {
  const call = find(restore.text, 'maybe_mkwrite(pte_mkdirty');
  const hover = await hoverAt(restore.uri, call.line, call.character + 3);
  const value = markdown(hover);
  assert.match(value, /^\*\*maybe_mkwrite\*\* in `restore_one` on `x86_64@6\.1` — one effect on 2 paths/);
  assert.match(value, /\| paths \| form \| W \| D \|/);
  assert.match(value, /\| 2 \| present \| 0→\*\*1\*\* \| 1 \|/);
  assert.match(value, /\*\*maybe_mkwrite\(pte, vma\)\*\* on `x86_64@6\.1`[\s\S]*call pte_mkwrite if vma\.VM_WRITE/);
  assert.match(value, /\(command:mmlens\.showTrace\?/);
  assert.deepEqual(hover!.range, { start: call, end: { line: call.line, character: find(restore.text, ', vma);').character + ', vma)'.length } });
});

test('on an install: the entry it stores on each path', async () => {
  const install = find(restore.text, 'set_pte_at(');
  const value = markdown(await hoverAt(restore.uri, install.line, install.character));
  assert.match(value, /^\*\*set_pte_at\*\* .* — 6 different effects on 6 paths/);
  assert.match(value, /\| 1 \| present \| 1 \| 1 \| 1 \| 1 \|/, 'the writable uffd-wp entry is one of them');
});

test('on an entry variable: the states each assignment gives it', async () => {
  const declaration = find(restore.text, 'pte_t pte');
  const hover = await hoverAt(restore.uri, declaration.line, declaration.character + 7);
  const value = markdown(hover);
  assert.match(value, /^\*\*pte\*\* \(`pte_t`\) in `restore_one`/);
  assert.match(value, /\| 18: maybe_mkwrite\(pte_mkdirty\(pte\), vma\) \| present \| 0→\*\*1\*\* \|/);
  assert.match(value, /\| 20: pte_mkuffd_wp\(pte\) \| present \| 1 \| 1 \| 1 \| 0→\*\*1\*\* \|/);
  assert.deepEqual(hover!.range!.start, { line: declaration.line, character: declaration.character + 6 });
});

test('on a hunk of a patch: hazards fixed and the paths whose final entry changed', async () => {
  const header = find(patch.text, '@@ -11');
  const hover = await hoverAt(patch.uri, header.line, 2);
  const value = markdown(hover);
  assert.match(value, /^\*\*Hunk 1\*\* — `lensdemo_restore` before → after this hunk/);
  assert.match(value, /- fixed: `uffd-wp-writable`/);
  assert.match(value, /- introduced: —/);
  assert.match(value, /Paths whose final entry changed \(\d+\):[\s\S]*is_writable_migration_entry\(entry\) → pte_swp_uffd_wp\(old\) \|.*\| 1→\*\*0\*\* \|/);
  assert.equal(hover!.range!.start.line, header.line);
  assert.equal(hover!.range!.end.line, find(patch.text, '@@ -30').line - 1);
});

test('on any line of a hunk quoted in an email: what the hunk introduces', async () => {
  const line = find(email.text, '> +\t\tpte = pte_mkwrite').line;
  const value = markdown(await hoverAt(email.uri, line, 0));
  assert.match(value, /^\*\*Hunk 2\*\* — `lensdemo_upgrade`/);
  assert.match(value, /- introduced: `write-without-vm-write`/);
});

test('nothing to say: no hover', async () => {
  assert.equal(await hoverAt(restore.uri, 0, 0), null);
  const blank = find(email.text, 'Thanks,');
  assert.equal(await hoverAt(email.uri, blank.line, 1), null);
});
