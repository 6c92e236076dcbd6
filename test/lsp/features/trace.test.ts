// mmlens/trace over stdio: the steps of one path with bits before → after, events and
// hazards, and the same table `mmlens simulate` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { TraceRequest, type TraceParams, type TraceResult } from '../../../server/src/protocol';
import { repoRoot } from '../../helpers/paths';
import { find, fixture, serverForFile } from '../lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');
const lateFlush = fixture('examples', 'wp-late-flush.c');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');

const server = serverForFile({ settings: { profile: 'x86_64@6.1' } }, (client) => {
  client.open(restore.uri, restore.text);
  client.open(lateFlush.uri, lateFlush.text);
  client.open(patch.uri, patch.text, 'diff');
});

const trace = (params: TraceParams): Promise<TraceResult | null> => server.client.connection.sendRequest(TraceRequest, params);

test('by default the first path with a hazard, step by step, the hazard on its install', async () => {
  const result = (await trace({ textDocument: { uri: restore.uri }, function: 'restore_one', side: 'source' }))!;
  assert.equal(result.function, 'restore_one');
  assert.equal(result.profile, 'x86_64@6.1', 'the file\'s @mm profile');
  assert.equal(result.paths.length, 6);
  assert.deepEqual(result.paths[result.path]!.hazards, ['uffd-wp-writable']);
  assert.ok(result.paths.slice(0, result.path).every((p) => p.hazards.length === 0));
  const install = result.steps.at(-1)!;
  assert.equal(install.kind, 'install');
  assert.deepEqual(install.hazards, ['uffd-wp-writable']);
  assert.equal(install.source, 'set_pte_at(vma->vm_mm, addr, ptep, pte);	/* @mm expect uffd-wp-writable */');
  assert.deepEqual(install.range.start, find(restore.text, 'set_pte_at('));
  const uffd = result.steps.find((s) => s.detail === 'pte_mkuffd_wp(pte)')!;
  assert.deepEqual(uffd.changed, ['UW']);
  assert.equal(uffd.before!.bits['UW'], '0');
  assert.equal(uffd.after!.bits['UW'], '1');
  assert.equal(uffd.after!.bits['W'], '1');
});

test('the text is the table mmlens simulate prints for that path', async () => {
  const result = (await trace({ textDocument: { uri: restore.uri }, function: 'restore_one' }))!;
  const cli = spawnSync(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), 'simulate', `${restore.path}:restore_one`, '--path', String(result.path + 1)], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.ok(cli.stdout.includes(result.text), `${result.text}\n---\n${cli.stdout}`);
  assert.match(result.text, /pte_mkuffd_wp\(pte\) .* 1\*/);
});

test('events: the write-protect, the unlock that comes too early, the flush after it', async () => {
  const position = find(lateFlush.text, 'ptep_set_wrprotect');
  const result = (await trace({ textDocument: { uri: lateFlush.uri }, position }))!;
  assert.equal(result.function, 'wp_one');
  const kinds = result.steps.map((s) => `${s.kind}${s.hazards.length ? `:${s.hazards.join(',')}` : ''}`);
  assert.deepEqual(kinds.slice(-3), ['install', 'unlock:stale-tlb', 'flush']);
});

test('a path by index; an index out of range is an invalid-params error', async () => {
  const second = (await trace({ textDocument: { uri: restore.uri }, function: 'restore_one', path: 1 }))!;
  assert.equal(second.path, 1);
  await assert.rejects(trace({ textDocument: { uri: restore.uri }, function: 'restore_one', path: 99 }), (error: ResponseError<unknown>) => error.code === -32602 && /has 6 paths/.test(error.message));
  await assert.rejects(server.client.connection.sendRequest(TraceRequest, { textDocument: { uri: restore.uri }, path: -1 } as TraceParams), (error: ResponseError<unknown>) => error.code === -32602);
});

test('a patch: the function before and after it', async () => {
  const before = (await trace({ textDocument: { uri: patch.uri }, function: 'lensdemo_restore', side: 'pre' }))!;
  const after = (await trace({ textDocument: { uri: patch.uri }, function: 'lensdemo_restore', side: 'post' }))!;
  assert.equal(before.side, 'pre');
  assert.equal(after.side, 'post');
  assert.ok(before.paths.some((p) => p.hazards.includes('uffd-wp-writable')));
  assert.ok(!after.paths.some((p) => p.hazards.includes('uffd-wp-writable')));
});

test('no such function: null', async () => {
  assert.equal(await trace({ textDocument: { uri: restore.uri }, function: 'no_such_function' }), null);
});
