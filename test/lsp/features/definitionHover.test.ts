// Hover over stdio on a helper's definition in a kernel tree's header (the toy tree): what the
// definition does bit by bit, and the law it breaks; an edit in the editor changes the answer
// before it is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { find, serverForFile } from '../lspClient';
import { TOY_TREE } from '../../helpers/toyTree';

const path = join(TOY_TREE, 'arch', 'x86', 'include', 'asm', 'pgtable.h');
const uri = pathToFileURL(path).href;
const text = readFileSync(path, 'utf8');

const server = serverForFile({}, (client) => client.open(uri, text));

async function hoverAt(line: number, character: number): Promise<Hover | null> {
  return server.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
}

const markdown = (hover: Hover | null) => (hover?.contents as { kind: string; value: string } | undefined)?.value ?? '';

test('on pmd_modify\'s definition: its effect as the tree defines it, and the law it breaks', async () => {
  const at = find(text, 'pmd_modify(pmd_t p');
  const value = markdown(await hoverAt(at.line, at.character + 2));
  assert.match(value, /^\*\*pmd_modify\*\* as defined here \(`arch\/x86\/include\/asm\/pgtable\.h:\d+`\), evaluated bit by bit on `x86_64@6\.19`/);
  assert.match(value, /Breaks `modify-keeps-dirty`/);
});

test('the same name where it is called, not defined, is the ordinary helper hover', async () => {
  const at = find(text, 'pte_wrprotect(__pte(');
  assert.doesNotMatch(markdown(await hoverAt(at.line, at.character + 2)), /as defined here/);
});

test('on an arm64 header the hover reads the arm64 helpers, as its diagnostics do', async () => {
  const arm64 = join(TOY_TREE, 'arch', 'arm64', 'include', 'asm', 'pgtable.h');
  const arm64Uri = pathToFileURL(arm64).href;
  const arm64Text = readFileSync(arm64, 'utf8');
  server.client.open(arm64Uri, arm64Text);
  const at = find(arm64Text, 'pte_t pte_mkclean(');
  const hover = await server.client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: arm64Uri }, position: { line: at.line, character: at.character + 'pte_t '.length + 2 } });
  assert.match(markdown(hover), /^\*\*pte_mkclean\*\* as defined here \(`arch\/arm64\/include\/asm\/pgtable\.h:\d+`\), evaluated bit by bit on `arm64@6\.19`/);
});
