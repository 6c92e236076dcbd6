// Document synchronisation with a guard in front: didOpen, didChange and didClose whose params
// are not the protocol's shape (any client can send anything) are dropped with a warning in the
// log, instead of reaching TextDocuments, which would keep a document without a URI, throw on
// changes that are not a list, and hand `undefined` to the analyses.

import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isRecord, validPosition } from './requests';

type DocumentConnection = Parameters<TextDocuments<TextDocument>['listen']>[0];

const GUARDED: Record<string, (params: unknown) => string | undefined> = {
  onDidOpenTextDocument: (params) => {
    const doc = isRecord(params) ? params['textDocument'] : undefined;
    if (!isRecord(doc) || !isUri(doc['uri'])) return 'textDocument.uri';
    if (typeof doc['text'] !== 'string') return 'textDocument.text';
    if (!Number.isSafeInteger(doc['version'])) return 'textDocument.version';
    return typeof doc['languageId'] === 'string' ? undefined : 'textDocument.languageId';
  },
  onDidChangeTextDocument: (params) => {
    const doc = isRecord(params) ? params['textDocument'] : undefined;
    if (!isRecord(doc) || !isUri(doc['uri'])) return 'textDocument.uri';
    if (!Number.isSafeInteger(doc['version'])) return 'textDocument.version';
    const changes = isRecord(params) ? params['contentChanges'] : undefined;
    return Array.isArray(changes) && changes.every(isContentChange) ? undefined : 'contentChanges';
  },
  onDidCloseTextDocument: (params) => {
    const doc = isRecord(params) ? params['textDocument'] : undefined;
    return isRecord(doc) && isUri(doc['uri']) ? undefined : 'textDocument.uri';
  },
};

function isUri(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isContentChange(change: unknown): boolean {
  if (!isRecord(change) || typeof change['text'] !== 'string') return false;
  const range = change['range'];
  if (range === undefined) return true;
  return isRecord(range) && validPosition(range['start']) !== undefined && validPosition(range['end']) !== undefined;
}

/** `documents.listen(connection)`, with malformed synchronisation notifications dropped and reported to `warn`. */
export function listenToDocuments(documents: TextDocuments<TextDocument>, connection: DocumentConnection, warn: (message: string) => void): void {
  const guarded = new Proxy(connection, {
    get(target, key, receiver) {
      const problem = typeof key === 'string' ? GUARDED[key] : undefined;
      const original = Reflect.get(target, key, receiver) as unknown;
      if (!problem || typeof original !== 'function') return original;
      const method = key as string;
      return (handler: (params: unknown) => void) =>
        (original as (h: (params: unknown) => void) => unknown).call(target, (params: unknown) => {
          const missing = problem(params);
          if (missing === undefined) handler(params);
          else warn(`mmlens ignored a ${method.replace(/^on/, '')} notification: its ${missing} is missing or malformed`);
        });
    },
  });
  documents.listen(guarded);
}
