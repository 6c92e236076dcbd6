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

const PUNCTUATORS = [
  '<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '##',
];

const isIdStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const isIdPart = (c: string) => isIdStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Splits a file into tokens. Never throws: an unterminated comment or string ends at the end of the file. */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let bol = true;
  let space = true; // a file starts as if after a line break
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      bol = true;
      space = true;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      space = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
      space = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') {
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
    if (isIdStart(c)) {
      while (i < n && isIdPart(text[i]!)) i++;
      kind = 'id';
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (i < n && (isIdPart(text[i]!) || text[i] === '.' || ((text[i] === '+' || text[i] === '-') && /[eEpP]/.test(text[i - 1]!)))) i++;
      kind = 'num';
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(n, i + 1);
      kind = c === '"' ? 'str' : 'char';
    } else {
      const p = PUNCTUATORS.find((op) => text.startsWith(op, i));
      i += p ? p.length : 1;
      kind = 'punct';
    }
    tokens.push({ kind, text: text.slice(start, i).replace(/\\\r?\n/g, ''), file, line: startLine, bol, space });
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
