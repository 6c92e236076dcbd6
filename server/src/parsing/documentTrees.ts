// One syntax tree per open document, keyed by URI and version. An edit is applied to the kept
// text, the blanked text is recomputed, and the old tree is `edit`ed by the difference between
// the old and new blanked texts (so blanking that changes because of the edit is covered) and
// reparsed incrementally. Every replaced tree is released at once. Only the documents used most
// recently keep a tree: a tree of a large file holds megabytes of the parser's memory, which never
// shrinks once grown, and a document whose tree was dropped is simply parsed afresh when next used.

import { Edit, type Point, type Tree } from 'web-tree-sitter';
import { commonAffixes } from '../text/affixes';
import { LineIndex, loneCarriageReturnsAsNewlines } from '../text/lines';
import type { Range } from '../text/positions';
import type { CParser } from './cParser';
import { blankKernelAnnotations, reblankKernelAnnotations } from './kernelAnnotations';

/** An LSP content change: a range replaced by text, or (no range) the whole document. */
export interface TextChange {
  readonly range?: Range;
  readonly text: string;
}

/**
 * A document's current text and tree. The tree belongs to the store: do not release it, and use it
 * before asking the store for other documents (opening them may release this one's tree).
 */
export interface DocumentTree {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** `text` with kernel annotations blanked and lone '\r' as '\n': what the tree was parsed from (same offsets, LSP's lines). */
  readonly blankedText: string;
  readonly tree: Tree;
}

/** How many documents keep their trees by default: the ones being edited, and a few more. */
export const KEPT_TREES = 4;

export class DocumentTreeStore {
  /** In order of use, the most recent last. */
  private readonly documents = new Map<string, DocumentTree>();

  constructor(
    private readonly parser: CParser,
    private readonly capacity = KEPT_TREES,
  ) {}

  get size(): number {
    return this.documents.size;
  }

  /** Parses a newly opened document (replacing any tree kept for the same URI). */
  open(uri: string, version: number, text: string): DocumentTree {
    this.close(uri);
    const blankedText = blankKernelAnnotations(loneCarriageReturnsAsNewlines(text));
    const document = { uri, version, text, blankedText, tree: this.parser.parseBlanked(blankedText) };
    this.keep(document);
    return document;
  }

  /**
   * Applies LSP content changes (in order) and reparses incrementally. Returns undefined for an
   * unknown URI; a version not newer than the kept one is ignored and the kept tree returned.
   */
  update(uri: string, version: number, changes: readonly TextChange[]): DocumentTree | undefined {
    const current = this.documents.get(uri);
    if (!current) return undefined;
    if (version <= current.version) return current;
    let text = current.text;
    for (const change of changes) text = applyChange(text, change);
    const blankedText = reblankKernelAnnotations(loneCarriageReturnsAsNewlines(current.text), current.blankedText, loneCarriageReturnsAsNewlines(text));
    const edit = editBetween(current.blankedText, blankedText);
    let tree = current.tree;
    if (edit) {
      tree.edit(edit);
      try {
        tree = this.parser.parseBlanked(blankedText, current.tree);
      } catch (error) {
        // the kept tree is edited for a text it no longer has: forget the document (the next
        // update finds none and the caller opens it afresh)
        this.close(uri);
        throw error;
      }
      this.parser.release(current.tree);
    }
    const next = { uri, version, text, blankedText, tree };
    this.keep(next);
    return next;
  }

  /** The kept tree, if any; with `version`, only when it is that version. */
  get(uri: string, version?: number): DocumentTree | undefined {
    const document = this.documents.get(uri);
    return document && (version === undefined || document.version === version) ? document : undefined;
  }

  close(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    this.parser.release(document.tree);
    this.documents.delete(uri);
  }

  /** Keeps `document` as the most recently used, releasing the least recently used past capacity. */
  private keep(document: DocumentTree): void {
    this.documents.delete(document.uri);
    this.documents.set(document.uri, document);
    for (const uri of this.documents.keys()) {
      if (this.documents.size <= this.capacity) break;
      this.close(uri);
    }
  }

  /** Releases every kept tree. */
  dispose(): void {
    for (const uri of [...this.documents.keys()]) this.close(uri);
  }
}

function applyChange(text: string, change: TextChange): string {
  if (!change.range) return change.text;
  const index = new LineIndex(text);
  let start = index.offsetAt(change.range.start);
  let end = index.offsetAt(change.range.end);
  if (end < start) [start, end] = [end, start];
  return text.slice(0, start) + change.text + text.slice(end);
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept), or undefined if equal. */
export function editBetween(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const { prefix, suffix } = commonAffixes(before, after);
  const oldEndIndex = before.length - suffix;
  const newEndIndex = after.length - suffix;
  return new Edit({
    startIndex: prefix,
    oldEndIndex,
    newEndIndex,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, oldEndIndex),
    newEndPosition: pointAt(after, newEndIndex),
  });
}

/** Tree-sitter's point for an offset: rows split at '\n', columns in UTF-16 units. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
