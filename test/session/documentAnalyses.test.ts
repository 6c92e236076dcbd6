// What the server's analyses keep between edits: one syntax tree (the document being typed
// in), however many documents are open, and none once they are closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
