// Functions defined in other files of the workspace, for the engine to inline where a function
// calls them (issue: "calls to functions defined in the same file or workspace"). Kernel code
// calls helpers defined next to it: mm/mprotect.c calls what mm/internal.h and mm/memory.c
// define. Definitions are found by their kernel-style layout — a body whose `{` and `}` stand
// at column 0 — without parsing every file, and a definition is lowered only when a call needs it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IrFunction, IrUnit } from '../../../simulator/src/ir';
import { calledNames } from '../../../simulator/src/irWalk';
import { lowerText } from '../lowering';
import type { CParser } from '../parsing';

export interface SourceFile {
  /** As shown to people: relative to where the analysis runs, or absolute. */
  readonly path: string;
  readonly text: string;
}

export interface FunctionDefinition {
  readonly name: string;
  /** Offsets of the definition (header to closing brace) in its file's text. */
  readonly start: number;
  readonly end: number;
}

/** Files in a directory are read up to this many, each up to this size: a big tree stays cheap. */
const MAX_FILES = 500;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const C_FILE = /\.[ch]$/;
const BODY_OPEN = /^\{[ \t]*$/gm;
const CALLED_NAME = /([A-Za-z_]\w*)\s*\(/;
const NOT_FUNCTIONS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'defined']);

/** Function definitions laid out in kernel style: header lines, then `{` and `}` alone at column 0. */
export function definitionsIn(text: string): FunctionDefinition[] {
  const found: FunctionDefinition[] = [];
  for (const match of text.matchAll(BODY_OPEN)) {
    const open = match.index;
    const close = text.indexOf('\n}', open);
    if (close < 0) break;
    const start = headerStart(text, open);
    // a header is a few lines; the pattern backtracks quadratically on a long run of word characters
    const name = CALLED_NAME.exec(text.slice(start, Math.min(open, start + 1000)))?.[1];
    if (name && !NOT_FUNCTIONS.has(name)) found.push({ name, start, end: close + 2 });
  }
  return found;
}

/** Back from a body's `{` over the header lines, to a blank line or one that ends a declaration, comment or directive. */
function headerStart(text: string, open: number): number {
  let start = open;
  while (start > 0) {
    const lineStart = text.lastIndexOf('\n', start - 2) + 1;
    const line = text.slice(lineStart, start - 1);
    if (line.trim() === '' || /[;}]\s*$|\*\/\s*$/.test(line) || line.startsWith('#')) break;
    start = lineStart;
  }
  return start;
}

export { calledNames } from '../../../simulator/src/irWalk';

/** The workspace definitions of what the unit's functions call and the unit does not define. */
export function unitCallees(unit: IrUnit, workspace: WorkspaceFunctions | undefined): Map<string, IrFunction> | undefined {
  if (!workspace) return undefined;
  const defined = new Set(unit.functions.map((fn) => fn.name));
  const missing = new Set(unit.functions.flatMap((fn) => [...calledNames(fn)]).filter((name) => !defined.has(name)));
  return workspace.resolve(missing);
}

export class WorkspaceFunctions {
  /** Each name's definition, or null when several files define it (which one a call means is unknown). */
  private index: Map<string, { readonly file: SourceFile; readonly definition: FunctionDefinition } | null> | undefined;
  private readonly lowered = new Map<string, IrFunction | null>();

  constructor(
    private readonly parser: CParser,
    private readonly files: () => Iterable<SourceFile>,
  ) {}

  /** The definitions of those of `names` defined exactly once in the files, lowered. */
  resolve(names: Iterable<string>): Map<string, IrFunction> {
    const resolved = new Map<string, IrFunction>();
    for (const name of names) {
      const fn = this.lower(name);
      if (fn) resolved.set(name, fn);
    }
    return resolved;
  }

  /** The one definition of `name` in the files, lowered (undefined when there is none, or several). */
  lower(name: string): IrFunction | undefined {
    let fn = this.lowered.get(name);
    if (fn === undefined) {
      fn = null;
      const found = this.definitions().get(name);
      if (found) {
        try {
          const ir = lowerText(this.parser, found.file.text.slice(found.definition.start, found.definition.end)).functions.find((f) => f.name === name);
          if (ir) fn = { ...ir, origin: found.file.path };
        } catch {
          fn = null; // a definition the lowering cannot read is left to the unknown-call rule
        }
      }
      this.lowered.set(name, fn);
    }
    return fn ?? undefined;
  }

  private definitions(): NonNullable<WorkspaceFunctions['index']> {
    if (!this.index) {
      this.index = new Map();
      for (const file of this.files()) {
        for (const definition of definitionsIn(file.text)) {
          this.index.set(definition.name, this.index.has(definition.name) ? null : { file, definition });
        }
      }
    }
    return this.index;
  }
}

/**
 * The C files of a directory, read from disk when asked; `open` gives the text of a file an
 * editor holds, unsaved changes included. Paths are shown relative to `base`.
 */
export function* directoryFiles(directory: string, base: string, open: (path: string) => string | undefined = () => undefined): Generator<SourceFile> {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => C_FILE.test(name)).sort().slice(0, MAX_FILES);
  } catch {
    return;
  }
  for (const name of names) {
    const full = join(directory, name);
    const text = open(full) ?? readSmallFile(full);
    if (text !== undefined) yield { path: relative(base, full) || name, text };
  }
}

function readSmallFile(path: string): string | undefined {
  try {
    return statSync(path).size <= MAX_FILE_BYTES ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
