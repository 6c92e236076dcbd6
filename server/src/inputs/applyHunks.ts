// Applies the hunks of one file patch to the file found in the workspace, the way `patch` does:
// each hunk is looked for at its @@ line, then ever further away (offset), then with up to two
// context lines at each end ignored (fuzz), then ignoring whitespace (for mail-mangled tabs).
// When the hunks do not apply but their post-images are found, the file already has the patch
// and the pre-image is rebuilt by applying it in reverse.
// Lines from a hunk map to the document; all other lines map to the workspace file.

import { splitLines } from '../text/lines';
import { documentPieces } from './hunkImages';
import type { LinePiece } from './positionMap';
import type { AppliedFile, Hunk, HunkLine, HunkPlacement, LineMap } from './types';

export type { AppliedFile, HunkPlacement, LineMap };

export interface ApplyOptions {
  /** Most context lines ignored at each end of a hunk (patch's default is 2). */
  readonly maxFuzz?: number;
  /**
   * Where the lines of `fileText` come from, when it is not the workspace file as is (in a
   * series, the file as an earlier patch left it). Defaults to line i of the workspace file.
   */
  readonly baseMap?: LineMap;
}

interface MappedLine {
  readonly text: string;
  readonly pieces: readonly LinePiece[];
}

interface DirectionResult {
  readonly source: MappedLine[];
  readonly target: MappedLine[];
  readonly targetFinalNewline: boolean;
  readonly placements: HunkPlacement[];
}

/** Applies `hunks` (all from one file patch, each with an @@ header) to `fileText`. Never throws. */
export function applyHunksToFile(fileText: string, path: string, hunks: readonly Hunk[], options: ApplyOptions = {}): AppliedFile {
  const split = splitLines(fileText);
  const finalNewline = split.length > 1 && split[split.length - 1].text === '';
  const fileLines = (finalNewline ? split.slice(0, -1) : split).map((l) => l.text);
  if (fileText === '') fileLines.length = 0;
  const withHeaders = hunks.filter((h) => h.header !== undefined);
  const maxFuzz = options.maxFuzz ?? 2;
  const origin = (line: number): readonly LinePiece[] => options.baseMap?.lines[line] ?? [fileOrigin(line)];
  const forward = applyDirection(fileLines, finalNewline, withHeaders, 'forward', maxFuzz, origin);
  const placed = (r: DirectionResult): number => r.placements.filter((p) => p.applied).length;
  let chosen = forward;
  let direction: AppliedFile['direction'] = 'forward';
  // Unless every hunk applied exactly where its header says, the file may already hold the
  // patch: a forward match found far away or loosely (e.g. the same context in another
  // function) must not beat an exact match of the post-images.
  if (cost(forward) > 0) {
    const reverse = applyDirection(fileLines, finalNewline, withHeaders, 'reverse', maxFuzz, origin);
    if (placed(reverse) > placed(forward) || (placed(reverse) === placed(forward) && cost(reverse) < cost(forward))) {
      chosen = reverse;
      direction = 'already-applied';
    }
  }
  const sourceText = joinLines(chosen.source, finalNewline);
  const targetText = joinLines(chosen.target, chosen.targetFinalNewline);
  const mapPath = options.baseMap?.workspaceFile ?? path;
  const sourceMap = lineMap(chosen.source, mapPath);
  const targetMap = lineMap(chosen.target, mapPath);
  const placements = direction === 'forward' ? chosen.placements : chosen.placements.map(swapSides);
  return direction === 'forward'
    ? { path, direction, preText: sourceText, postText: targetText, preMap: sourceMap, postMap: targetMap, placements }
    : { path, direction, preText: targetText, postText: sourceText, preMap: targetMap, postMap: sourceMap, placements };
}

/** How far from exact a direction's placements are: 0 when every hunk applied where its header says. */
function cost(result: DirectionResult): number {
  return result.placements.reduce((n, p) => n + (p.applied ? Math.abs(p.offset) + 1000 * p.fuzz + (p.ignoredWhitespace ? 100_000 : 0) : 10_000_000), 0);
}

