// What the inputs stage produces: the document's kind, the file patches and hunks found in it
// (at any quote depth), and the source units to parse, each with a map back to the original.

import type { Range } from '../text/positions';
import type { PositionMap } from './positionMap';

/** What a document is, decided from its content (and a language id or file name as hints). */
export type DocumentKind =
  | 'c-source' // a .c or .h file
  | 'unified-diff' // a .patch/.diff: hunks not quoted, no mail headers
  | 'format-patch' // one mail with headers and an unquoted patch (git format-patch, b4)
  | 'mbox' // several mails (a series)
  | 'quoted-patch' // free text (a reply) with quoted hunks
  | 'text' // text without C code or hunks
  | 'binary' // not text
  | 'empty';

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something about the input the user should know; never thrown. */
export interface InputProblem {
  readonly severity: ProblemSeverity;
  /** Stable kebab-case code, e.g. `hunk-snipped`. */
  readonly code: string;
  readonly message: string;
  /** Where in the original document. */
  readonly range: Range;
}

/** One mail of a format-patch file or an mbox. */
export interface MailMessage {
  readonly subject: string | undefined;
  readonly from: string | undefined;
  readonly date: string | undefined;
  /** The message's lines in the document, headers included. */
  readonly range: Range;
}

export type FileChange = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

/** The header of one file's section in a patch (`diff --git`, `---`/`+++`). */
export interface FilePatch {
  readonly index: number;
  /** Path before the change, `a/` stripped; undefined for a new file or when not given. */
  readonly oldPath: string | undefined;
  /** Path after the change, `b/` stripped; undefined for a deleted file or when not given. */
  readonly newPath: string | undefined;
  readonly change: FileChange;
  /** A binary patch (no hunks to read). */
  readonly binary: boolean;
  readonly quoteDepth: number;
  readonly messageIndex: number;
  /** The header lines in the document. */
  readonly range: Range;
  /** Indexes into `InputDocument.hunks`. */
  readonly hunkIndexes: number[];
}

/** The numbers of an `@@ -oldStart,oldCount +newStart,newCount @@` line. */
export interface HunkHeader {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
}

/** Where a stretch of text came from in the document: its line, and the column of its first character. */
export interface TextOrigin {
  readonly line: number;
  readonly character: number;
}

export type HunkLineKind = 'context' | 'added' | 'removed';

/** One line of a hunk, its marker and quote prefix removed. */
export interface HunkLine {
  readonly kind: HunkLineKind;
  readonly text: string;
  /**
   * Where `text` starts in the document. A line the mail client wrapped and that was joined has
   * two or more origins; `unitColumn` says where each part starts in `text`.
   */
  readonly origins: ReadonlyArray<TextOrigin & { readonly unitColumn: number }>;
  /** Followed by `\ No newline at end of file`. */
  readonly noNewlineAtEnd: boolean;
  /** A context line that lost its leading space (the quoting ate it). */
  readonly markerMissing: boolean;
}

/** A text rebuilt from a hunk: its pre-image (context + removed) or post-image (context + added). */
export interface HunkImage {
  readonly text: string;
  /** 1-based first line in the file, from the @@ header (undefined without a header). */
  readonly startLine: number | undefined;
  readonly lineCount: number;
  readonly positionMap: PositionMap;
}

/** One hunk as found in the document. */
export interface Hunk {
  readonly index: number;
  /** Index into `InputDocument.filePatches`; undefined for a hunk quoted without its file header. */
  readonly filePatchIndex: number | undefined;
  /** The file path (new path, else old path) when known. */
  readonly path: string | undefined;
  /** Undefined for a run of quoted `+`/`-` lines without an @@ line. */
  readonly header: HunkHeader | undefined;
  /** The text after the second `@@`, e.g. `static vm_fault_t do_numa_page(struct vm_fault *vmf)`. */
  readonly functionContext: string | undefined;
  /** The function named in `functionContext`, if it names one. */
  readonly functionName: string | undefined;
  /** 0 for an unquoted hunk, 1 for `> `, 2 for `> > ` or `>> `, … */
  readonly quoteDepth: number;
  readonly messageIndex: number;
  readonly lines: readonly HunkLine[];
  /** From the @@ line (or first hunk line) to the last hunk line, in the document. */
  readonly range: Range;
  /** False when lines are missing: snipped (`[...]`), truncated, or counts not matching the header. */
  readonly complete: boolean;
  readonly incompleteReason: string | undefined;
  /** Indentation without tabs: the mail client turned tabs into spaces. */
  readonly tabsMangled: boolean;
  /** Document lines inside the hunk's extent that are not part of it (review comments). */
  readonly interleavedLines: readonly number[];
  readonly preImage: HunkImage;
  readonly postImage: HunkImage;
}

export type UnitKind = 'file' | 'function' | 'fragment';
export type UnitSide = 'pre' | 'post' | 'source';

/** A piece of C ready to parse, with the way back to the original document. */
export interface SourceUnit {
  /** `file`: a whole file; `function`: one function from an applied patch; `fragment`: a wrapped hunk image. */
  readonly kind: UnitKind;
  /** Before or after the patch; `source` for a plain C document. */
  readonly side: UnitSide;
  /** The file the code belongs to, when known. */
  readonly path: string | undefined;
  /** The text to parse (for a fragment: with its wrapper). */
  readonly text: string;
  readonly positionMap: PositionMap;
  /** The hunks this unit shows (empty for a plain C document). */
  readonly hunkIndexes: readonly number[];
  /** For `function` units; for fragments, the function named by the @@ line. */
  readonly functionName: string | undefined;
  /** False when built from an incomplete hunk. */
  readonly complete: boolean;
  /** For fragments: the wrapper chosen and the syntax issues left with it (undefined if not checked). */
  readonly wrapper: { readonly name: string; readonly syntaxIssues: number | undefined } | undefined;
}

/** Everything the inputs stage found in one document. */
export interface InputDocument {
  readonly kind: DocumentKind;
  readonly lineEnding: 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';
  readonly messages: readonly MailMessage[];
  readonly filePatches: readonly FilePatch[];
  readonly hunks: readonly Hunk[];
  readonly units: readonly SourceUnit[];
  /** Workspace files the patches were applied to: whole texts before and after, for callers and callees. */
  readonly appliedFiles: readonly AppliedFile[];
  readonly problems: readonly InputProblem[];
}

export type LineMap = Extract<PositionMap, { kind: 'lines' }>;

/** Where a hunk went, or why it did not. Line numbers are 0-based; ends are exclusive. */
export interface HunkPlacement {
  readonly hunkIndex: number;
  readonly applied: boolean;
  /** The lines the hunk covers in the pre text and in the post text. */
  readonly preLines: { readonly start: number; readonly end: number } | undefined;
  readonly postLines: { readonly start: number; readonly end: number } | undefined;
  /** Lines away from where the @@ line put it. */
  readonly offset: number;
  /** Context lines ignored at each end. */
  readonly fuzz: number;
  readonly ignoredWhitespace: boolean;
  readonly reason: string | undefined;
}

export interface AppliedFile {
  /** The workspace file read (relative to the root). */
  readonly path: string;
  /** `already-applied`: the file holds the post-image; the pre text was rebuilt in reverse. */
  readonly direction: 'forward' | 'already-applied';
  readonly preText: string;
  readonly postText: string;
  readonly preMap: LineMap;
  readonly postMap: LineMap;
  readonly placements: readonly HunkPlacement[];
}
