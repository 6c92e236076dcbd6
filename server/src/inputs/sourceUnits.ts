// Turns hunks into source units. A file patch whose file exists in the workspace is applied to it
// and the functions its hunks touch become units before and after; a new or deleted file whose
// single hunk is complete is a whole-file unit; every other hunk becomes wrapped fragments.

import type { CSyntaxChecker } from '../parsing/cSyntax';
import { isCPath } from './codeHeuristics';
import { applyHunksToFile, type AppliedFile, type HunkPlacement, type LineMap } from './applyHunks';
import { wrapFragment } from './fragmentWrapper';
import { sliceLineMap } from './positionMap';
import type { FilePatch, Hunk, HunkImage, InputProblem, SourceUnit, UnitSide } from './types';
import type { WorkspaceFiles } from './workspaceFiles';

export interface UnitOptions {
  /** Where to look for the patched files; without it every hunk is a fragment. */
  readonly workspace?: WorkspaceFiles;
  /** Used to pick fragment wrappers and to find functions; without it files stay whole. */
  readonly syntax?: CSyntaxChecker;
}

export interface UnitsResult {
  readonly units: SourceUnit[];
  readonly appliedFiles: AppliedFile[];
  readonly problems: InputProblem[];
}

export function buildUnits(hunks: readonly Hunk[], filePatches: readonly FilePatch[], options: UnitOptions): UnitsResult {
  const result: UnitsResult = { units: [], appliedFiles: [], problems: [] };
  const groups = new Map<string, Hunk[]>();
  for (const hunk of hunks) {
    const key = hunk.filePatchIndex === undefined ? `hunk:${hunk.index}` : `file:${hunk.filePatchIndex}`;
    groups.set(key, [...(groups.get(key) ?? []), hunk]);
  }
  const files = new FileStates(options.workspace);
  for (const group of groups.values()) {
    const filePatch = group[0].filePatchIndex === undefined ? undefined : filePatches[group[0].filePatchIndex];
    unitsForFile(group, filePatch, files, options.syntax, result);
  }
  return result;
}

/** A file's text as the patches read so far leave it, and where its lines come from. */
interface FileState {
  readonly text: string;
  readonly map: LineMap | undefined;
}

/**
 * The files of the workspace as a series of patches changes them: a patch later in an mbox is
 * applied to the file as the earlier patches left it, and a file added by one patch can be
 * changed by the next even without a workspace.
 */
class FileStates {
  private readonly changed = new Map<string, FileState | 'deleted'>();

  constructor(private readonly workspace: WorkspaceFiles | undefined) {}

  get(path: string): FileState | undefined {
    const state = this.changed.get(path);
    if (state === 'deleted') return undefined;
    if (state) return state;
    const text = this.workspace?.read(path);
    return text === undefined ? undefined : { text, map: undefined };
  }

  set(path: string, state: FileState | 'deleted'): void {
    this.changed.set(path, state);
  }
}