function applyDirection(
  fileLines: readonly string[],
  finalNewline: boolean,
  hunks: readonly Hunk[],
  direction: 'forward' | 'reverse',
  maxFuzz: number,
  origin: (line: number) => readonly LinePiece[],
): DirectionResult {
  const sourceKind = direction === 'forward' ? 'removed' : 'added';
  const startOf = (h: Hunk): number => (direction === 'forward' ? h.header!.oldStart : h.header!.newStart);
  const source: MappedLine[] = fileLines.map((text, line) => ({ text, pieces: origin(line) }));
  const target: MappedLine[] = [];
  const placements: HunkPlacement[] = [];
  const matcher = new LineMatcher(fileLines);
  let cursor = 0; // first file line not yet copied to the target
  let drift = 0; // offset of the previous hunk, carried forward as patch does
  let targetFinalNewline = finalNewline;
  for (const hunk of [...hunks].sort((a, b) => startOf(a) - startOf(b))) {
    const sourceLines = hunk.lines.filter((l) => l.kind === 'context' || l.kind === sourceKind);
    const expected = (sourceLines.length === 0 ? startOf(hunk) : startOf(hunk) - 1);
    const match = matcher.locate(sourceLines, expected + drift, cursor, maxFuzz);
    if (!match) {
      placements.push({ hunkIndex: hunk.index, applied: false, preLines: undefined, postLines: undefined, offset: 0, fuzz: 0, ignoredWhitespace: false, reason: `hunk ${hunk.index + 1} does not match the file near line ${expected + 1}, even with fuzz ${maxFuzz} and whitespace ignored` });
      continue;
    }
    for (let k = cursor; k < match.start; k++) target.push({ text: fileLines[k], pieces: origin(k) });
    const targetStart = target.length;
    let p = match.start;
    let sourceIndex = 0;
    for (const line of hunk.lines) {
      if (line.kind === 'context' || line.kind === sourceKind) {
        const matched = sourceIndex >= match.fuzz && sourceIndex < sourceLines.length - match.trailingFuzz;
        const pieces = matched ? alignedPieces(fileLines[p], line) : origin(p);
        if (matched) source[p] = { text: fileLines[p], pieces };
        if (line.kind === 'context') target.push({ text: fileLines[p], pieces });
        p++;
        sourceIndex++;
      } else {
        target.push({ text: line.text, pieces: documentPieces(line) });
      }
    }
    if (p === fileLines.length && hunk.lines.length > 0) {
      const targetSide = hunk.lines.filter((l) => l.kind !== sourceKind);
      if (targetSide.length > 0) targetFinalNewline = !targetSide[targetSide.length - 1].noNewlineAtEnd;
    }
    placements.push({
      hunkIndex: hunk.index,
      applied: true,
      preLines: { start: match.start, end: p },
      postLines: { start: targetStart, end: target.length },
      offset: match.start - expected,
      fuzz: match.fuzz,
      ignoredWhitespace: match.loose,
      reason: undefined,
    });
    drift = match.start - expected;
    cursor = p;
  }
  for (let k = cursor; k < fileLines.length; k++) target.push({ text: fileLines[k], pieces: origin(k) });
  return { source, target, targetFinalNewline, placements };
}

interface Match {
  /** File line where the hunk's first source line lies. */
  readonly start: number;
  readonly fuzz: number;
  readonly trailingFuzz: number;
  readonly loose: boolean;
}

/** Finds hunk source lines in the file: nearest offset first, fuzz and whitespace as last resorts. */
class LineMatcher {
  private normalised: string[] | undefined;

  constructor(private readonly fileLines: readonly string[]) {}

  locate(sourceLines: readonly HunkLine[], expected: number, cursor: number, maxFuzz: number): Match | undefined {
    const n = this.fileLines.length;
    if (sourceLines.length === 0) {
      const start = Math.max(cursor, Math.min(expected, n));
      return { start, fuzz: 0, trailingFuzz: 0, loose: false };
    }
    const leadingContext = countWhile(sourceLines, (l) => l.kind === 'context');
    const trailingContext = countWhile([...sourceLines].reverse(), (l) => l.kind === 'context');
    for (let fuzz = 0; fuzz <= maxFuzz; fuzz++) {
      const lead = Math.min(fuzz, leadingContext);
      const trail = Math.min(fuzz, trailingContext);
      if (fuzz > 0 && lead === 0 && trail === 0) continue;
      const pattern = sourceLines.slice(lead, sourceLines.length - trail).map((l) => l.text);
      if (pattern.length === 0) continue;
      for (const loose of [false, true]) {
        const at = this.search(pattern, expected + lead, cursor + lead, loose);
        if (at !== undefined) return { start: at - lead, fuzz: lead, trailingFuzz: trail, loose };
      }
    }
    return undefined;
  }

  private search(pattern: readonly string[], expected: number, lowest: number, loose: boolean): number | undefined {
    const highest = this.fileLines.length - pattern.length;
    if (highest < lowest) return undefined;
    const lines = loose ? (this.normalised ??= this.fileLines.map(normalise)) : this.fileLines;
    const wanted = loose ? pattern.map(normalise) : pattern;
    const matchesAt = (at: number): boolean => {
      for (let k = 0; k < wanted.length; k++) if (lines[at + k] !== wanted[k]) return false;
      return true;
    };
    const span = Math.max(expected - lowest, highest - expected);
    for (let distance = 0; distance <= span; distance++) {
      for (const at of distance === 0 ? [expected] : [expected + distance, expected - distance]) {
        if (at >= lowest && at <= highest && matchesAt(at)) return at;
      }
    }
    return undefined;
  }
}

function normalise(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

function countWhile<T>(items: readonly T[], test: (item: T) => boolean): number {
  let count = 0;
  while (count < items.length && test(items[count])) count++;
  return count;
}

function fileOrigin(line: number): LinePiece {
  return { unitColumn: 0, source: 'workspace-file', line, character: 0 };
}

/** Pieces for a file line matched by a hunk line: the document's columns, lined up after the indentation when whitespace differs. */
function alignedPieces(fileLine: string, hunkLine: HunkLine): LinePiece[] {
  if (fileLine === hunkLine.text) return documentPieces(hunkLine);
  const origin = hunkLine.origins[0];
  const fileIndent = /^\s*/.exec(fileLine)![0].length;
  const hunkIndent = /^\s*/.exec(hunkLine.text)![0].length;
  return [{ unitColumn: fileIndent, source: 'document', line: origin.line, character: origin.character + hunkIndent }];
}

function joinLines(lines: readonly MappedLine[], finalNewline: boolean): string {
  if (lines.length === 0) return '';
  return lines.map((l) => l.text).join('\n') + (finalNewline ? '\n' : '');
}

function lineMap(lines: readonly MappedLine[], path: string): LineMap {
  return { kind: 'lines', lines: lines.map((l) => l.pieces), workspaceFile: path, fragment: undefined };
}

function swapSides(placement: HunkPlacement): HunkPlacement {
  return { ...placement, preLines: placement.postLines, postLines: placement.preLines };
}
