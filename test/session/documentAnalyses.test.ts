// What the server's analyses keep between edits: one syntax tree (the document being typed
// in), however many documents are open, and none once they are closed; the index of a
// directory's functions while a document of that directory is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NO_SUPPORT } from '../../server/src/session/clientSupport';
import { DocumentAnalyses } from '../../server/src/session/documentAnalyses';
import { SettingsStore } from '../../server/src/session/settingsStore';
import { WorkspaceFolders } from '../../server/src/session/workspaceFolders';
import { kernelLikeSource } from '../helpers/kernelLike';
import { testParser } from '../helpers/parser';

/** Open documents as TextDocuments holds them, without a connection. */
class OpenDocuments {
  private readonly byUri = new Map<string, TextDocument>();
  get = (uri: string) => this.byUri.get(uri);
  keys = () => [...this.byUri.keys()];
  open(uri: string, text: string): void {
    this.byUri.set(uri, TextDocument.create(uri, 'c', 1, text));
  }
  edit(uri: string, line: number, insert: string): void {
    const document = this.byUri.get(uri)!;
    this.byUri.set(uri, TextDocument.update(document, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: insert }], document.version + 1));
  }
  close(uri: string): void {
    this.byUri.delete(uri);
  }
}

async function serverAnalyses() {
  const parser = await testParser();
  const documents = new OpenDocuments();
  const quiet = { console: { error: () => undefined, log: () => undefined, warn: () => undefined } } as unknown as Connection;
  const settings = new SettingsStore(quiet, () => NO_SUPPORT);
  const analyses = new DocumentAnalyses(parser, documents as unknown as TextDocuments<TextDocument>, settings, new WorkspaceFolders(), quiet);
  return { parser, documents, analyses };
}

test('three open documents analysed: only the last one keeps its syntax tree', async () => {
  const { parser, documents, analyses } = await serverAnalyses();
  const before = parser.liveTrees;
  for (const seed of [1, 2, 3]) {
    documents.open(`untitled:kept-${seed}.c`, kernelLikeSource(6, seed));
    const result = await analyses.current(`untitled:kept-${seed}.c`);
    assert.ok(result && result.analysis.functions.length > 0, 'the document was analysed');
  }
  assert.equal(parser.liveTrees, before + 1);
  // an edit to another document: its tree replaces the one kept
  documents.edit('untitled:kept-1.c', 0, '\n');
  await analyses.current('untitled:kept-1.c');
  assert.equal(parser.liveTrees, before + 1);
  for (const seed of [1, 2, 3]) {
    analyses.closed(`untitled:kept-${seed}.c`);
    documents.close(`untitled:kept-${seed}.c`);
  }
  assert.equal(parser.liveTrees, before, 'closed documents keep no tree');
});

test('the index of a directory is kept while a document of that directory is open', async (t) => {
  const { documents, analyses } = await serverAnalyses();
  const root = mkdtempSync(join(tmpdir(), 'mmlens-index-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  let seed = 0;
  const openFile = async (directory: string, name: string) => {
    mkdirSync(join(root, directory), { recursive: true });
    const path = join(root, directory, name);
    const text = kernelLikeSource(2, ++seed);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    documents.open(uri, text);
    await analyses.current(uri);
    return uri;
  };
  const close = (uri: string) => {
    analyses.closed(uri);
    documents.close(uri);
  };
  const [mmOne, mmTwo, fs] = [await openFile('mm', 'one.c'), await openFile('mm', 'two.c'), await openFile('fs', 'three.c')];
  assert.equal(analyses.indexedDirectories, 2);
  close(mmOne);
  assert.equal(analyses.indexedDirectories, 2, 'mm/two.c is still open');
  close(fs);
  assert.equal(analyses.indexedDirectories, 1);
  close(mmTwo);
  assert.equal(analyses.indexedDirectories, 0);
});
