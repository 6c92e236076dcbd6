// Finds file headers and hunks at every quote depth. A hunk with an @@ line is read until its
// line counts are met; review comments (lines at another quote depth) may interrupt it, `[...]`
// snips make it incomplete, and a context line whose leading space the quoting ate still counts.
// A run of quoted `+`/`-` lines without an @@ line is read as a hunk of unknown extent.

import { range } from '../text/positions';
import { isCPath, isSnipMarker, looksLikeC } from './codeHeuristics';
import type { DocumentLine } from './documentLines';
import {
  emptyHeaderFields,
  isBinaryPatchData,
  parseGitDiffLine,
  parseMarkerPath,
  readExtendedHeaderLine,
  resolveFileHeader,
  type FileHeaderFields,
} from './fileHeaders';
import type { FilePatch, Hunk, HunkHeader, HunkLine, InputProblem, TextOrigin } from './types';

/** A hunk as found, before its images are rebuilt. */
export type HunkBody = Omit<Hunk, 'preImage' | 'postImage'>;

export interface Extraction {
  readonly filePatches: FilePatch[];
  readonly hunks: HunkBody[];
  readonly problems: InputProblem[];
}

/** The part of a hunk header's function context searched for the function's name. */
const MAX_CONTEXT = 400;

/** The longest review comment (in lines) that a hunk may go on after. */
const MAX_GAP_LINES = 60;

/** A line shorter than this was not wrapped by a mail client (they wrap at 72–78 columns). */
const WRAP_MIN_COLUMN = 60;

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

export function parseHunkHeader(content: string): { header: HunkHeader; functionContext: string | undefined } | undefined {
  const m = HUNK_HEADER.exec(content);
  if (!m) return undefined;
  const num = (s: string | undefined, fallback: number): number => (s === undefined ? fallback : Math.min(Number(s), 10_000_000));
  const header = { oldStart: num(m[1], 0), oldCount: num(m[2], 1), newStart: num(m[3], 0), newCount: num(m[4], 1) };
  const context = m[5].trim();
  return { header, functionContext: context === '' ? undefined : context };
}

