// Diagnostics over stdio: pulled by a client that can, pushed to one that cannot; codes,
// links, ranges and related information; patches and emails on their own lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { find, fixture, LspClient, serverForFile } from '../lspClient';

const restore = fixture('examples', 'restore-uffd-wp.c');
const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');
const email = fixture('test', 'fixtures', 'lsp', 'restore-review.eml');

const server = serverForFile({ settings: { profile: 'x86_64@6.1' } });

const byCode = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);
const message = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));

test('a C file: the finding has the rule as code, a link to its page, the install as range, the calls behind it as related information', async () => {
  server.client.open(restore.uri, restore.text);
  const [finding] = byCode(await server.client.pull(restore.uri), 'uffd-wp-writable');
  assert.ok(finding, 'uffd-wp-writable is reported');
  const install = find(restore.text, 'set_pte_at(');
  assert.deepEqual(finding.range.start, install);
  assert.equal(finding.severity, DiagnosticSeverity.Error);
  assert.equal(finding.source, 'mmlens');
  assert.match(finding.codeDescription!.href, /docs\/rules\/uffd-wp-writable\.md$/);
  assert.match(message(finding), /uffd-wp set.*W=1 .*UW=1/);
  const related = finding.relatedInformation!.map((r) => `${r.location.range.start.line}:${r.message.split('(')[0]}`);
  assert.ok(related.includes(`${find(restore.text, 'pte_mkuffd_wp(pte)').line}:pte_mkuffd_wp`), related.join(', '));
  assert.ok(finding.relatedInformation!.every((r) => r.location.uri === restore.uri));
  assert.equal((finding.data as { rule: string }).rule, 'uffd-wp-writable');
});

test('after an analysis the server sends its status', async () => {
  const status = await server.client.status(restore.uri, 1);
  assert.equal(status.profile, 'x86_64@6.1');
  assert.equal(status.functions, 1);
  assert.ok(status.paths >= 4);
  assert.equal(status.findings, 1);
});

test('a patch: what the patch introduces is an error, what it fixes is information, on the patch lines', async () => {
  server.client.open(patch.uri, patch.text, 'diff');
  const diagnostics = await server.client.pull(patch.uri);
  const [introduced] = byCode(diagnostics, 'write-without-vm-write');
  assert.deepEqual(introduced!.range.start, find(patch.text, 'set_pte_at(', find(patch.text, '@@ -30').line));
  assert.equal(introduced!.severity, DiagnosticSeverity.Error);
  assert.match(message(introduced), /introduced by this patch$/);
  const fixed = byCode(diagnostics, 'uffd-wp-writable').find((d) => message(d).startsWith('fixed by this patch'));
  assert.equal(fixed!.range.start.line, find(patch.text, 'set_pte_at(').line);
  assert.equal(fixed!.severity, DiagnosticSeverity.Information);
  assert.match(message(fixed), /^fixed by this patch: /);
});

test('an email quoting the patch: findings on the quoted lines, past the reviewer\'s comments', async () => {
  server.client.open(email.uri, email.text, 'plaintext');
  const diagnostics = await server.client.pull(email.uri);
  const [introduced] = byCode(diagnostics, 'write-without-vm-write');
  const quotedInstall = find(email.text, 'set_pte_at(', find(email.text, 'Why drop maybe_mkwrite').line);
  assert.deepEqual(introduced!.range.start, quotedInstall);
  assert.match(message(introduced), /introduced by this patch$/);
  const uffd = byCode(diagnostics, 'uffd-wp-writable').find((d) => message(d).startsWith('fixed by this patch'));
  assert.equal(uffd?.range.start.line, find(email.text, 'set_pte_at(').line);
});

test('annotation errors, bounds hit, notes and calls without a model are information diagnostics on the function', async () => {
  const uri = 'untitled:notes.c';
  const text = [
    '/* @mm expect writable */',
    'static void loop(struct vm_area_struct *vma, pte_t *ptep, unsigned long n)',
    '{',
    '\twhile (n--)',
    '\t\tptep_set_wrprotect(vma->vm_mm, 0, ptep);',
    '\tlensdemo_mystery(ptep);',
    '}',
    '',
    '/* @mm assume vma VM_WRITE; vma !VM_WRITE */',
    'static void never(struct vm_area_struct *vma, pte_t *ptep)',
    '{',
    '\tptep_set_wrprotect(vma->vm_mm, 0, ptep);',
    '}',
    '',
  ].join('\n');
  server.client.open(uri, text);
  const diagnostics = await server.client.pull(uri);
  const [annotation] = byCode(diagnostics, 'annotation');
  assert.match(message(annotation), /unknown rule "writable"/);
  assert.equal(annotation!.severity, DiagnosticSeverity.Information);
  const [bound] = byCode(diagnostics, 'analysis-bound');
  assert.match(message(bound), /^loop: .*loops unrolled at most 2 times/);
  assert.equal(bound!.severity, DiagnosticSeverity.Information);
  assert.deepEqual(bound!.range.start, find(text, 'loop('));
  const [unknown] = byCode(diagnostics, 'not-modelled');
  assert.match(message(unknown), /^loop: no model for lensdemo_mystery/);
  assert.equal(unknown!.severity, DiagnosticSeverity.Information);
  const [note] = byCode(diagnostics, 'analysis-note');
  assert.match(message(note), /^never: the @mm assume annotations contradict each other/);
  assert.deepEqual(note!.range.start, find(text, 'never('));
});

test('a client that cannot pull gets diagnostics pushed, without related information when it does not support it', async () => {
  const push = await LspClient.start({ diagnostics: 'push', relatedInformation: false, settings: { profile: 'x86_64@6.1' } });
  try {
    push.open(restore.uri, restore.text);
    const [finding] = byCode(await push.published(restore.uri, 1), 'uffd-wp-writable');
    assert.equal(finding!.range.start.line, find(restore.text, 'set_pte_at(').line);
    assert.equal(finding!.relatedInformation, undefined);
    push.close(restore.uri);
    assert.deepEqual(await push.waitFor('cleared diagnostics', (e) => (e.kind === 'publish' && e.params.uri === restore.uri && e.params.diagnostics.length === 0 ? true : undefined)), true);
    await push.assertAlive();
  } finally {
    await push.stop();
  }
});

test('an edit that leaves the diagnostics as they were gets an unchanged report; one that changes them, a new full report', async () => {
  const uri = 'untitled:resultid.c';
  server.client.open(uri, restore.text);
  const first = await server.client.pullSince(uri, undefined);
  assert.equal(first.kind, 'full');
  const install = find(restore.text, 'set_pte_at(');
  // a space at the end of the line before the install: no finding moves
  const before = restore.text.split('\n')[install.line - 1]!;
  server.client.change(uri, [{ range: { start: { line: install.line - 1, character: before.length }, end: { line: install.line - 1, character: before.length } }, text: ' ' }]);
  const same = await server.client.pullSince(uri, first.resultId);
  assert.equal(same.kind, 'unchanged');
  assert.equal(same.resultId, first.resultId);
  // a line inserted above the install: the finding moves down
  server.client.change(uri, [{ range: { start: { line: install.line, character: 0 }, end: { line: install.line, character: 0 } }, text: '\n' }]);
  const moved = await server.client.pullSince(uri, first.resultId);
  assert.equal(moved.kind, 'full');
  assert.notEqual(moved.resultId, first.resultId);
  const [finding] = byCode(moved.kind === 'full' ? moved.items : [], 'uffd-wp-writable');
  assert.equal(finding?.range.start.line, install.line + 1);
});
