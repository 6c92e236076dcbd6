// A patch in a workspace that holds the file it changes: its hunks are applied to that file
// (read, never written), and an open editor's unsaved text wins over the file on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../../helpers/paths';
import { fixture, serverForFile } from '../lspClient';

const workspace = join(repoRoot(), 'test', 'fixtures', 'lsp', 'workspace');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');
const demo = fixture('test', 'fixtures', 'lsp', 'workspace', 'mm', 'lensdemo.c');

const server = serverForFile({ workspaceFolder: workspace, settings: { profile: 'x86_64@6.1' } });

test('the hunks apply to the file in the workspace: whole functions, no fragments', async () => {
  server.client.open(patch.uri, patch.text, 'diff');
  const diagnostics = await server.client.pull(patch.uri);
  assert.ok(diagnostics.some((d) => d.code === 'write-without-vm-write'));
  assert.deepEqual(diagnostics.filter((d) => String(d.code).startsWith('input:')).map((d) => d.message), []);
});

test('an open editor with unsaved lines above the functions: the hunks apply with an offset', async () => {
  server.client.open(demo.uri, demo.text.replace('#include <linux/mm.h>\n', '#include <linux/mm.h>\n#include <linux/swapops.h>\n#include <linux/userfaultfd_k.h>\n'));
  server.client.change(patch.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
  const loose = (await server.client.pull(patch.uri)).filter((d) => d.code === 'input:hunk-applied-loosely');
  assert.equal(loose.length, 2);
  assert.ok(loose.every((d) => d.severity === DiagnosticSeverity.Information), 'input problems are information');
  assert.match(String(loose[0]!.message), /hunk 1 applied to mm\/lensdemo\.c at line 13 \(offset 2 line\(s\)\)/);
});
