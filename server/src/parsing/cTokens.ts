// A small C tokenizer that knows just enough to tell code from comments, strings and
// preprocessor lines. It never throws and never backtracks: any text gives tokens.

export type CTokenKind =
  | 'identifier'
  | 'number'
  | 'string'
  | 'char'
  | 'comment'
  /** A `*` `/` pair outside any comment: the text started inside a comment. */
  | 'comment-end'
  /** A whole preprocessor directive, continuation lines included. */
  | 'preprocessor'
  | 'punctuation';

export interface CToken {
  readonly kind: CTokenKind;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
  /** A comment or string that runs to the end of the text (or line, for strings). */
  readonly unterminated?: boolean;
}

function isIdentifierStart(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || ch === 95 || ch === 36;
}

function isIdentifierPart(ch: number): boolean {
  return isIdentifierStart(ch) || (ch >= 48 && ch <= 57);
}

function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

/** Receives each token; `unterminated` is set for a comment or string that runs off the end. */
export type CTokenVisitor = (kind: CTokenKind, start: number, end: number, unterminated: boolean) => void;

/** Splits `text` into C tokens; whitespace is skipped. */
export function tokenizeC(text: string): CToken[] {
  const tokens: CToken[] = [];
  scanC(text, (kind, start, end, unterminated) => tokens.push(unterminated ? { kind, start, end, unterminated } : { kind, start, end }));
  return tokens;
}

/** Calls `visit` for each token of `text` in order, without building a token list. */
export function scanC(text: string, visit: CTokenVisitor): void {
  const n = text.length;
  let i = 0;
  let lineHasCode = false; // a `#` only starts a directive as the first token of a line
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      lineHasCode = false;
      i++;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 12 || ch === 11) {
      i++;
      continue;
    }
    const start = i;
    const next = text.charCodeAt(i + 1);
    if (ch === 47 && next === 42) {
      // /* ... */
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      visit('comment', start, i, close < 0);
      continue;
    }
    if (ch === 47 && next === 47) {
      i = endOfLine(text, i);
      visit('comment', start, i, false);
      continue;
    }
    if (ch === 42 && next === 47) {
      i += 2;
      lineHasCode = true;
      visit('comment-end', start, i, false);
      continue;
    }
    if (ch === 35 && !lineHasCode) {
      i = endOfDirective(text, i);
      visit('preprocessor', start, i, false);
      continue;
    }
    lineHasCode = true;
    if (ch === 34 || ch === 39) {
      const { end, terminated } = endOfQuoted(text, i, ch);
      i = end;
      visit(ch === 34 ? 'string' : 'char', start, end, !terminated);
      continue;
    }
    if (isIdentifierStart(ch)) {
      i++;
      while (i < n && isIdentifierPart(text.charCodeAt(i))) i++;
      visit('identifier', start, i, false);
      continue;
    }
    if (isDigit(ch) || (ch === 46 && isDigit(next))) {
      i++;
      while (i < n && (isIdentifierPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      visit('number', start, i, false);
      continue;
    }
    // Surrogate pairs and any other character: one punctuation token per code unit.
    i++;
    visit('punctuation', start, i, false);
  }
}

function endOfLine(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** The end of a directive starting at `from`: the first line end not escaped by `\` nor inside a comment. */
function endOfDirective(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return n;
      i = close + 2;
      continue;
    }
    if (ch === 92) {
      // a backslash before a line end continues the directive
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10) {
        i = j + 2;
        continue;
      }
      if (text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13) {
        i = j + 1;
        continue;
      }
      i++;
      continue;
    }
    if (ch === 10 || ch === 13) return i;
    i++;
  }
  return n;
}

function endOfQuoted(text: string, from: number, quote: number): { end: number; terminated: boolean } {
  const n = text.length;
  let i = from + 1;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 92) {
      i += 2;
      continue;
    }
    if (ch === quote) return { end: i + 1, terminated: true };
    if (ch === 10 || ch === 13) return { end: i, terminated: false };
    i++;
  }
  return { end: n, terminated: false };
}

/** The text of a token. */
export function tokenText(text: string, token: CToken): string {
  return text.slice(token.start, token.end);
}
