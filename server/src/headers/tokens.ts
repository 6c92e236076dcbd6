// C tokens for the header preprocessor: identifiers, numbers, strings, punctuators, each with
// the file and 1-based line it starts on. Comments are dropped; a backslash-newline joins lines
// (the token keeps the line it starts on). `bol` marks a token that begins a logical line, which
// is how directives are found.

export type TokenKind = 'id' | 'num' | 'str' | 'char' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** First token of a logical line. */
  readonly bol: boolean;
  /** Whitespace before it (for `#` stringizing and for telling `f (` from `f(` in #define). */
  readonly space: boolean;
  /** Macros that must not expand this token again (the C standard's hide set). */
  readonly hide?: ReadonlySet<string>;
}

/** Three- and two-character punctuators; anything else is one character. */
const LONG_PUNCTUATORS = new Set([
  '<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '##',
]);

// character classes by code: 1 identifier start, 2 digit
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === '$') CLASS[c] = 1;
  else if (ch >= '0' && ch <= '9') CLASS[c] = 2;
}
const isIdStart = (c: number) => c < 128 && CLASS[c] === 1;
const isIdPart = (c: number) => c < 128 && CLASS[c] !== 0;
const isDigit = (c: number) => c < 128 && CLASS[c] === 2;

const NL = 10, CR = 13, SPACE = 32, TAB = 9, FF = 12, VT = 11, BACKSLASH = 92, SLASH = 47, STAR = 42, DOT = 46, DQUOTE = 34, SQUOTE = 39;

/** Splits a file into tokens. Never throws: an unterminated comment or string ends at the end of the file. */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let bol = true;
  let space = true; // a file starts as if after a line break
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      line++;
      i++;
      bol = true;
      space = true;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR || c === FF || c === VT) {
      i++;
      space = true;
      continue;
    }
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === NL || (next === CR && text.charCodeAt(i + 2) === NL)) {
        i += next === NL ? 2 : 3;
        line++;
        space = true;
        continue;
      }
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = text.indexOf('\n', i); j >= 0 && j < stop; j = text.indexOf('\n', j + 1)) line++;
      i = stop;
      space = true;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      while (i < n && text.charCodeAt(i) !== NL) {
        if (text.charCodeAt(i) === BACKSLASH && text.charCodeAt(i + 1) === NL) {
          line++;
          i++;
        }
        i++;
      }
      space = true;
      continue;
    }
    const start = i;
    const startLine = line;
    let kind: TokenKind;
    let spliced = false;
    if (isIdStart(c)) {
      i++;
      while (i < n && isIdPart(text.charCodeAt(i))) i++;
      kind = 'id';
    } else if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      for (;;) {
        const d = text.charCodeAt(i);
        if (i < n && (isIdPart(d) || d === DOT)) i++;
        else if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1]!)) i++;
        else break;
      }
      kind = 'num';
    } else if (c === DQUOTE || c === SQUOTE) {
      i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== NL) {
        if (text.charCodeAt(i) === BACKSLASH) {
          if (text.charCodeAt(i + 1) === NL) {
            line++;
            spliced = true;
          }
          i += 2;
        } else i++;
      }
      i = Math.min(n, i + 1);
      kind = c === DQUOTE ? 'str' : 'char';
    } else {
      const three = text.slice(i, i + 3);
      i += LONG_PUNCTUATORS.has(three) ? 3 : LONG_PUNCTUATORS.has(three.slice(0, 2)) ? 2 : 1;
      kind = 'punct';
    }
    const raw = text.slice(start, i);
    tokens.push({ kind, text: spliced ? raw.replace(/\\\r?\n/g, '') : raw, file, line: startLine, bol, space });
    bol = false;
    space = false;
  }
  return tokens;
}

/** The tokens as C text, spaced where the source had space. */
export function tokensText(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('');
}

/** `file:line` of a token, for messages. */
export function where(token: Pick<Token, 'file' | 'line'>): string {
  return `${token.file}:${token.line}`;
}
