// The oracle: `@mm expect <rule>` annotations in a file say which findings belong on
// which line, so the editor tests read their expectations from the file they open.

import { readFileSync } from 'node:fs';

export interface ExpectedFinding {
  /** 1-based, as editors show it. */
  readonly line: number;
  readonly rule: string;
}

export function expectedFindings(path: string): ExpectedFinding[] {
  const found: ExpectedFinding[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      for (const match of text.matchAll(/@mm expect ([a-z0-9-]+(?:[ ,]+[a-z0-9-]+)*)/g)) {
        for (const rule of match[1]!.split(/[ ,]+/)) found.push({ line: index + 1, rule });
      }
    });
  return found;
}

/** 1-based line numbers of the lines containing `needle`. */
export function linesContaining(path: string, needle: string): number[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((text, index) => (text.includes(needle) ? [index + 1] : []));
}

/** Kernel style; the editor tests set the same tab size so that columns agree. */
export const TAB_SIZE = 8;

export interface TextPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
  /** 1-based, with tabs expanded to TAB_SIZE: what VS Code's Go to Line and status bar use. */
  readonly visualColumn: number;
}

/** The position of the first occurrence of `needle` (plus `offset` characters). */
export function positionOf(path: string, needle: string, offset = 0): TextPosition {
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const index = lines[i]!.indexOf(needle);
    if (index < 0) continue;
    const column = index + offset;
    let visual = 0;
    for (const char of lines[i]!.slice(0, column)) visual = char === '\t' ? visual + TAB_SIZE - (visual % TAB_SIZE) : visual + 1;
    return { line: i + 1, column: column + 1, visualColumn: visual + 1 };
  }
  throw new Error(`"${needle}" does not occur in ${path}`);
}
