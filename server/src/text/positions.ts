// Positions and ranges as the Language Server Protocol counts them: 0-based lines and 0-based
// columns in UTF-16 code units (the same units as JavaScript string indices).

/** A place in a text: 0-based line, 0-based UTF-16 column. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A stretch of text from `start` (inclusive) to `end` (exclusive). */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}
