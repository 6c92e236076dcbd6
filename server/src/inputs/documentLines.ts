// The document as lines, each with its mail quote level (`> `, `> > `, `>> `) taken off.

import { splitLines } from '../text/lines';

/** Lines longer than this are never read as patch lines (and are reported). */
export const MAX_PATCH_LINE_LENGTH = 100_000;

export interface DocumentLine {
  /** 0-based line number in the document. */
  readonly index: number;
  /** The whole line, without its line ending. */
  readonly raw: string;
  /** How many `>` quote markers precede the content. */
  readonly depth: number;
  /** The line after the quote prefix (one space after the last `>` belongs to the prefix). */
  readonly content: string;
  /** Column where `content` starts. */
  readonly contentColumn: number;
  readonly tooLong: boolean;
}

export interface ScannedDocument {
  readonly lines: readonly DocumentLine[];
  readonly lineEnding: 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';
}

const QUOTE_PREFIX = /^(?:> ?)+/;

/** The document's line ending, without splitting it into lines (a C source needs nothing more). */
export function lineEndingOf(text: string): ScannedDocument['lineEnding'] {
  let lf = false;
  let crlf = false;
  let cr = false;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf = true;
    else cr = true;
  }
  for (let i = text.indexOf('\n'); i >= 0 && !lf; i = text.indexOf('\n', i + 1)) if (text.charCodeAt(i - 1) !== 13) lf = true;
  const kinds = Number(lf) + Number(crlf) + Number(cr);
  return kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : crlf ? 'crlf' : cr ? 'cr' : 'lf';
}

export function scanDocument(text: string): ScannedDocument {
  const split = splitLines(text);
  const lineEnding = lineEndingOf(text);
  const lines = split.map((line, index): DocumentLine => {
    const raw = line.text;
    if (raw.length > MAX_PATCH_LINE_LENGTH) return { index, raw, depth: 0, content: raw, contentColumn: 0, tooLong: true };
    const prefix = QUOTE_PREFIX.exec(raw)?.[0] ?? '';
    let depth = 0;
    for (let i = 0; i < prefix.length; i++) if (prefix.charCodeAt(i) === 62) depth++;
    return { index, raw, depth, content: raw.slice(prefix.length), contentColumn: prefix.length, tooLong: false };
  });
  return { lines, lineEnding };
}
