// Maps every line (and column) of a unit's text back to where it came from: a line of the
// original document (an email's line, quote prefix and diff marker skipped), a line of the
// workspace file the patch was applied to, or a line the fragment wrapper added.

import type { Position, Range } from '../text/positions';

export type OriginSource = 'document' | 'workspace-file';

/** Unit columns from `unitColumn` on come from `line`/`character` on in `source`. */
export interface LinePiece {
  readonly unitColumn: number;
  readonly source: OriginSource;
  readonly line: number;
  readonly character: number;
}

/** Lines a fragment wrapper added around the hunk text, and the column shift of the hunk text. */
export interface FragmentOffsets {
  readonly linesBefore: number;
  readonly linesAfter: number;
  readonly columnOffset: number;
}

export type PositionMap =
  /** The unit is the document itself. */
  | { readonly kind: 'identity' }
  | {
      readonly kind: 'lines';
      /** One entry per unit line; an empty entry is a line the wrapper added. */
      readonly lines: ReadonlyArray<readonly LinePiece[]>;
      /** The file that `workspace-file` pieces refer to (relative to the workspace root). */
      readonly workspaceFile: string | undefined;
      readonly fragment: FragmentOffsets | undefined;
    };

export type OriginalPosition =
  | { readonly source: 'document'; readonly position: Position }
  | { readonly source: 'workspace-file'; readonly path: string; readonly position: Position }
  | { readonly source: 'wrapper' };

export const IDENTITY_MAP: PositionMap = { kind: 'identity' };

/** Where `pos` in the unit text came from. Positions past the map are `wrapper`. */
export function originalPosition(map: PositionMap, pos: Position): OriginalPosition {
  if (map.kind === 'identity') return { source: 'document', position: pos };
  const pieces = map.lines[pos.line];
  if (!pieces || pieces.length === 0) return { source: 'wrapper' };
  let piece = pieces[0];
  for (const candidate of pieces) if (candidate.unitColumn <= pos.character) piece = candidate;
  const character = piece.character + Math.max(0, pos.character - piece.unitColumn);
  const position = { line: piece.line, character };
  if (piece.source === 'document') return { source: 'document', position };
  return { source: 'workspace-file', path: map.workspaceFile ?? '', position };
}

/** The document range for a unit range, when both ends come from the document. */
export function documentRange(map: PositionMap, range: Range): Range | undefined {
  const start = originalPosition(map, range.start);
  const end = originalPosition(map, range.end);
  if (start.source !== 'document' || end.source !== 'document') return undefined;
  return { start: start.position, end: end.position };
}

/** The document line a unit line came from, if it came from the document. */
export function documentLine(map: PositionMap, unitLine: number): number | undefined {
  const origin = originalPosition(map, { line: unitLine, character: 0 });
  return origin.source === 'document' ? origin.position.line : undefined;
}

/** Unit lines `start` to `end` (inclusive) of a line map, as a map of their own. */
export function sliceLineMap(
  map: Extract<PositionMap, { kind: 'lines' }>,
  start: number,
  end: number,
): Extract<PositionMap, { kind: 'lines' }> {
  return { kind: 'lines', lines: map.lines.slice(start, end + 1), workspaceFile: map.workspaceFile, fragment: undefined };
}
