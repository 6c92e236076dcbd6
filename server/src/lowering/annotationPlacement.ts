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
import { tokenizeC, type CToken } from '../parsing/cTokens';
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
  const tokens = tokenizeC(source.text);
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.kind !== 'comment') continue;
    const comment = source.slice(token.start, token.end);
    if (!ANNOTATION_MARKER.test(comment)) continue;
    const start = source.positionAt(token.start);
    const attachLine = attachedLine(source, tokens, k, start.line);
    const where = locate(source, extents, token, attachLine);
    for (const unitSource of annotationSources(comment, start, attachLine)) {
      const range = source.mapRange(unitSource.range);
      const line = source.mapLine(attachLine) ?? range.start.line;
      const parsed = parseAnnotation({ text: unitSource.text, range, line });
      if (parsed.kind === 'annotation-error') {
        placed.errors.push(parsed);
        continue;
      }
      place(parsed, where, placed, { offset: token.start, line: attachLine, comment });
    }
  }
  placed.all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return placed;
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
function attachedLine(source: UnitSource, tokens: readonly CToken[], index: number, ownLine: number): number {
  for (let j = index - 1; j >= 0; j--) {
    const previous = tokens[j]!;
    if (previous.kind === 'comment') continue;
    if (source.positionAt(previous.end).line === ownLine) return ownLine;
    break;
  }
  for (let j = index + 1; j < tokens.length; j++) {
    const next = tokens[j]!;
    if (next.kind === 'comment' || next.kind === 'comment-end' || next.kind === 'preprocessor') continue;
    return source.positionAt(next.start).line;
  }
  return ownLine;
}

function locate(source: UnitSource, extents: readonly FunctionExtent[], comment: CToken, attachLine: number): Location {
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
