// package.json as an extension manifest: the commands, documents, capabilities and files it
// names agree with the code and exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, SCENARIO_EXTENSION, SCENARIO_LANGUAGE } from '../../server/src/protocol';
import { DOCUMENT_SELECTOR, LANGUAGES } from '../../client/src/documentSelector';
import { repoRoot } from '../helpers/paths';

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

test('every command in COMMANDS is contributed with a title in the mmlens category, and no other', () => {
  const contributed: { command: string; title: string; category: string }[] = contributes.commands;
  assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
  for (const command of contributed) {
    assert.ok(command.title.length > 0, command.command);
    assert.equal(command.category, 'mmlens', command.command);
  }
});

test('menus name only contributed commands; the code-lens-only command is hidden from the palette', () => {
  const ids = new Set(Object.values(COMMANDS) as string[]);
  for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string; when?: string }[]>)) {
    for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
  }
  const showTrace = contributes.menus.commandPalette.find((item: { command: string }) => item.command === COMMANDS.showTrace);
  assert.equal(showTrace?.when, 'false');
});

test('the extension activates on every language the document selector names: C, C++, diff, mbox, plain text, scenarios', () => {
  assert.deepEqual([...LANGUAGES].sort(), ['c', 'cpp', 'diff', 'mbox', 'mmscenario', 'plaintext']);
  const activation: string[] = manifest.activationEvents;
  assert.deepEqual(activation.filter((event) => event.startsWith('onLanguage:')).sort(), LANGUAGES.map((language) => `onLanguage:${language}`).sort());
});

test('the document selector covers files, unsaved buffers and the git: side of the diff editor for each language', () => {
  for (const language of LANGUAGES) {
    for (const scheme of ['file', 'untitled', 'git']) {
      assert.ok(DOCUMENT_SELECTOR.some((filter) => filter.language === language && filter.scheme === scheme), `${language} ${scheme}`);
    }
  }
});

test('the mbox language is contributed for .mbox and .eml, with its grammar', () => {
  const mbox = contributes.languages.find((language: { id: string }) => language.id === 'mbox');
  assert.deepEqual(mbox?.extensions, ['.mbox', '.eml']);
  assert.ok(contributes.grammars.some((grammar: { language?: string }) => grammar.language === 'mbox'));
});

test('the mmscenario language is contributed for .mmscenario, with its grammar and # comments', () => {
  const language = contributes.languages.find((l: { id: string }) => l.id === SCENARIO_LANGUAGE);
  assert.deepEqual(language?.extensions, [SCENARIO_EXTENSION]);
  assert.ok(contributes.grammars.some((grammar: { language?: string }) => grammar.language === SCENARIO_LANGUAGE));
  assert.equal(JSON.parse(readFileSync(join(root, language.configuration), 'utf8')).comments.lineComment, '#');
});

test('every grammar file exists, parses and declares the scope the manifest gives it', () => {
  for (const grammar of contributes.grammars as { scopeName: string; path: string }[]) {
    const file = join(root, grammar.path);
    assert.ok(existsSync(file), grammar.path);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).scopeName, grammar.scopeName, grammar.path);
  }
  const injectedInto = (contributes.grammars as { injectTo?: string[] }[]).flatMap((grammar) => grammar.injectTo ?? []);
  for (const scope of ['source.c', 'source.cpp', 'source.diff']) assert.ok(injectedInto.includes(scope), scope);
});

test('capabilities: works in untrusted and virtual workspaces', () => {
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
  assert.equal(manifest.capabilities.virtualWorkspaces, true);
});

test('main is the client bundle; engines.vscode is no older than @types/vscode or the language client needs', () => {
  assert.equal(manifest.main, './dist/client.js');
  const version = (range: string) => range.replace(/^[\^~>=]+/, '').split('.').map(Number) as [number, number, number];
  const atLeast = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const engine = version(manifest.engines.vscode);
  assert.ok(atLeast(engine, version(manifest.devDependencies['@types/vscode'])) >= 0, 'engines.vscode older than @types/vscode: vsce refuses to package');
  const languageClient = JSON.parse(readFileSync(join(root, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'));
  assert.ok(atLeast(engine, version(languageClient.engines.vscode)) >= 0, 'engines.vscode older than vscode-languageclient needs');
});

test('the icon is a 128×128 PNG; repository and license are set', () => {
  const icon = readFileSync(join(root, manifest.icon));
  assert.equal(icon.toString('latin1', 1, 4), 'PNG');
  assert.equal(icon.readUInt32BE(16), 128);
  assert.equal(icon.readUInt32BE(20), 128);
  assert.match(manifest.repository.url, /^https:\/\/github\.com\//);
  assert.equal(manifest.license, 'MIT');
  assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /MIT License[\s\S]*mmlens contributors/);
});