function unitsForFile(hunks: Hunk[], filePatch: FilePatch | undefined, files: FileStates, syntax: CSyntaxChecker | undefined, result: UnitsResult): void {
  const path = filePatch ? (filePatch.newPath ?? filePatch.oldPath) : hunks[0].path;
  if (path !== undefined && !isCPath(path)) {
    problem(result, 'info', 'not-c', `${path} is not C; its ${hunks.length} hunk(s) are not analysed`, hunks[0]);
    return;
  }
  const paths = { pre: filePatch?.oldPath ?? path, post: filePatch?.newPath ?? path };
  let fragments = hunks;
  const applicable = hunks.filter((h) => h.complete && h.header !== undefined);
  // A new file is its hunk's post-image; applying "@@ -0,0" to a file that exists would duplicate it.
  const tried = filePatch && filePatch.change !== 'added' ? applyToFiles(filePatch, applicable, files) : undefined;
  const applied = tried && tried.placements.some((p) => p.applied) ? tried : undefined;
  if (tried && !applied) reportPlacements(tried, hunks, result);
  if (applied) {
    result.appliedFiles.push(applied);
    reportPlacements(applied, hunks, result);
    const placed = new Set(applied.placements.filter((p) => p.applied).map((p) => p.hunkIndex));
    functionUnits(applied, hunks.filter((h) => placed.has(h.index)), paths, syntax, result);
    fragments = hunks.filter((h) => !placed.has(h.index));
  } else if (filePatch && hunks.length === 1 && hunks[0].complete && (filePatch.change === 'added' || filePatch.change === 'deleted')) {
    const hunk = hunks[0];
    const side: UnitSide = filePatch.change === 'added' ? 'post' : 'pre';
    const image = side === 'post' ? hunk.postImage : hunk.preImage;
    const map = image.positionMap as LineMap;
    result.units.push(unit('file', side, paths[side], image.text, map, [hunk.index], undefined, true, undefined));
    if (filePatch.newPath) files.set(filePatch.newPath, { text: image.text, map });
    if (filePatch.change === 'deleted' && filePatch.oldPath) files.set(filePatch.oldPath, 'deleted');
    fragments = [];
  }
  for (const hunk of fragments) {
    for (const side of ['pre', 'post'] as const) {
      const image = side === 'pre' ? hunk.preImage : hunk.postImage;
      if (!hasCode(image)) continue;
      const wrapped = wrapFragment(image, syntax);
      result.units.push(
        unit('fragment', side, paths[side], wrapped.text, wrapped.positionMap, [hunk.index], hunk.functionName ?? wrapped.functionNames[0], hunk.complete, {
          name: wrapped.wrapper,
          syntaxIssues: wrapped.syntaxIssues,
        }),
      );
    }
  }
}

/**
 * Applies the hunks to the old path, or to the new path when the file was already renamed or
 * patched, and records the result for later patches of a series. Undefined when no file was
 * found; a result with no hunk placed when none applied.
 */
function applyToFiles(filePatch: FilePatch, hunks: Hunk[], files: FileStates): AppliedFile | undefined {
  if (hunks.length === 0 || filePatch.binary) return undefined;
  let best: AppliedFile | undefined;
  const placedCount = (a: AppliedFile): number => a.placements.filter((p) => p.applied).length;
  for (const path of new Set([filePatch.oldPath, filePatch.newPath])) {
    if (path === undefined) continue;
    const state = files.get(path);
    if (state === undefined) continue;
    const applied = applyHunksToFile(state.text, path, hunks, { baseMap: state.map });
    if (!best || placedCount(applied) > placedCount(best)) best = applied;
  }
  if (!best || placedCount(best) === 0) return best;
  if (filePatch.oldPath && filePatch.oldPath !== filePatch.newPath && filePatch.change !== 'copied') files.set(filePatch.oldPath, 'deleted');
  if (filePatch.newPath) files.set(filePatch.newPath, { text: best.postText, map: best.postMap });
  return best;
}

function reportPlacements(applied: AppliedFile, hunks: readonly Hunk[], result: UnitsResult): void {
  const byIndex = new Map(hunks.map((h) => [h.index, h]));
  if (applied.direction === 'already-applied') {
    problem(result, 'info', 'patch-already-applied', `${applied.path} already contains this patch; the pre-image was rebuilt by reversing it`, hunks[0]);
  }
  for (const placement of applied.placements) {
    const hunk = byIndex.get(placement.hunkIndex)!;
    if (!placement.applied) {
      problem(result, 'warning', 'hunk-not-applied', `${placement.reason} in ${applied.path}; analysed as a fragment`, hunk);
    } else if (placement.offset !== 0 || placement.fuzz > 0 || placement.ignoredWhitespace) {
      const notes = [
        placement.offset !== 0 ? `offset ${placement.offset} line(s)` : '',
        placement.fuzz > 0 ? `fuzz ${placement.fuzz}` : '',
        placement.ignoredWhitespace ? 'whitespace ignored' : '',
      ].filter((s) => s !== '');
      problem(result, 'info', 'hunk-applied-loosely', `hunk ${hunk.index + 1} applied to ${applied.path} at line ${placement.preLines!.start + 1} (${notes.join(', ')})`, hunk);
    }
  }
}

