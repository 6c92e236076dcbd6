// Diagnostics over stdio on a helper's definition in a kernel tree's header (the toy tree): the
// law pmd_modify breaks sits on its definition, with the definitions the law reads as related
// information; an unsaved edit that repairs it clears it, one that breaks another law adds that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { find, serverForFile } from '../lspClient';
import { TOY_TREE } from '../../helpers/toyTree';

const path = join(TOY_TREE, 'arch', 'x86', 'include', 'asm', 'pgtable.h');
const uri = pathToFileURL(path).href;
const text = readFileSync(path, 'utf8');

const server = serverForFile({ relatedInformation: true });

const laws = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => (d.data as { law?: string } | undefined)?.law !== undefined);

function replaceOnce(from: string, to: string): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } {
  const at = find(text, from);
  return { range: { start: at, end: { line: at.line, character: at.character + from.length } }, text: to };
}

test('pmd_modify\'s definition breaks modify-keeps-dirty: a dirty-lost error on its name, the law\'s other definitions related', async () => {
  server.client.open(uri, text);
  const [law, ...more] = laws(await server.client.pull(uri));
  assert.equal(more.length, 0);
  assert.ok(law, 'the law is reported');
  const at = find(text, 'pmd_modify(pmd_t p');
  assert.deepEqual(law.range, { start: at, end: { line: at.line, character: at.character + 'pmd_modify'.length } });
  assert.equal(law.code, 'dirty-lost');
  assert.equal(law.severity, DiagnosticSeverity.Error);
  assert.match(law.codeDescription!.href, /docs\/rules\/dirty-lost\.md$/);
  assert.match(law.message as string, /^pmd_modify \(arch\/x86\/include\/asm\/pgtable\.h:\d+\) breaks the law modify-keeps-dirty@pmd: .* it fails on x_pmd: D$/);
  assert.deepEqual(law.data, { rule: 'dirty-lost', law: 'modify-keeps-dirty', levels: ['pmd'] });
  const related = law.relatedInformation!;
  assert.deepEqual(related.map((r) => [r.location.uri, r.location.range.start.line, r.message.split(':')[0]]), [[uri, find(text, '#define pmd_dirty').line, 'pmd_dirty']]);
});

test('unsaved edits: repairing pmd_modify clears it, un-write-protecting pte_mkuffd_wp reports uffd-wp-writable', async () => {
  server.client.change(uri, [replaceOnce('TOY_KEEP_ON_MODIFY & ~_PAGE_DIRTY', 'TOY_KEEP_ON_MODIFY')]);
  assert.deepEqual(laws(await server.client.pull(uri)), []);
  server.client.change(uri, [replaceOnce('return pte_wrprotect(__pte(pte_val(p) | _PAGE_UFFD_WP));', 'return __pte(pte_val(p) | _PAGE_UFFD_WP);')]);
  const [law] = laws(await server.client.pull(uri));
  assert.equal(law?.code, 'uffd-wp-writable');
  assert.equal(law!.range.start.line, find(text, 'pte_mkuffd_wp(pte_t p)').line);
});

test('the rule\'s setting applies: off means no diagnostic', async () => {
  const from = server.client.events.length;
  server.client.changeSettings({ rules: { 'uffd-wp-writable': 'off' } });
  await server.client.waitFor('a diagnostic refresh', (e) => (e.kind === 'refresh' ? true : undefined), from);
  assert.deepEqual(laws(await server.client.pull(uri)), []);
});