/** The function an @@ line's context names: `static int foo(struct bar *b,` gives `foo`. */
export function functionNameFromContext(context: string | undefined): string | undefined {
  // git writes at most 80 characters of context; a longer one is junk, and the pattern backtracks quadratically on it
  return context ? /([A-Za-z_]\w*)\s*\(/.exec(context.slice(0, MAX_CONTEXT))?.[1] : undefined;
}

interface MutableHunkLine {
  kind: HunkLine['kind'];
  text: string;
  origins: Array<TextOrigin & { unitColumn: number }>;
  noNewlineAtEnd: boolean;
  markerMissing: boolean;
}

export function extractPatches(lines: readonly DocumentLine[], messageOf: (line: number) => number): Extraction {
  return new Extractor(lines, messageOf).run();
}

class Extractor {
  private readonly filePatches: FilePatch[] = [];
  private readonly hunks: HunkBody[] = [];
  private readonly problems: InputProblem[] = [];
  /** The file section open at each quote depth. */
  private readonly openFile = new Map<number, number>();
  private message = 0;

  constructor(
    private readonly lines: readonly DocumentLine[],
    private readonly messageOf: (line: number) => number,
  ) {}

  run(): Extraction {
    let i = 0;
    while (i < this.lines.length) {
      const line = this.lines[i];
      if (this.messageOf(i) !== this.message) {
        this.message = this.messageOf(i);
        this.openFile.clear();
      }
      if (line.tooLong) {
        this.problem('info', 'line-too-long', `line ${i + 1} has ${line.raw.length} characters; it is not read as part of a patch`, i);
        i++;
        continue;
      }
      if (this.startsFileHeader(i)) {
        i = this.readFileHeader(i);
        continue;
      }
      const hunkHeader = parseHunkHeader(line.content);
      if (hunkHeader) {
        i = this.readHunk(i, hunkHeader.header, hunkHeader.functionContext);
        continue;
      }
      if (/^@@ -/.test(line.content) || line.content.trim() === 'diff --git') {
        this.problem('warning', 'bad-patch-header', `line ${i + 1} looks like a patch header but cannot be read: "${clip(line.content)}"`, i);
        i++;
        continue;
      }
      if (line.depth > 0 && this.startsHeaderlessHunk(i)) {
        i = this.readHeaderlessHunk(i);
        continue;
      }
      i++;
    }
    return { filePatches: this.filePatches, hunks: this.hunks, problems: this.problems };
  }

  // ---- file headers -------------------------------------------------------------------------

  private startsFileHeader(i: number): boolean {
    const content = this.lines[i].content;
    if (content.startsWith('diff --git ')) return true;
    return content.startsWith('--- ') && this.sameDepthNext(i)?.content.startsWith('+++ ') === true;
  }

  private readFileHeader(start: number): number {
    const depth = this.lines[start].depth;
    const fields: FileHeaderFields = emptyHeaderFields();
    let i = start;
    if (this.lines[i].content.startsWith('diff --git ')) {
      const paths = parseGitDiffLine(this.lines[i].content);
      if (paths) {
        fields.gitOld = paths.oldPath;
        fields.gitNew = paths.newPath;
      } else {
        this.problem('warning', 'bad-file-header', `cannot read the paths in "${clip(this.lines[i].content)}"`, i);
      }
      i++;
      for (; i < this.lines.length && this.isAt(i, depth); i++) {
        const content = this.lines[i].content;
        if (content.startsWith('--- ') || content.startsWith('diff --git ') || HUNK_HEADER.test(content)) break;
        const effect = readExtendedHeaderLine(content, fields);
        if (effect === 'end') break;
        if (effect === 'binary-data') {
          while (i + 1 < this.lines.length && this.isAt(i + 1, depth) && isBinaryPatchData(this.lines[i + 1].content)) i++;
        }
      }
    }
    if (i < this.lines.length && this.isAt(i, depth) && this.lines[i].content.startsWith('--- ')) {
      const plus = this.sameDepthNext(i);
      if (plus?.content.startsWith('+++ ')) {
        fields.markerOld = parseMarkerPath(this.lines[i].content.slice(4)) ?? null;
        fields.markerNew = parseMarkerPath(plus.content.slice(4)) ?? null;
        i = plus.index + 1;
      }
    }
    const { oldPath, newPath, change } = resolveFileHeader(fields);
    const end = Math.max(start, i - 1);
    const filePatch: FilePatch = {
      index: this.filePatches.length,
      oldPath,
      newPath,
      change,
      binary: fields.binary,
      quoteDepth: depth,
      messageIndex: this.message,
      range: range(start, 0, end, this.lines[end].raw.length),
      hunkIndexes: [],
    };
    this.filePatches.push(filePatch);
    this.openFile.set(depth, filePatch.index);
    if (fields.binary) this.problem('info', 'binary-file-patch', `binary patch for ${newPath ?? oldPath ?? 'a file'}: nothing to analyse`, start);
    return i;
  }

  // ---- hunks with an @@ line ------------------------------------------------------------------

  private readHunk(start: number, header: HunkHeader, functionContext: string | undefined): number {
    const depth = this.lines[start].depth;
    const body: MutableHunkLine[] = [];
    const interleaved: number[] = [];
    let oldLeft = header.oldCount;
    let newLeft = header.newCount;
    const markersKept = this.contextMarkersKept(start + 1, depth, header.oldCount + header.newCount);
    let snipLine: number | undefined;
    let mismatchLine: number | undefined;
    let afterGap = false; // the previous hunk line is separated from this one by comments or a snip
    let end = start;
    let i = start + 1;
    while (i < this.lines.length && (oldLeft > 0 || newLeft > 0)) {
      const line = this.lines[i];
      if (this.messageOf(i) !== this.message || line.tooLong) break;
      if (isSnip(line, depth)) {
        snipLine ??= i;
        afterGap = true;
        i++;
        continue;
      }
      // An empty line is an empty context line in a plain diff; in a quote, only if the hunk goes on after it.
      const blank = line.content === '' && line.depth === depth;
      const blankIsContext = blank && (depth === 0 || (oldLeft === 1 && newLeft === 1) || this.hunkGoesOnAfterBlanks(i, depth, markersKept, false));
      if (line.depth !== depth || (blank && !blankIsContext)) {
        const resume = this.resumeAfterGap(i, depth, (c) => isHunkContent(c, !markersKept, true));
        if (resume.at === undefined || !this.blockFits(resume.at, depth, oldLeft, newLeft)) {
          // a snip just after the last quoted line still explains the missing lines
          if (resume.snipLine !== undefined) snipLine ??= resume.snipLine;
          break;
        }
        for (let k = i; k < resume.at; k++) interleaved.push(k);
        if (resume.snipLine !== undefined) snipLine ??= resume.snipLine;
        afterGap = true;
        i = resume.at;
        continue;
      }
      if (this.isStructural(i)) break;
      const content = line.content;
      const marker = content[0];
      const kind = marker === '+' ? 'added' : marker === '-' ? 'removed' : marker === ' ' || content === '' ? 'context' : marker === '\\' ? 'no-newline' : 'unmarked';
      if (kind === 'no-newline') {
        if (body.length > 0) body[body.length - 1].noNewlineAtEnd = true;
        end = i++;
        continue;
      }
      if (kind === 'unmarked' && markersKept && body.length > 0 && !afterGap && body[body.length - 1].text.length + 1 >= WRAP_MIN_COLUMN) {
        joinWrappedLine(body[body.length - 1], line);
        this.problem('warning', 'line-wrapped', `line ${i + 1} looks wrapped by the mail client; joined to the line before`, i);
        end = i++;
        continue;
      }
      if (kind === 'unmarked' && (markersKept || (afterGap && !looksLikeC(content)))) break;
      const isContext = kind === 'context' || kind === 'unmarked';
      if ((kind === 'added' && newLeft === 0) || (kind === 'removed' && oldLeft === 0) || (isContext && (oldLeft === 0 || newLeft === 0))) {
        mismatchLine = i;
        break;
      }
      body.push(hunkLine(isContext ? 'context' : kind, line, kind === 'unmarked' || content === '' ? 0 : 1));
      if (kind !== 'added') oldLeft--;
      if (kind !== 'removed') newLeft--;
      afterGap = false;
      end = i++;
    }
    // `\ No newline at end of file` right after the last counted line
    if (i < this.lines.length && this.isAt(i, depth) && this.lines[i].content.startsWith('\\') && body.length > 0) {
      body[body.length - 1].noNewlineAtEnd = true;
      end = i++;
    }
    let incompleteReason: string | undefined;
    if (oldLeft > 0 || newLeft > 0) {
      const found = `-${header.oldCount - oldLeft} +${header.newCount - newLeft}`;
      if (snipLine !== undefined) incompleteReason = `snipped at line ${snipLine + 1}: the @@ line promises -${header.oldCount} +${header.newCount} lines, ${found} quoted`;
      else if (mismatchLine !== undefined) incompleteReason = `line ${mismatchLine + 1} does not fit the @@ line's counts (-${header.oldCount} +${header.newCount}; ${found} read before it)`;
      else incompleteReason = `truncated: the @@ line promises -${header.oldCount} +${header.newCount} lines, only ${found} found`;
    } else if (snipLine !== undefined) {
      incompleteReason = `snipped at line ${snipLine + 1}`;
    }
    const filePatchIndex = this.openFile.get(depth);
    this.addHunk({ start, end, depth, header, functionContext, body, interleaved, incompleteReason, filePatchIndex, snipLine });
    return Math.max(i, start + 1);
  }

  /** Whether context lines in the coming hunk keep their leading space (then an unmarked line is a wrapped one). */
  private contextMarkersKept(from: number, depth: number, limit: number): boolean {
    let seen = 0;
    for (let i = from; i < this.lines.length && seen < limit; i++) {
      const line = this.lines[i];
      if (line.depth !== depth || line.tooLong) continue;
      if (this.isStructural(i)) break;
      if (line.content.startsWith(' ')) return true;
      seen++;
    }
    return false;
  }

  // ---- hunks without an @@ line (quoted + and - runs) -----------------------------------------

  private startsHeaderlessHunk(i: number): boolean {
    const depth = this.lines[i].depth;
    if (!isMarkedContent(this.lines[i].content)) return false;
    let marked = 0;
    let code = 0;
    for (let k = i; k < this.lines.length && this.isAt(k, depth) && k < i + 200; k++) {
      const content = this.lines[k].content;
      if (this.isStructural(k)) break;
      if (!isMarkedContent(content)) continue;
      marked++;
      if (looksLikeC(content.slice(1))) code++;
    }
    return marked >= 2 && code >= 1 && code * 2 >= marked;
  }

  private readHeaderlessHunk(start: number): number {
    const depth = this.lines[start].depth;
    const body: MutableHunkLine[] = [];
    const interleaved: number[] = [];
    let snipLine: number | undefined;
    let end = start;
    let i = start;
    while (i < this.lines.length) {
      const line = this.lines[i];
      if (this.messageOf(i) !== this.message || line.tooLong) break;
      if (isSnip(line, depth)) {
        snipLine ??= i;
        i++;
        continue;
      }
      const blankContinues = line.content === '' && line.depth === depth && this.hunkGoesOnAfterBlanks(i, depth, false, true);
      if (line.depth !== depth || (line.content === '' && !blankContinues)) {
        const resume = this.resumeAfterGap(i, depth, isMarkedContent);
        if (resume.at === undefined) break;
        for (let k = i; k < resume.at; k++) interleaved.push(k);
        if (resume.snipLine !== undefined) snipLine ??= resume.snipLine;
        i = resume.at;
        continue;
      }
      if (this.isStructural(i)) break;
      const content = line.content;
      if (content.startsWith('\\')) {
        if (body.length > 0) body[body.length - 1].noNewlineAtEnd = true;
        end = i++;
        continue;
      }
      if (isMarkedContent(content)) body.push(hunkLine(content[0] === '+' ? 'added' : 'removed', line, 1));
      else if (content === '' || content.startsWith(' ')) body.push(hunkLine('context', line, content === '' ? 0 : 1));
      else if (looksLikeC(content)) body.push(hunkLine('context', line, 0));
      else break;
      end = i++;
    }
    const incompleteReason = snipLine !== undefined ? `snipped at line ${snipLine + 1}` : undefined;
    this.addHunk({ start, end, depth, header: undefined, functionContext: undefined, body, interleaved, incompleteReason, filePatchIndex: undefined, snipLine });
    this.problem('info', 'hunk-without-header', `quoted hunk without an @@ line (lines ${start + 1}–${end + 1}): its extent is taken from the quoting`, start);
    return Math.max(i, start + 1);
  }

  // ---- shared ---------------------------------------------------------------------------------

  /**
   * After a line that is not part of the hunk (a review comment, a blank quote line), finds where
   * the hunk goes on: the next line at `depth` that `continues` accepts, with only other-depth or
   * blank lines before it. Undefined when the quote ends, a header or another message comes first.
   */
  private resumeAfterGap(from: number, depth: number, continues: (content: string) => boolean): { at: number | undefined; snipLine: number | undefined } {
    let snipLine: number | undefined;
    for (let k = from; k < this.lines.length && k - from <= MAX_GAP_LINES; k++) {
      const line = this.lines[k];
      if (this.messageOf(k) !== this.message || line.tooLong) break;
      if (isSnip(line, depth)) {
        snipLine ??= k;
        continue;
      }
      if (line.depth !== depth || line.content === '') continue;
      if (this.isStructural(k) || !continues(line.content)) break;
      return { at: k, snipLine };
    }
    return { at: undefined, snipLine };
  }

  /** Whether the quoted block from `at` fits in what the @@ line's counts still allow. */
  private blockFits(at: number, depth: number, oldLeft: number, newLeft: number): boolean {
    let old = 0;
    let added = 0;
    let blanks = 0; // empty lines count only when the block goes on after them
    for (let k = at; k < this.lines.length && this.isAt(k, depth) && !this.isStructural(k); k++) {
      const content = this.lines[k].content;
      if (isSnip(this.lines[k], depth)) break;
      if (content === '') {
        blanks++;
        continue;
      }
      old += blanks;
      added += blanks;
      blanks = 0;
      if (content.startsWith('+')) added++;
      else if (content.startsWith('-')) old++;
      else if (!content.startsWith('\\')) {
        old++;
        added++;
      }
    }
    return old <= oldLeft && added <= newLeft;
  }

  /** Whether, after the empty lines from `i` at `depth`, the next line continues the hunk. */
  private hunkGoesOnAfterBlanks(i: number, depth: number, markersKept: boolean, markedOnly: boolean): boolean {
    let k = i;
    while (k < this.lines.length && this.isAt(k, depth) && this.lines[k].content === '') k++;
    return this.isHunkLineAt(k, depth, markersKept, markedOnly);
  }

  private isHunkLineAt(i: number, depth: number, markersKept: boolean, markedOnly: boolean): boolean {
    const line = this.lines[i];
    if (!line || line.depth !== depth || line.tooLong || line.content === '' || this.isStructural(i)) return false;
    return markedOnly ? isMarkedContent(line.content) || line.content.startsWith(' ') : isHunkContent(line.content, !markersKept, false);
  }

  /** A line that starts something else: a file header, an @@ line, a mail separator. */
  private isStructural(i: number): boolean {
    const content = this.lines[i].content;
    return content.startsWith('diff --git ') || HUNK_HEADER.test(content) || content === '-- ' || (content.startsWith('--- ') && this.sameDepthNext(i)?.content.startsWith('+++ ') === true);
  }

  private isAt(i: number, depth: number): boolean {
    return this.lines[i].depth === depth && !this.lines[i].tooLong;
  }

  private sameDepthNext(i: number): DocumentLine | undefined {
    const next = this.lines[i + 1];
    return next && next.depth === this.lines[i].depth && !next.tooLong ? next : undefined;
  }

  private addHunk(draft: {
    start: number;
    end: number;
    depth: number;
    header: HunkHeader | undefined;
    functionContext: string | undefined;
    body: MutableHunkLine[];
    interleaved: number[];
    incompleteReason: string | undefined;
    filePatchIndex: number | undefined;
    snipLine: number | undefined;
  }): void {
    const { start, end, depth, header, body } = draft;
    const index = this.hunks.length;
    const filePatch = draft.filePatchIndex === undefined ? undefined : this.filePatches[draft.filePatchIndex];
    const path = filePatch ? (filePatch.newPath ?? filePatch.oldPath) : undefined;
    const tabsMangled = (path === undefined || isCPath(path)) && indentationMangled(body);
    const hunk: HunkBody = {
      index,
      filePatchIndex: draft.filePatchIndex,
      path,
      header,
      functionContext: draft.functionContext,
      functionName: functionNameFromContext(draft.functionContext),
      quoteDepth: depth,
      messageIndex: this.message,
      lines: body,
      range: range(start, 0, end, this.lines[end].raw.length),
      complete: draft.incompleteReason === undefined,
      incompleteReason: draft.incompleteReason,
      tabsMangled,
      interleavedLines: draft.interleaved.filter((k) => k < end),
    };
    this.hunks.push(hunk);
    filePatch?.hunkIndexes.push(index);
    if (draft.incompleteReason) {
      const code = draft.snipLine !== undefined ? 'hunk-snipped' : 'hunk-incomplete';
      this.problem('warning', code, `hunk ${index + 1}${path ? ` (${path})` : ''} is incomplete: ${draft.incompleteReason}`, draft.snipLine ?? start);
    }
    if (tabsMangled) {
      this.problem('info', 'tabs-mangled', `hunk ${index + 1}: indentation has no tabs (the mail client likely turned them into spaces); whitespace is ignored when matching files`, start);
    }
    const unmarked = body.filter((l) => l.markerMissing).length;
    if (unmarked > 0) {
      this.problem('info', 'context-marker-missing', `hunk ${index + 1}: ${unmarked} context line(s) lost their leading space; read as context`, start);
    }
  }

  private problem(severity: InputProblem['severity'], code: string, message: string, line: number): void {
    this.problems.push({ severity, code, message, range: range(line, 0, line, this.lines[line]?.raw.length ?? 0) });
  }
}

/** A snip marker (`[...]`) written in the quote or by the reviewer, not a diff line that reads `...`. */
function isSnip(line: DocumentLine, depth: number): boolean {
  return line.depth <= depth && !/^[ +\-]/.test(line.content) && isSnipMarker(line.content);
}

/** `+x` or `-x` but not a `+++ `/`--- ` header or the `-- ` signature line. */
function isMarkedContent(content: string): boolean {
  if (content.startsWith('+++ ') || content.startsWith('--- ') || content === '-- ') return false;
  return content.startsWith('+') || content.startsWith('-');
}

/** A line that can continue a hunk after a gap: marked, or (quoting ate the marker) C. */
function isHunkContent(content: string, unmarkedAllowed: boolean, afterGap: boolean): boolean {
  if (isMarkedContent(content) || content.startsWith(' ') || content.startsWith('\\')) return true;
  return unmarkedAllowed && (!afterGap || looksLikeC(content)) && content !== '';
}

function hunkLine(kind: HunkLine['kind'], line: DocumentLine, markerLength: number): MutableHunkLine {
  const text = line.content.slice(markerLength);
  const character = line.contentColumn + markerLength;
  return { kind, text, origins: [{ line: line.index, character, unitColumn: 0 }], noNewlineAtEnd: false, markerMissing: markerLength === 0 && kind === 'context' && line.content !== '' };
}

/** Appends a line the mail client wrapped off `previous` (one space where it broke). */
function joinWrappedLine(previous: MutableHunkLine, line: DocumentLine): void {
  const unitColumn = previous.text.length + 1;
  previous.text += ` ${line.content}`;
  previous.origins.push({ line: line.index, character: line.contentColumn, unitColumn });
}

/** No tab in any indentation but some lines indented with spaces: tabs were turned into spaces. */
function indentationMangled(body: readonly MutableHunkLine[]): boolean {
  let spaced = 0;
  for (const line of body) {
    if (line.text.startsWith('\t')) return false;
    if (/^ +\S/.test(line.text)) spaced++;
  }
  return spaced > 0;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
