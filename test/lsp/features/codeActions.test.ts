// Code actions over stdio: each applies its edit to the document and the finding is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol/node';
import { fixture, serverForFile } from '../lspClient';

const server = serverForFile();

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** Opens the file, takes the finding of `rule` and the action titled like `title`, applies it; returns the diagnostics after. */
async function applyAction(file: { uri: string; text: string }, rule: string, title: RegExp): Promise<{ action: CodeAction; actions: CodeAction[]; text: string; after: Diagnostic[] }> {
  const uri = `${file.uri}?${rule}-${title.source.length}`;
  server.client.open(uri, file.text);
  const finding = (await server.client.pull(uri)).find((d) => d.code === rule);
  assert.ok(finding, `${rule} is reported`);
  const actions = (await server.client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } })) as CodeAction[];
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `an action like ${title} among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.deepEqual(action.diagnostics, [finding]);
  const text = applyEdits(file.text, action.edit!.changes![uri]!);
  server.client.change(uri, [{ text }]);
  return { action, actions, text, after: await server.client.pull(uri) };
}

test('uffd-wp-writable: write-protect the entry when uffd-wp is set', async () => {
  const { action, text, after } = await applyAction(fixture('examples', 'restore-uffd-wp.c'), 'uffd-wp-writable', /^Write-protect the entry when uffd-wp is set/);
  assert.equal(action.isPreferred, true);
  assert.match(text, /\n\tif \(pte_uffd_wp\(pte\)\)\n\t\tpte = pte_wrprotect\(pte\);\n\tset_pte_at\(/);
  assert.deepEqual(after.filter((d) => d.code === 'uffd-wp-writable'), []);
});

test('stale-tlb: flush before dropping the lock', async () => {
  const { text, after } = await applyAction(fixture('examples', 'wp-late-flush.c'), 'stale-tlb', /^Flush the TLB before dropping/);
  assert.match(text, /\tflush_tlb_range\(vma, addr, addr \+ PAGE_SIZE\);\n\tpte_unmap_unlock\(ptep, ptl\);.*\n\}/);
  assert.deepEqual(after.filter((d) => d.code === 'stale-tlb'), []);
});

test('write-without-vm-write: use maybe_mkwrite', async () => {
  const { text, after } = await applyAction(fixture('test', 'fixtures', 'rules', 'write-and-cow.c'), 'write-without-vm-write', /^Use maybe_mkwrite/);
  assert.match(text, /entry = maybe_mkwrite\(pte_mkdirty\(entry\), vma\);/);
  assert.deepEqual(after.filter((d) => d.code === 'write-without-vm-write'), []);
});

test('state this assumption: an @mm assume above the function rules the witness out', async () => {
  const { text, after } = await applyAction(fixture('test', 'fixtures', 'rules', 'write-and-cow.c'), 'cow-writable', /^State the assumption: \/\* @mm assume folio anon exclusive \*\/$/);
  assert.match(text, /\/\* @mm assume folio anon exclusive \*\/\nstatic void demo_fault_mkwrite\(/);
  assert.deepEqual(after.filter((d) => d.code === 'cow-writable'), []);
});

test('softdirty-bypass: mark the entry soft-dirty; no assumption that contradicts the file\'s own @mm assume', async () => {
  const { actions, text, after } = await applyAction(fixture('test', 'fixtures', 'rules', 'softdirty-bypass.c'), 'softdirty-bypass', /^Mark the entry soft-dirty/);
  assert.match(text, /\tpte = pte_mksoft_dirty\(pte\);\n\tptep_modify_prot_commit\(vma, addr, ptep, old, pte\);/);
  assert.deepEqual(after.filter((d) => d.code === 'softdirty-bypass'), []);
  assert.ok(!actions.some((a) => /VM_SOFTDIRTY/.test(a.title)), 'the file assumes !VM_SOFTDIRTY');
});

test('dirty-lost: mark the folio dirty before the entry is replaced', async () => {
  const text = [
    '/* @mm assume vma VM_READ VM_WRITE VM_MAYWRITE VM_SOFTDIRTY; folio anon exclusive */',
    'static void lens_clean(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep, struct folio *folio)',
    '{',
    '\tpte_t old = ptep_get_and_clear(vma->vm_mm, addr, ptep);',
    '',
    '\tset_pte_at(vma->vm_mm, addr, ptep, pfn_pte(pte_pfn(old), vma->vm_page_prot));',
    '}',
    '',
  ].join('\n');
  const { text: fixed, after } = await applyAction({ uri: 'untitled:lens-clean.c', text }, 'dirty-lost', /^Mark the folio dirty/);
  assert.match(fixed, /\tfolio_mark_dirty\(folio\);\n\tset_pte_at\(/);
  assert.deepEqual(after.filter((d) => d.code === 'dirty-lost'), []);
});

test('no actions for a patch, nor for diagnostics that are not mmlens findings', async () => {
  const patch = fixture('test', 'fixtures', 'lsp', 'restore.patch');
  server.client.open(patch.uri, patch.text, 'diff');
  const diagnostics = await server.client.pull(patch.uri);
  assert.ok(diagnostics.length > 0);
  const foreign: Diagnostic = { range: diagnostics[0]!.range, message: 'something else', source: 'other', data: { rule: 'stale-tlb' } };
  const actions = await server.client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: patch.uri }, range: diagnostics[0]!.range, context: { diagnostics: [...diagnostics, foreign] } });
  assert.deepEqual(actions, []);
});
