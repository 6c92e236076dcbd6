// Finding one function definition by name in a C file: the parser's function spans first
// (what the lowering sees), a token scan when the parser gives up on a large or
// macro-heavy file.

import { functionSpans, ParseTimeout, tokenizeC, type CParser, type CToken } from '../../server/src/parsing';

export interface ExtractedFunction {
  readonly name: string;
  /** Offsets into the file: from the first token of the declaration to the closing brace. */
  readonly start: number;
  readonly end: number;
  /** 0-based line of `start`. */
  readonly line: number;
  readonly text: string;
  readonly via: 'parser' | 'tokens';
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function slice(text: string, name: string, start: number, end: number, via: ExtractedFunction['via']): ExtractedFunction {
  const line = lineOf(lineStartOffsets(text), start);
  return { name, start, end, line, text: text.slice(start, end), via };
}

/** Every definition of `name` the token scan finds (several under `#ifdef`/`#else`). */
export function definitionsByTokens(text: string, name: string): ExtractedFunction[] {
  const tokens = tokenizeC(text).filter((t) => t.kind !== 'comment' && t.kind !== 'comment-end');
  const is = (t: CToken | undefined, punct: string) => t !== undefined && t.kind === 'punctuation' && text.slice(t.start, t.end) === punct;
  const found: ExtractedFunction[] = [];
  let depth = 0;
  let declStart = 0; // index of the first token after the last top-level `;`, `}` or directive
  const matching = (from: number, open: string, close: string): number => {
    let level = 0;
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind === 'preprocessor') continue;
      if (is(t, open)) level++;
      else if (is(t, close) && --level === 0) return i;
    }
    return -1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'preprocessor') {
      if (depth === 0) declStart = i + 1;
      continue;
    }
    if (is(t, '{')) depth++;
    else if (is(t, '}')) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) declStart = i + 1;
    } else if (depth === 0 && (is(t, ';') || is(t, '='))) declStart = i + 1;
    if (depth !== 0 || t.kind !== 'identifier' || text.slice(t.start, t.end) !== name) continue;
    let j = i + 1;
    while (tokens[j]?.kind === 'preprocessor') j++;
    if (!is(tokens[j], '(')) continue;
    let k = matching(j, '(', ')');
    if (k < 0) continue;
    // Attributes and annotations between the parameter list and the body: `__releases(x)`, `__must_hold(y)`.
    for (k++; k < tokens.length; k++) {
      const a = tokens[k]!;
      if (a.kind === 'preprocessor') continue;
      if (a.kind === 'identifier') continue;
      if (is(a, '(')) {
        const close = matching(k, '(', ')');
        if (close < 0) break;
        k = close;
        continue;
      }
      break;
    }
    if (!is(tokens[k], '{')) continue;
    const close = matching(k, '{', '}');
    if (close < 0) continue;
    let first = declStart;
    while (tokens[first]?.kind === 'preprocessor') first++;
    found.push(slice(text, name, tokens[Math.min(first, i)]!.start, tokens[close]!.end, 'tokens'));
    i = close;
    declStart = close + 1;
  }
  return found;
}

function definitionsByParser(parser: CParser, text: string, name: string): ExtractedFunction[] | undefined {
  let tree;
  try {
    tree = parser.parse(text);
  } catch (error) {
    if (error instanceof ParseTimeout) return undefined;
    throw error;
  }
  try {
    const starts = lineStartOffsets(text);
    return functionSpans(tree)
      .filter((span) => span.name === name && span.bodyRange !== undefined)
      .map((span) => {
        const start = starts[span.range.start.line]! + span.range.start.character;
        const end = starts[span.range.end.line]! + span.range.end.character;
        return slice(text, name, start, end, 'parser');
      });
  } finally {
    parser.release(tree);
  }
}

/**
 * The definition of `name` in `text`, or undefined. Where the file defines it more than once
 * (per config), the longest definition is taken: the real one rather than a stub.
 */
export function extractFunction(text: string, name: string, parser?: CParser): ExtractedFunction | undefined {
  const longest = (all: readonly ExtractedFunction[]) => all.reduce<ExtractedFunction | undefined>((best, f) => (best && best.text.length >= f.text.length ? best : f), undefined);
  const parsed = parser ? definitionsByParser(parser, text, name) : undefined;
  return longest(parsed ?? []) ?? longest(definitionsByTokens(text, name));
}
