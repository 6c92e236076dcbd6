// Finding what sits at a position in an analysed document: the functions around it, and the
// identifier under it.

import type { AnalysedFunction } from '../analysis/analyzeDocument';
import type { Position, Range } from '../text/positions';

export function contains(range: Range, position: Position): boolean {
  const { start, end } = range;
  if (position.line < start.line || position.line > end.line) return false;
  if (position.line === start.line && position.character < start.character) return false;
  if (position.line === end.line && position.character > end.character) return false;
  return true;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether two ranges share a line. */
export function overlaps(a: Range, b: Range): boolean {
  return !(a.end.line < b.start.line || b.end.line < a.start.line);
}

const SIDE_ORDER = { post: 0, source: 1, pre: 2 } as const;
const size = (r: Range) => (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);

/** Functions whose range contains `position`: after the patch first, then the smallest. */
export function functionsAt(functions: readonly AnalysedFunction[], position: Position): AnalysedFunction[] {
  return functions.filter((fn) => contains(fn.range, position)).sort((a, b) => SIDE_ORDER[a.side] - SIDE_ORDER[b.side] || size(a.range) - size(b.range));
}

/** The smallest of `ranges` that contains `position`. */
export function innermost<T extends { readonly range: Range }>(items: readonly T[], position: Position): T | undefined {
  let best: T | undefined;
  for (const item of items) if (contains(item.range, position) && (!best || size(item.range) < size(best.range))) best = item;
  return best;
}

/** The C identifier under `position` in `text`, with its range. */
export function identifierAt(text: string, position: Position): { readonly name: string; readonly range: Range } | undefined {
  const line = lineText(text, position.line);
  if (line === undefined || position.character > line.length) return undefined;
  for (const match of line.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start <= position.character && position.character <= end) {
      return { name: match[0], range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } } };
    }
  }
  return undefined;
}

/** Line `line` of `text` without its line ending; undefined past the end. */
function lineText(text: string, line: number): string | undefined {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}
