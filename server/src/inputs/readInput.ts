// The inputs stage in one call: document text in, kind + hunks + source units + problems out.
// Any string is accepted; bad input gives problems, never an exception.

import type { CSyntaxChecker } from '../parsing/cSyntax';
import { LineIndex, loneCarriageReturnsAsNewlines } from '../text/lines';
import { range, type Range } from '../text/positions';
import { classifyDocument, hintsSayC, textQuality, type ClassifyHints } from './classify';
import { lineEndingOf, scanDocument } from './documentLines';
import { extractPatches } from './hunkExtractor';
import { rebuildImages } from './hunkImages';
import { splitMessages } from './mailMessages';
import { IDENTITY_MAP } from './positionMap';
import { buildUnits } from './sourceUnits';
import type { InputDocument, InputProblem } from './types';
import type { WorkspaceFiles } from './workspaceFiles';

export interface ReadInputOptions extends ClassifyHints {
  /** Files the patches may apply to; without it hunks become fragments. */
  readonly workspace?: WorkspaceFiles;
  /** A C syntax checker (from parsing/) to pick fragment wrappers and find functions. */
  readonly syntax?: CSyntaxChecker;
}

export function readInputDocument(text: string, options: ReadInputOptions = {}): InputDocument {
  try {
    return read(typeof text === 'string' ? text : '', options);
  } catch (error) {
    // A bug here must not take the server down: report it on the document instead.
    return empty('text', 'lf', [problem('error', 'internal-error', `mmlens could not read this document: ${(error as Error).message}`, range(0, 0, 0, 0))]);
  }
}

function read(text: string, options: ReadInputOptions): InputDocument {
  if (text.trim() === '') return empty('empty', 'none', [problem('info', 'empty-document', 'the document is empty: nothing to analyse', range(0, 0, 0, 0))]);
  const quality = textQuality(text);
  if (quality.binary) {
    return empty('binary', 'none', [problem('error', 'binary-document', 'the document looks binary (NUL bytes or mostly control characters): nothing to analyse', range(0, 0, 0, 0))]);
  }
  const problems: InputProblem[] = [];
  if (quality.firstReplacementOffset !== undefined) {
    const at = new LineIndex(text).positionAt(quality.firstReplacementOffset);
    problems.push(problem('warning', 'invalid-utf8', 'the document has bytes that are not valid UTF-8 (shown as U+FFFD); lines with them may not match files', { start: at, end: { line: at.line, character: at.character + 1 } }));
  }
  if (hintsSayC(options)) return cSource(text, lineEndingOf(text), problems, options.path);
  const scanned = scanDocument(text);

  const layout = splitMessages(scanned.lines);
  const extraction = extractPatches(scanned.lines, layout.messageOf);
  const kind = classifyDocument(scanned.lines, layout, extraction.hunks);
  if (kind === 'c-source') return cSource(text, scanned.lineEnding, problems, options.path);
  if (scanned.lineEnding === 'crlf' || scanned.lineEnding === 'mixed' || scanned.lineEnding === 'cr') {
    const name = scanned.lineEnding === 'crlf' ? 'CRLF' : scanned.lineEnding === 'cr' ? 'CR' : 'mixed';
    problems.push(problem('info', 'line-endings', `the document uses ${name} line endings; code rebuilt from it uses LF`, range(0, 0, 0, scanned.lines[0].raw.length)));
  }

  const hunks = extraction.hunks.map(rebuildImages);
  const units = buildUnits(hunks, extraction.filePatches, options);
  problems.push(...extraction.problems, ...units.problems);
  if (kind === 'text') problems.push(problem('info', 'nothing-to-analyse', 'no C code and no patch hunks found in this document', range(0, 0, 0, 0)));
  return {
    kind,
    lineEnding: scanned.lineEnding,
    messages: layout.messages,
    filePatches: extraction.filePatches,
    hunks,
    units: units.units,
    appliedFiles: units.appliedFiles,
    problems: sortProblems(problems),
  };
}

function cSource(text: string, lineEnding: InputDocument['lineEnding'], problems: InputProblem[], path: string | undefined): InputDocument {
  return {
    kind: 'c-source',
    lineEnding,
    messages: [],
    filePatches: [],
    hunks: [],
    units: [{ kind: 'file', side: 'source', path, text: loneCarriageReturnsAsNewlines(text), positionMap: IDENTITY_MAP, hunkIndexes: [], functionName: undefined, complete: true, wrapper: undefined }],
    appliedFiles: [],
    problems,
  };
}

function empty(kind: InputDocument['kind'], lineEnding: InputDocument['lineEnding'], problems: InputProblem[]): InputDocument {
  return { kind, lineEnding, messages: [], filePatches: [], hunks: [], units: [], appliedFiles: [], problems };
}

function problem(severity: InputProblem['severity'], code: string, message: string, at: Range): InputProblem {
  return { severity, code, message, range: at };
}

function sortProblems(problems: InputProblem[]): InputProblem[] {
  return [...problems].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
