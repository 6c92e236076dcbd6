// Rebuilding a hunk's pre-image (context and removed lines) and post-image (context and added
// lines), each line mapped back to where it stands in the document.

import type { HunkBody } from './hunkExtractor';
import type { LinePiece, PositionMap } from './positionMap';
import type { Hunk, HunkImage, HunkLine } from './types';

export function rebuildImages(body: HunkBody): Hunk {
  return {
    ...body,
    preImage: imageOf(body.lines, 'removed', body.header?.oldStart),
    postImage: imageOf(body.lines, 'added', body.header?.newStart),
  };
}

/** The lines of one side: context plus lines of kind `own`. */
export function sideLines(lines: readonly HunkLine[], own: 'removed' | 'added'): HunkLine[] {
  return lines.filter((line) => line.kind === 'context' || line.kind === own);
}

function imageOf(lines: readonly HunkLine[], own: 'removed' | 'added', startLine: number | undefined): HunkImage {
  const side = sideLines(lines, own);
  const texts = side.map((line) => line.text);
  const last = side[side.length - 1];
  const text = side.length === 0 ? '' : texts.join('\n') + (last.noNewlineAtEnd ? '' : '\n');
  const positionMap: PositionMap = { kind: 'lines', lines: side.map(documentPieces), workspaceFile: undefined, fragment: undefined };
  return { text, startLine, lineCount: side.length, positionMap };
}

/** A hunk line's origins as position-map pieces in the document. */
export function documentPieces(line: HunkLine): LinePiece[] {
  return line.origins.map((origin) => ({ unitColumn: origin.unitColumn, source: 'document', line: origin.line, character: origin.character }));
}
