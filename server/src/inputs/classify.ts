// Deciding what a document is. Binary and empty documents are recognised first; a language id
// or file name saying C is trusted; otherwise the structure found decides.

import { isCPath, looksLikeC } from './codeHeuristics';
import type { DocumentLine } from './documentLines';
import type { HunkBody } from './hunkExtractor';
import type { MessageLayout } from './mailMessages';
import type { DocumentKind } from './types';

export interface ClassifyHints {
  /** The editor's language id (`c`, `cpp`, `diff`, `plaintext` …). */
  readonly languageId?: string;
  /** The document's file name or path. */
  readonly path?: string;
}

/** How much of the start of a document is inspected for binary content. */
const BINARY_SAMPLE = 64 * 1024;

export interface TextQuality {
  readonly binary: boolean;
  /** U+FFFD characters: bytes that were not valid UTF-8 when the file was decoded. */
  readonly replacementCharacters: number;
  readonly firstReplacementOffset: number | undefined;
}

/** NUL characters, or more than 10 % control or replacement characters in the sample: binary. */
export function textQuality(text: string): TextQuality {
  const sample = Math.min(text.length, BINARY_SAMPLE);
  let suspicious = 0;
  let replacements = 0;
  let first: number | undefined;
  for (let i = 0; i < sample; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0) return { binary: true, replacementCharacters: 0, firstReplacementOffset: undefined };
    if (ch === 0xfffd) {
      replacements++;
      first ??= i;
      suspicious++;
    } else if (ch < 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 12 && ch !== 27) {
      suspicious++;
    }
  }
  if (sample > 0 && suspicious / sample > 0.1) return { binary: true, replacementCharacters: replacements, firstReplacementOffset: first };
  if (first === undefined) {
    const later = text.indexOf('\ufffd', sample);
    if (later >= 0) first = later;
  }
  return { binary: false, replacementCharacters: replacements, firstReplacementOffset: first };
}

/** Whether the hints say the document is C. */
export function hintsSayC(hints: ClassifyHints): boolean {
  if (hints.languageId === 'c' || hints.languageId === 'cpp') return true;
  return hints.path !== undefined && isCPath(hints.path);
}

/** The kind of a text document from what was found in it. */
export function classifyDocument(lines: readonly DocumentLine[], layout: MessageLayout, hunks: readonly HunkBody[]): DocumentKind {
  const unquoted = hunks.some((h) => h.quoteDepth === 0);
  if (layout.mbox && layout.messages.length >= 2) return 'mbox';
  if (layout.messages.length === 1 && unquoted) return 'format-patch';
  if (unquoted) return 'unified-diff';
  if (hunks.length > 0) return 'quoted-patch';
  return looksLikeCSource(lines) ? 'c-source' : 'text';
}

/** Most non-blank lines read as C, and there are braces or semicolons. */
function looksLikeCSource(lines: readonly DocumentLine[]): boolean {
  let code = 0;
  let other = 0;
  let punctuation = false;
  for (const line of lines.slice(0, 5000)) {
    if (line.tooLong || line.raw.trim() === '') continue;
    if (looksLikeC(line.raw) || /^\s/.test(line.raw)) code++;
    else other++;
    if (/[;{}]/.test(line.raw)) punctuation = true;
  }
  return punctuation && code >= 1 && code >= 3 * other;
}