/** One unit per function (and side) that a placed hunk changes; whole files without a checker. */
function functionUnits(
  applied: AppliedFile,
  hunks: readonly Hunk[],
  paths: { pre: string | undefined; post: string | undefined },
  syntax: CSyntaxChecker | undefined,
  result: UnitsResult,
): void {
  if (hunks.length === 0) return;
  const indexes = hunks.map((h) => h.index);
  if (!syntax) {
    result.units.push(unit('file', 'pre', paths.pre, applied.preText, applied.preMap, indexes, undefined, true, undefined));
    result.units.push(unit('file', 'post', paths.post, applied.postText, applied.postMap, indexes, undefined, true, undefined));
    return;
  }
  for (const side of ['pre', 'post'] as const) {
    const text = side === 'pre' ? applied.preText : applied.postText;
    const map = side === 'pre' ? applied.preMap : applied.postMap;
    const spans = syntax.functionSpans(text);
    const found = new Map<number, { span: (typeof spans)[number]; hunks: number[] }>();
    for (const hunk of hunks) {
      const placement = applied.placements.find((p) => p.hunkIndex === hunk.index)!;
      for (const line of changedLines(hunk, placement, side)) {
        const span = spans.find((s) => s.range.start.line <= line && line <= s.range.end.line);
        if (!span) continue;
        const entry = found.get(span.range.start.line) ?? { span, hunks: [] };
        if (!entry.hunks.includes(hunk.index)) entry.hunks.push(hunk.index);
        found.set(span.range.start.line, entry);
      }
    }
    const lines = text.split('\n');
    for (const { span, hunks: hunkIndexes } of [...found.values()].sort((a, b) => a.span.range.start.line - b.span.range.start.line)) {
      const start = span.range.start.line;
      const end = span.range.end.line;
      const body = lines.slice(start, end + 1).join('\n') + '\n';
      result.units.push(unit('function', side, paths[side], body, sliceLineMap(map, start, end), hunkIndexes, span.name, true, undefined));
    }
  }
}

/** The lines of `side` the hunk changes (removed or added); its whole extent when it changes none there. */
function changedLines(hunk: Hunk, placement: HunkPlacement, side: 'pre' | 'post'): number[] {
  const own = side === 'pre' ? 'removed' : 'added';
  const extent = side === 'pre' ? placement.preLines! : placement.postLines!;
  const changed: number[] = [];
  let line = extent.start;
  for (const hunkLine of hunk.lines) {
    if (hunkLine.kind !== 'context' && hunkLine.kind !== own) continue;
    if (hunkLine.kind === own) changed.push(line);
    line++;
  }
  if (changed.length > 0) return changed;
  const all: number[] = [];
  for (let l = extent.start; l < extent.end; l++) all.push(l);
  return all;
}

function hasCode(image: HunkImage): boolean {
  return image.text.trim() !== '';
}

function unit(
  kind: SourceUnit['kind'],
  side: UnitSide,
  path: string | undefined,
  text: string,
  positionMap: SourceUnit['positionMap'],
  hunkIndexes: number[],
  functionName: string | undefined,
  complete: boolean,
  wrapper: SourceUnit['wrapper'],
): SourceUnit {
  return { kind, side, path, text, positionMap, hunkIndexes, functionName, complete, wrapper };
}

function problem(result: UnitsResult, severity: InputProblem['severity'], code: string, message: string, hunk: Hunk): void {
  result.problems.push({ severity, code, message, range: hunk.range });
}
