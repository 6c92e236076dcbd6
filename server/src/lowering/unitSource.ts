// The text of one source unit and the way from its positions to the original document.
// Tree-sitter gives rows split at '\n' and UTF-16 columns; the unit may be a patch image or a
// wrapped fragment whose lines come from an email, so every range the IR carries goes through
// here. Positions that do not come from the document (lines a fragment wrapper added, lines of
// a workspace file a patch was applied to) are moved to the nearest position that does.

import type { Node } from 'web-tree-sitter';
import type { SourcePosition, SourceRange } from '../../../simulator/src/ir';
import { originalPosition, type PositionMap } from '../inputs/positionMap';

/** A custom mapping from unit positions to document positions; undefined means "not from the document". */
export type PositionMapper = (position: SourcePosition) => SourcePosition | undefined;

export class UnitSource {
  /** Offsets of the first character of each line ('\n' ends a line, as for tree-sitter). */
  private readonly lineStarts: number[];
  private readonly mapper: PositionMapper | undefined;

  constructor(
    readonly text: string,
    map: PositionMap | PositionMapper | undefined,
  ) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    if (map === undefined || (typeof map !== 'function' && map.kind === 'identity')) this.mapper = undefined;
    else if (typeof map === 'function') this.mapper = map;
    else {
      const lineMap = map;
      this.mapper = (position) => {
        const origin = originalPosition(lineMap, position);
        return origin.source === 'document' ? origin.position : undefined;
      };
    }
  }

  /** True when unit positions are document positions (no map). */
  get identity(): boolean {
    return this.mapper === undefined;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The node's text in the original (not blanked) unit text. */
  textOf(node: Node): string {
    return this.text.slice(node.startIndex, node.endIndex);
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  /** The unit position of an offset (lines split at '\n'). */
  positionAt(offset: number): SourcePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.lineStarts[lo]! };
  }

  /** The document range of a node. */
  rangeOf(node: Node): SourceRange {
    // startPosition is a plain field; the end is computed here from endIndex (one call into
    // WebAssembly instead of two)
    const start = node.startPosition;
    const startIndex = node.startIndex;
    const endIndex = node.endIndex;
    const newline = this.text.indexOf('\n', startIndex);
    const end = newline < 0 || newline >= endIndex ? { line: start.row, character: start.column + (endIndex - startIndex) } : this.positionAt(endIndex);
    const range = { start: { line: start.row, character: start.column }, end };
    return this.mapper ? this.mapRange(range) : range;
  }

  /** The document range of a token that does not span lines, from its start point and offsets. */
  rangeOfLine(start: { row: number; column: number }, startIndex: number, endIndex: number): SourceRange {
    const range = { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column + (endIndex - startIndex) } };
    return this.mapper ? this.mapRange(range) : range;
  }

  /** The document range from the start of `first` to the end of `last`. */
  rangeBetween(first: Node, last: Node): SourceRange {
    const start = first.startPosition;
    const end = last.endPosition;
    const range = { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } };
    return this.mapper ? this.mapRange(range) : range;
  }

  /** The document range of unit offsets `start`..`end`. */
  rangeOfOffsets(start: number, end: number): SourceRange {
    return this.mapRange({ start: this.positionAt(start), end: this.positionAt(end) });
  }

  /** The document position of a unit position, if it comes from the document. */
  mapPosition(position: SourcePosition): SourcePosition | undefined {
    return this.mapper ? this.mapper(position) : position;
  }

  /** Whether a unit line comes from the document. */
  isMapped(line: number): boolean {
    if (!this.mapper) return true;
    return this.mapper({ line, character: 0 }) !== undefined;
  }

  /** The document line of a unit line, if it comes from the document. */
  mapLine(line: number): number | undefined {
    if (!this.mapper) return line;
    return this.mapper({ line, character: 0 })?.line;
  }

  /** Maps a unit range; ends outside the document move inward to the nearest mapped line, else outward. */
  mapRange(range: SourceRange): SourceRange {
    const mapper = this.mapper;
    if (!mapper) return range;
    const start =
      mapper(range.start) ??
      this.firstMappedFrom(range.start.line + 1, range.end.line) ??
      this.lastMappedBefore(range.start.line - 1) ??
      this.firstMappedFrom(range.end.line + 1, this.lineStarts.length - 1) ?? { line: 0, character: 0 };
    let end =
      mapper(range.end) ?? this.lastMappedBefore(range.end.line - 1, range.start.line) ?? start;
    if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
    return { start, end };
  }

  /** The text of a unit line, without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    return this.text.slice(start, start + this.lineLength(line));
  }

  private lineLength(line: number): number {
    const start = this.lineStarts[line] ?? this.text.length;
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! - 1 : this.text.length;
    const end = next > start && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    return Math.max(0, end - start);
  }

  /** The start of the first mapped line in `from..to`. */
  private firstMappedFrom(from: number, to: number): SourcePosition | undefined {
    for (let line = Math.max(0, from); line <= to && line < this.lineStarts.length; line++) {
      const mapped = this.mapper!({ line, character: 0 });
      if (mapped) return mapped;
    }
    return undefined;
  }

  /** The end of the last mapped line in `to..from` (searching backwards from `from`). */
  private lastMappedBefore(from: number, to = 0): SourcePosition | undefined {
    for (let line = Math.min(from, this.lineStarts.length - 1); line >= Math.max(0, to); line--) {
      const mapped = this.mapper!({ line, character: this.lineLength(line) });
      if (mapped) return mapped;
    }
    return undefined;
  }
}
