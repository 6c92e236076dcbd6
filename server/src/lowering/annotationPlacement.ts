// Finds the `@mm` comments of a unit, parses them and decides where each one goes
// (docs/annotations.md, "Attachment"):
//   - a comment alone on its line(s) applies to the next code line; a trailing comment to its own;
//   - inside a function body, `state` becomes an assert-state statement where the comment sits;
//     `profile`, `assume` and `expect none` apply to the function; `ignore` applies to the function
//     at the top of the body and to its line elsewhere; `expect <rules>` applies to its line;
//   - just before a function (the next code line is the function's first, with no blank line in
//     between), everything but `state` applies to the function;
//   - elsewhere (file level), everything but `state` applies to the unit, `expect <rules>` to its line.
// Every annotation also goes into the unit's `allAnnotations`; bad ones into `annotationErrors`.

import type { Annotation, AnnotationError, StateAnnotation } from '../../../simulator/src/ir';
import { scanC } from '../parsing/cTokens';
import { ANNOTATION_MARKER, annotationSources, parseAnnotation } from './annotations';
import type { PendingState } from './statements';
import type { UnitSource } from './unitSource';

/** Where a function definition sits in the unit (offsets and lines are unit coordinates). */
export interface FunctionExtent {
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startLine: number;
  /** The body `{ … }`, when there is one. */
  readonly bodyStart: number | undefined;
  readonly bodyEnd: number | undefined;
  /** Where the first statement of the body starts (the body's end when it has none). */
  readonly firstStatementStart: number | undefined;
}

export interface FunctionAnnotations {
  readonly annotations: Annotation[];
  readonly states: PendingState[];
  /** The text of `@mm` comments before the function (they change its meaning: part of its hash). */
  readonly leadingText: string[];
}

export interface PlacedAnnotations {
  readonly unit: Annotation[];
  readonly all: Annotation[];
  readonly errors: AnnotationError[];
  /** One entry per extent, in the same order. */
  readonly functions: FunctionAnnotations[];
}

export const STATE_OUTSIDE_BODY = '@mm state must be inside a function body: it is checked at that point of every path';

export function placeAnnotations(source: UnitSource, extents: readonly FunctionExtent[]): PlacedAnnotations {
  const placed: PlacedAnnotations = { unit: [], all: [], errors: [], functions: extents.map(() => ({ annotations: [], states: [], leadingText: [] })) };
  if (!ANNOTATION_MARKER.test(source.text)) return placed;
  for (const found of markedComments(source.text)) {
    const comment = source.slice(found.start, found.end);
    const start = source.positionAt(found.start);
    const attachLine = attachedLine(source, found, start.line);
    const where = locate(source, extents, found, attachLine);
    for (const unitSource of annotationSources(comment, start, attachLine)) {
      const range = source.mapRange(unitSource.range);
      const line = source.mapLine(attachLine) ?? range.start.line;
      const parsed = parseAnnotation({ text: unitSource.text, range, line });
      if (parsed.kind === 'annotation-error') {
        placed.errors.push(parsed);
        continue;
      }
      place(parsed, where, placed, { offset: found.start, line: attachLine, comment });
    }
  }
  placed.all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return placed;
}

/** A comment with an `@mm` marker, and the code tokens around it (what it attaches to). */
interface MarkedComment {
  readonly start: number;
  readonly end: number;
  /** Where the last token before it that is not a comment ends. */
  readonly codeBefore: number | undefined;
  /** Where the next token after it that is code (not a comment, a stray comment end or a directive) starts. */
  codeAfter?: number;
}

/**
 * The comments of `text` that hold the marker, in one scan that keeps no token list (a file is
 * scanned again at every edit, and most of its tokens are nothing to annotations).
 */
function markedComments(text: string): MarkedComment[] {
  const marks: number[] = [];
  for (let at = text.indexOf('@mm'); at >= 0; at = text.indexOf('@mm', at + 3)) marks.push(at);
  const found: MarkedComment[] = [];
  const waiting: MarkedComment[] = [];
  let mark = 0;
  let codeBefore: number | undefined;
  scanC(text, (kind, start, end) => {
    if (kind === 'comment') {
      while (mark < marks.length && marks[mark]! < start) mark++;
      if (mark < marks.length && marks[mark]! < end && ANNOTATION_MARKER.test(text.slice(start, end))) {
        const comment: MarkedComment = { start, end, codeBefore };
        found.push(comment);
        waiting.push(comment);
      }
      return;
    }
    codeBefore = end;
    if (kind === 'comment-end' || kind === 'preprocessor' || waiting.length === 0) return;
    for (const comment of waiting) comment.codeAfter = start;
    waiting.length = 0;
  });
  return found;
}

type Location =
  | { readonly kind: 'body'; readonly fn: number; readonly top: boolean }
  | { readonly kind: 'before'; readonly fn: number }
  | { readonly kind: 'file' };

function place(annotation: Annotation, where: Location, placed: PlacedAnnotations, at: { offset: number; line: number; comment: string }): void {
  if (annotation.kind === 'state') {
    if (where.kind !== 'body') {
      placed.errors.push({ kind: 'annotation-error', message: STATE_OUTSIDE_BODY, range: annotation.range });
      return;
    }
    placed.all.push(annotation);
    placed.functions[where.fn]!.states.push({ offset: at.offset, line: at.line, annotation: annotation as StateAnnotation });
    return;
  }
  placed.all.push(annotation);
  const lineScoped = (annotation.kind === 'expect' && annotation.rules.length > 0) || (annotation.kind === 'ignore' && where.kind === 'body' && !where.top);
  if (where.kind === 'before') {
    placed.functions[where.fn]!.annotations.push(annotation);
    placed.functions[where.fn]!.leadingText.push(at.comment);
  } else if (where.kind === 'body') {
    if (!lineScoped) placed.functions[where.fn]!.annotations.push(annotation);
  } else if (!lineScoped) {
    placed.unit.push(annotation);
  }
}

/** The unit line a comment applies to: its own when code precedes it on that line, else the next code line. */
function attachedLine(source: UnitSource, comment: MarkedComment, ownLine: number): number {
  if (comment.codeBefore !== undefined && source.positionAt(comment.codeBefore).line === ownLine) return ownLine;
  return comment.codeAfter !== undefined ? source.positionAt(comment.codeAfter).line : ownLine;
}

function locate(source: UnitSource, extents: readonly FunctionExtent[], comment: MarkedComment, attachLine: number): Location {
  const offset = comment.start;
  for (let fn = 0; fn < extents.length; fn++) {
    const extent = extents[fn]!;
    if (extent.bodyStart !== undefined && extent.bodyEnd !== undefined && offset > extent.bodyStart && offset < extent.bodyEnd) {
      return { kind: 'body', fn, top: offset < (extent.firstStatementStart ?? extent.bodyEnd) };
    }
    if (offset >= extent.startIndex && offset < (extent.bodyStart ?? extent.endIndex)) return { kind: 'before', fn };
    if (offset < extent.startIndex && attachLine === extent.startLine && !blankLineBetween(source, source.positionAt(comment.end).line, extent.startLine)) {
      return { kind: 'before', fn };
    }
  }
  return { kind: 'file' };
}

/** A comment separated from the function by a blank line belongs to the file, not to the function. */
function blankLineBetween(source: UnitSource, commentEndLine: number, functionLine: number): boolean {
  for (let line = commentEndLine + 1; line < functionLine; line++) if (source.lineText(line).trim() === '') return true;
  return false;
}
