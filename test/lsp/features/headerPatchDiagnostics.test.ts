// Over stdio, a patch to a kernel tree's headers open in the editor gets the diagnostics
// `mmlens check` reports for it: examples/toy-header.patch, in a copy of the toy tree, stops
// pte_mkuffd_wp write-protecting (an introduced uffd-wp-writable law failure, on its hunk) and
// makes pmd_modify keep dirt (a fixed dirty-lost, as information).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { fileUri, find, serverForFile } from '../lspClient';
import { toyTreeCopy } from '../../helpers/toyTreeCopy';
import { repoRoot } from '../../helpers/paths';

const patch = readFileSync(join(repoRoot(), 'examples', 'toy-header.patch'), 'utf8');
const root = toyTreeCopy({ 'toy-header.patch': patch });
const uri = fileUri(join(root, 'toy-header.patch'));

const server = serverForFile();

test('the laws a header patch breaks and repairs, on their hunks', async () => {
  server.client.open(uri, patch, 'diff');
  const laws = (await server.client.pull(uri)).filter((d) => d.code === 'uffd-wp-writable' || d.code === 'dirty-lost');
  const introduced = laws.find((d) => d.code === 'uffd-wp-writable');
  assert.ok(introduced, 'the broken law is reported');
  assert.equal(introduced.severity, DiagnosticSeverity.Error);
  assert.equal(introduced.range.start.line, find(patch, '+static inline pte_t pte_mkuffd_wp').line);
  const fixed = laws.find((d) => d.code === 'dirty-lost');
  assert.ok(fixed, 'the repaired law is reported');
  assert.equal(fixed.severity, DiagnosticSeverity.Information);
  assert.match(fixed.message as string, /fixed/i);
});

test('the same patch outside any tree only says it needs one', async () => {
  const outside = fileUri(join(repoRoot(), 'examples', 'toy-header.patch'));
  server.client.open(outside, patch, 'diff');
  const diagnostics = await server.client.pull(outside);
  assert.deepEqual(diagnostics.filter((d) => d.code === 'uffd-wp-writable'), []);
  assert.ok(diagnostics.some((d) => d.code === 'input:header-patch-no-tree'), diagnostics.map((d) => d.code).join(', '));
});
