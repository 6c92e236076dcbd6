// Analyses over stdio as edits race them: cancellation, ContentModified when the document
// moves on, a storm of incremental edits, closing, documents too large or not text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CancellationTokenSource, CodeLensRequest, HoverRequest, LSPErrorCodes, type Diagnostic, type ResponseError } from 'vscode-languageserver-protocol/node';
import { kernelLikeSource } from '../../helpers/kernelLike';
import { inputFixture } from '../../helpers/paths';
import { find, serverForFile } from '../lspClient';

const server = serverForFile();

/** A document whose first analysis takes many slices (no function of it was analysed before). */
let seed = 0;
function bigDocument(): { uri: string; text: string } {
  seed++;
  return { uri: `untitled:big-${seed}.c`, text: kernelLikeSource(160, seed) };
}

const hoverRequest = (uri: string, line: number, token?: CancellationTokenSource) =>
  server.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 8 } }, token?.token);

const errorCode = (code: number) => (error: ResponseError<unknown>) => error.code === code;

test('a cancelled request answers RequestCancelled; the analysis goes on for the next one', async () => {
  const doc = bigDocument();
  server.client.open(doc.uri, doc.text);
  const source = new CancellationTokenSource();
  const hover = hoverRequest(doc.uri, find(doc.text, 'ptep_set_wrprotect').line, source);
  source.cancel();
  await assert.rejects(hover, errorCode(LSPErrorCodes.RequestCancelled));
  assert.match(String(await server.client.hover(doc.uri, find(doc.text, 'ptep_set_wrprotect').line, 2)), /ptep_set_wrprotect/);
});

test('an edit while a request waits for the analysis: ContentModified', async () => {
  const doc = bigDocument();
  server.client.open(doc.uri, doc.text);
  const hover = hoverRequest(doc.uri, 10);
  server.client.change(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
  await assert.rejects(hover, errorCode(LSPErrorCodes.ContentModified));
});

test('closing a document while a request waits: ContentModified; afterwards it is unknown', async () => {
  const doc = bigDocument();
  server.client.open(doc.uri, doc.text);
  const lenses = server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } });
  server.client.close(doc.uri);
  await assert.rejects(lenses, errorCode(LSPErrorCodes.ContentModified));
  assert.deepEqual(await server.client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc.uri } }), []);
  assert.deepEqual(await server.client.pull(doc.uri), []);
});

test('a storm of incremental edits: the diagnostics are those of the final text, few analyses ran', async () => {
  const doc = { uri: 'untitled:storm.c', text: kernelLikeSource(40, 1000) };
  server.client.open(doc.uri, doc.text);
  await server.client.status(doc.uri, 1);
  const from = server.client.events.length;
  // retype the line `pte = pte_mkwrite(pte, vma);` … character by character, and insert lines above it
  let text = doc.text;
  const edit = (line: number, character: number, insert: string, remove = 0) => {
    const lines = text.split('\n');
    lines[line] = lines[line]!.slice(0, character) + insert + lines[line]!.slice(character + remove);
    text = lines.join('\n');
    server.client.change(doc.uri, [{ range: { start: { line, character }, end: { line, character: character + remove } }, text: insert }]);
  };
  const target = find(text, 'pte = pte_wrprotect(pte);');
  edit(target.line, target.character + 'pte = '.length, '', 'pte_wrprotect(pte)'.length);
  for (const ch of 'pte_mkwrite(pte, vma)') edit(target.line, text.split('\n')[target.line]!.indexOf(';'), ch);
  for (let i = 0; i < 30; i++) edit(0, 0, i % 2 === 0 ? '/* storm */' : '\n');
  const last = server.client.change(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
  const afterStorm = await server.client.pull(doc.uri);
  await server.client.status(doc.uri, last, from);
  const analyses = server.client.events.slice(from).filter((e) => e.kind === 'status' && e.params.uri === doc.uri).length;
  assert.ok(analyses < 20, `${analyses} analyses for ${last - 1} edits`);
  const fresh = 'untitled:storm-final.c';
  server.client.open(fresh, text);
  const expected = await server.client.pull(fresh);
  const key = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
  assert.deepEqual(afterStorm.map(key).sort(), expected.map(key).sort());
  const commit = find(text, 'ptep_modify_prot_commit', find(text, 'pte = pte_mkwrite(pte, vma);').line);
  assert.ok(afterStorm.some((d) => d.code === 'write-without-vm-write' && d.range.start.line === commit.line), afterStorm.map(key).join(', '));
});

const CALLEE_AND_CALLERS = `static pte_t lens_make_writable(struct vm_area_struct *vma, pte_t pte)
{
\treturn pte_mkwrite(pte, vma);
}

static void lens_install(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
\tset_pte_at(vma->vm_mm, addr, ptep, lens_make_writable(vma, pte_mkuffd_wp(ptep_get(ptep))));
}

static void lens_restore(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
\tpte_t pte = lens_make_writable(vma, ptep_get(ptep));

\tset_pte_at(vma->vm_mm, addr, ptep, pte);
}
`;

test('an edit that keeps a callee\'s summary analyses that function alone; a space analyses nothing; a change to the summary, its callers too', async () => {
  const uri = 'untitled:callers.c';
  server.client.open(uri, CALLEE_AND_CALLERS);
  assert.equal((await server.client.status(uri, 1)).analysed, 3);
  const codes = async () => (await server.client.pull(uri)).map((d) => d.code);
  assert.ok((await codes()).includes('uffd-wp-writable'), 'lens_install makes a uffd-wp entry writable');
  const at = find(CALLEE_AND_CALLERS, 'return pte_mkwrite(pte, vma);');
  let body = 'return pte_mkwrite(pte, vma);';
  const replace = (text: string) => {
    const version = server.client.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + body.length } }, text }]);
    body = text;
    return version;
  };
  const typed = replace('return pte_mkwrite(pte, vma) ;');
  assert.equal((await server.client.status(uri, typed)).analysed, 0, 'a space: lens_make_writable\'s results are moved');
  const rewritten = replace('{ pte_t made = pte_mkwrite(pte, vma); return made; }');
  assert.equal((await server.client.status(uri, rewritten)).analysed, 1, 'lens_make_writable alone: what it does is the same');
  const changed = replace('{ pte_t made = pte_wrprotect(pte); return made; }');
  assert.equal((await server.client.status(uri, changed)).analysed, 3, 'lens_make_writable and both its callers');
  assert.ok(!(await codes()).includes('uffd-wp-writable'), 'the callers\' findings follow the new summary');
});

test('a binary document: one information diagnostic, nothing analysed', async () => {
  const uri = 'untitled:junk.bin';
  server.client.open(uri, readFileSync(inputFixture('broken', 'binary-junk.bin'), 'latin1'), 'plaintext');
  const [diagnostic, ...rest] = await server.client.pull(uri);
  assert.equal(rest.length, 0);
  assert.equal(diagnostic!.code, 'input:binary-document');
});

test('a 10 MB document: not analysed, and it says why', async () => {
  const uri = 'untitled:huge.c';
  const line = 'static int huge_filler_function_name(int x) { return x + 1; }\n';
  server.client.open(uri, line.repeat(Math.ceil((10 * 1024 * 1024) / line.length)));
  const [diagnostic] = await server.client.pull(uri);
  assert.equal(diagnostic!.code, 'not-analysed');
  assert.match(String(diagnostic!.message), /the document is 10\.0 MB; mmlens analyses documents up to 2 MB/);
  server.client.close(uri);
});
