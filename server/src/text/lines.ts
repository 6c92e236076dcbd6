// Splitting a text into lines the way LSP does (\n, \r\n and a lone \r all end a line), and
// converting between offsets and positions.

import type { Position } from './positions';

/** One line of a text, without its line ending. */
export interface TextLine {
  readonly text: string;
  /** Offset of the line's first character in the whole text. */
  readonly start: number;
  /** The line ending that follows it: '' only on the last line. */
  readonly eol: '' | '\n' | '\r\n' | '\r';
}

export function splitLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 10 && ch !== 13) continue;
    const crlf = ch === 13 && text.charCodeAt(i + 1) === 10;
    lines.push({ text: text.slice(start, i), start, eol: crlf ? '\r\n' : ch === 10 ? '\n' : '\r' });
    if (crlf) i++;
    start = i + 1;
  }
  lines.push({ text: text.slice(start), start, eol: '' });
  return lines;
}

/**
 * The text with each lone '\r' (one not followed by '\n') turned into '\n'. Same length and
 * offsets, and the same lines as LSP counts them, but now tree-sitter (whose rows end at '\n'
 * only) and everything that splits at '\n' agree with the editor on line numbers.
 */
export function loneCarriageReturnsAsNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Offsets of line starts, for position <-> offset conversion on one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (ch === 10 || ch === 13) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The offset of `pos`, clamped into the text (an invalid position never throws). */
  offsetAt(pos: Position): number {
    if (!Number.isFinite(pos.line) || pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    let end = next; // the last line has no line ending
    if (pos.line + 1 < this.starts.length) {
      const crlf = next - 2 >= start && this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10;
      end = next - (crlf ? 2 : 1);
    }
    const character = Number.isFinite(pos.character) ? Math.max(0, Math.floor(pos.character)) : 0;
    return Math.min(start + character, end);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }
}
