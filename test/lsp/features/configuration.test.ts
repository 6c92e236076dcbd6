// Settings over stdio: pulled per document with workspace/configuration; a change makes the
// server ask the client to pull diagnostics again (or push them anew); profile, rules, bounds
// and per-kind switches apply; settings out of shape are logged and replaced by defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, MessageType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { find, fixture, LspClient, serverForFile } from '../lspClient';

const demo = fixture('test', 'fixtures', 'lsp', 'workspace', 'mm', 'lensdemo.c');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');

const server = serverForFile({}, (client) => {
  client.open(demo.uri, demo.text);
});

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
/** Whether lensdemo_restore (not the upgrade below it) installs a writable uffd-wp entry. */
const restoreIsWritableUffd = (diagnostics: Diagnostic[]) =>
  diagnostics.some((d) => d.code === 'uffd-wp-writable' && d.range.start.line === find(demo.text, 'set_pte_at(').line);

/** Changes the settings and waits for the server to ask for a new pull. */
async function reconfigure(settings: Record<string, unknown>): Promise<void> {
  const from = server.client.events.length;
  server.client.changeSettings(settings);
  await server.client.waitFor('a diagnostic refresh', (e) => (e.kind === 'refresh' ? true : undefined), from);
}

test('settings are pulled for the document, scoped to it', async () => {
  await server.client.pull(demo.uri);
  assert.ok(server.client.configurationScopes.includes(demo.uri));
});

test('a new profile: refresh, then findings of that kernel', async () => {
  assert.ok(!restoreIsWritableUffd(await server.client.pull(demo.uri)), 'on 6.19 pte_mkuffd_wp write-protects');
  const from = server.client.events.length;
  await reconfigure({ profile: 'x86_64@6.1' });
  assert.ok(restoreIsWritableUffd(await server.client.pull(demo.uri)));
  assert.equal((await server.client.status(demo.uri, 1, from)).profile, 'x86_64@6.1');
});

test('rules: a severity of its own, or off', async () => {
  await reconfigure({ profile: 'x86_64@6.1', rules: { 'uffd-wp-writable': 'warning' } });
  assert.equal((await server.client.pull(demo.uri)).find((d) => d.code === 'uffd-wp-writable')!.severity, DiagnosticSeverity.Warning);
  await reconfigure({ profile: 'x86_64@6.1', rules: { 'uffd-wp-writable': 'off' } });
  assert.ok(!codes(await server.client.pull(demo.uri)).includes('uffd-wp-writable'));
});

test('bounds: a lower path bound is hit, and says so', async () => {
  await reconfigure({ bounds: { maxPaths: 2 } });
  const bound = (await server.client.pull(demo.uri)).find((d) => d.code === 'analysis-bound');
  assert.match(String(bound?.message), /^lensdemo_restore: .*analysis truncated after 2 paths/);
});

test('settings out of shape: a warning in the log, the defaults instead', async () => {
  const from = server.client.events.length;
  await reconfigure({ profile: 'sparc64', bounds: { maxPaths: -1 }, codeLens: 'yes' });
  await server.client.pull(demo.uri);
  const warning = await server.client.waitFor('a settings warning', (e) => (e.kind === 'log' && e.type === MessageType.Warning ? e.message : undefined), from);
  assert.match(warning, /mmlens\.bounds\.maxPaths must be a whole number/);
  assert.match(warning, /mmlens\.codeLens must be an object/);
  assert.match(warning, /mmlens\.profile "sparc64": .*using "auto"/);
  assert.equal((await server.client.status(demo.uri, 1, from)).profile, 'x86_64@6.19');
});

test('analyze.c and analyze.patches switch kinds of documents off', async () => {
  server.client.open(patch.uri, patch.text, 'diff');
  assert.ok((await server.client.pull(patch.uri)).length > 0);
  await reconfigure({ analyze: { c: false, patches: false } });
  assert.deepEqual(await server.client.pull(demo.uri), []);
  assert.deepEqual(await server.client.pull(patch.uri), []);
});

test('a client that cannot pull gets diagnostics pushed again after a change', async () => {
  const push = await LspClient.start({ diagnostics: 'push' });
  try {
    push.open(demo.uri, demo.text);
    assert.ok(!restoreIsWritableUffd(await push.published(demo.uri, 1)));
    const from = push.events.length;
    push.changeSettings({ profile: 'x86_64@6.1' });
    const pushed = await push.waitFor('diagnostics after the change', (e) => (e.kind === 'publish' && e.params.uri === demo.uri ? e.params.diagnostics : undefined), from);
    assert.ok(restoreIsWritableUffd(pushed));
    await push.assertAlive();
  } finally {
    await push.stop();
  }
});
