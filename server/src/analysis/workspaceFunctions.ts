// Functions defined in other files of the workspace or kernel tree, for the engine to summarise
// where a function calls them. Kernel code calls helpers defined next to it (mm/internal.h), in
// the architecture's headers, in include/linux and in other files of mm/. Definitions are found by
// their kernel-style layout — a body whose `{` and `}` stand at column 0 — without parsing every
// file, and a definition is lowered only when a call needs it. Which definition a call means
// follows C linkage and the kernel's override convention: a file's own `static` functions first,
// then headers beside it and the architecture's (which override the generic ones), then
// include/linux, then asm-generic, then non-static functions of other .c files.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { IrFunction, IrUnit } from '../../../simulator/src/ir';
import { calledNames } from '../../../simulator/src/irWalk';
import { contentHash, lowerText } from '../lowering';
import { shiftLines } from './shiftLines';
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
  /** Declared `static`: only its own file can call it. */
  readonly isStatic: boolean;
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
    const header = text.slice(start, Math.min(open, start + 1000));
    const name = CALLED_NAME.exec(header)?.[1];
    if (name && !NOT_FUNCTIONS.has(name)) found.push({ name, start, end: close + 2, isStatic: /(^|\s)static\s/.test(header.slice(0, header.indexOf(name))) });
  }
  return found;
}

/**
 * A stub whose body starts with `BUILD_BUG()` (include/linux/pgtable.h's pmdp_collapse_flush
 * without CONFIG_TRANSPARENT_HUGEPAGE) fails every build that calls it: code that calls it is
 * built with the real definition, wherever that is. (A `BUILD_BUG()` further in, as in a
 * switch's default, only rules out one case.)
 */
function isBuildTrap(definition: string): boolean {
  return /^\{\s*BUILD_BUG\(\);/m.test(definition);
}

/** Back from a body's `{` over the header lines, to a blank line or one that ends a declaration, comment or directive. */
function headerStart(text: string, open: number): number {
  let start = open;
  // blank lines between the header and its `{` (seen in mm/madvise.c) belong to it
  while (start > 1 && text[start - 2] === '\n') start--;
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

interface Located {
  readonly file: SourceFile;
  readonly definition: FunctionDefinition;
}

/**
 * How strongly a definition in `path` claims a name, for callers outside its file (lower wins;
 * undefined: it cannot be called from there). Headers beside the code and the architecture's
 * headers first: they override the generic fallbacks of include/linux and asm-generic.
 */
export function definitionRank(path: string, isStatic: boolean): number | undefined {
  const unix = path.replace(/\\/g, '/');
  if (!/\.h$/.test(unix)) return isStatic ? undefined : 5;
  if (/(^|\/)arch\/[^/]+\/include\//.test(unix)) return 1;
  if (/(^|\/)include\/linux\//.test(unix)) return 3;
  if (/(^|\/)include\/asm-generic\//.test(unix)) return 4;
  return 2;
}

export class WorkspaceFunctions {
  /** Each name's best definition for callers outside its file, or null when two claim it equally. */
  private index: Map<string, { readonly located: Located | null; readonly rank: number }> | undefined;
  /** Each file's static definitions, visible to its own functions only. */
  private statics: Map<string, Map<string, Located>> | undefined;
  private readonly lowered = new Map<string, IrFunction | null>();
  private readonly fingerprints = new Map<string, string>();
  /** How many definitions were lowered, for tests and logs. */
  readonly counts = { lowered: 0 };
  /** Where `lower` notes what it is asked while recordLookups runs. */
  private lookups: Set<string> | undefined;

  constructor(
    private readonly parser: CParser,
    private readonly files: () => Iterable<SourceFile>,
    /** Where lowerings outlive the index (the CLI's cache directory: another worker, the next run). */
    private readonly backing?: LoweringBacking,
  ) {}

  /** The definitions of `names` a call from `from` (a file of the index) means, lowered. */
  resolve(names: Iterable<string>, from?: string): Map<string, IrFunction> {
    const resolved = new Map<string, IrFunction>();
    for (const name of names) {
      const fn = this.lower(name, from);
      if (fn) resolved.set(name, fn);
    }
    return resolved;
  }

  /**
   * The definition of `name` a call from the file `from` means (its own static one, else the
   * best-ranked one visible from there), lowered; undefined when there is none, or two equal.
   */
  lower(name: string, from?: string): IrFunction | undefined {
    this.lookups?.add(lookupKey(name, from));
    const located = this.locate(name, from);
    if (!located) return undefined;
    const key = `${located.file.path}\0${name}`;
    let fn = this.lowered.get(key);
    if (fn === undefined) {
      const kept = contentHash(this.fingerprint(name, from), name);
      fn = this.backing?.read(kept);
      if (fn === undefined) {
        fn = this.lowerDefinition(located, name);
        this.backing?.write(kept, fn);
      }
      this.lowered.set(key, fn);
    }
    return fn ?? undefined;
  }

  private lowerDefinition({ file, definition }: Located, name: string): IrFunction | null {
    this.counts.lowered++;
    try {
      const ir = lowerText(this.parser, file.text.slice(definition.start, definition.end)).functions.find((f) => f.name === name);
      // lowered alone, the definition starts at line 0: its lines are those of its file
      return ir ? { ...shiftLines(ir, lineAt(file, definition.start)), origin: file.path } : null;
    } catch {
      return null; // a definition the lowering cannot read is left to the unknown-call rule
    }
  }

  /**
   * What lowering `name` for a call from `from` reads, without lowering it: the definition's
   * file, first line and a hash of its text ('' when there is none). Equal fingerprints give an
   * equal lowering.
   */
  fingerprint(name: string, from?: string): string {
    const key = lookupKey(name, from);
    let known = this.fingerprints.get(key);
    if (known === undefined) {
      const located = this.locate(name, from);
      known = located ? fingerprintOf(located) : '';
      this.fingerprints.set(key, known);
    }
    return known;
  }

  /** `run`, and every definition it looked up (through `lower`), as `[name, from]` pairs. */
  recordLookups<T>(run: () => T): { readonly result: T; readonly lookups: readonly DefinitionLookup[] } {
    const outer = this.lookups;
    const lookups = new Set<string>();
    this.lookups = lookups;
    try {
      const result = run();
      return { result, lookups: [...lookups].sort().map(splitLookupKey) };
    } finally {
      this.lookups = outer;
      if (outer) for (const key of lookups) outer.add(key);
    }
  }

  private locate(name: string, from: string | undefined): Located | undefined {
    this.build();
    return (from !== undefined ? this.statics!.get(from)?.get(name) : undefined) ?? this.index!.get(name)?.located ?? undefined;
  }

  private build(): void {
    if (this.index) return;
    this.index = new Map();
    this.statics = new Map();
    for (const file of this.files()) {
      for (const definition of definitionsIn(file.text)) {
        const located = { file, definition };
        if (definition.isStatic && !/\.h$/.test(file.path)) {
          const own = this.statics.get(file.path) ?? new Map<string, Located>();
          own.set(definition.name, located);
          this.statics.set(file.path, own);
        }
        const rank = definitionRank(file.path, definition.isStatic);
        if (rank === undefined || isBuildTrap(file.text.slice(definition.start, definition.end))) continue;
        const known = this.index.get(definition.name);
        if (known === undefined || rank < known.rank) this.index.set(definition.name, { located, rank });
        else if (rank === known.rank && known.located?.file.path !== file.path) this.index.set(definition.name, { located: null, rank });
      }
    }
  }
}

/** What a definition's lowering depends on: its file, first line and text. */
function fingerprintOf({ file, definition }: Located): string {
  return `${file.path}:${lineAt(file, definition.start)}:${contentHash(file.text.slice(definition.start, definition.end))}`;
}

/** Lowered definitions by a key of everything the lowering depends on (null: it could not be lowered). */
export interface LoweringBacking {
  read(key: string): IrFunction | null | undefined;
  write(key: string, fn: IrFunction | null): void;
}

/** A definition looked up: its name and the file the call is from ('' for none). */
export type DefinitionLookup = readonly [name: string, from: string];

function lookupKey(name: string, from: string | undefined): string {
  return `${name}\0${from ?? ''}`;
}

function splitLookupKey(key: string): DefinitionLookup {
  const at = key.indexOf('\0');
  return [key.slice(0, at), key.slice(at + 1)];
}

/**
 * The C files of a directory, read from disk when asked; `open` gives the text of a file an
 * editor holds, unsaved changes included. Paths are shown relative to `base`.
 */
export function* directoryFiles(directory: string, base: string, open: (path: string) => string | undefined = () => undefined, maxFiles = MAX_FILES): Generator<SourceFile> {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => C_FILE.test(name)).sort().slice(0, maxFiles);
  } catch {
    return;
  }
  for (const name of names) {
    const full = join(directory, name);
    const text = open(full) ?? readSmallFile(full);
    if (text !== undefined) yield { path: shownPath(full, base), text };
  }
}

/**
 * A file as people are shown it: relative to `base` when it lies below it, else absolute — a
 * file of a tree elsewhere is `/src/linux/mm/a.c`, never `../../src/linux/mm/a.c`.
 */
function shownPath(full: string, base: string): string {
  const inside = relative(base, full);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? full : inside;
}

/** A path as an index of files read from `base` names it (directoryFiles, kernelTreeFiles), however it was written: `./mm/a.c` and `/abs/mm/a.c` are `mm/a.c`. */
export function indexedPath(path: string, base: string): string {
  return shownPath(resolve(base, path), base);
}

function readSmallFile(path: string): string | undefined {
  try {
    return statSync(path).size <= MAX_FILE_BYTES ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The architecture directory of a profile's architecture under arch/. */
const ARCH_DIRECTORY: Readonly<Record<string, string | undefined>> = { x86_64: 'x86', arm64: 'arm64' };

/**
 * The files of a kernel tree whose functions mm code calls: mm/ (with its subdirectories), the
 * architecture's asm headers, include/linux and include/asm-generic. Paths are shown relative
 * to `base`.
 */
export function* kernelTreeFiles(root: string, arch: string, base: string, open: (path: string) => string | undefined = () => undefined): Generator<SourceFile> {
  const archDirectory = ARCH_DIRECTORY[arch];
  const directories = [
    ...subdirectories(join(root, 'mm')),
    ...(archDirectory ? [join(root, 'arch', archDirectory, 'include', 'asm')] : []),
    join(root, 'include', 'linux'),
    join(root, 'include', 'asm-generic'),
  ];
  for (const directory of directories) yield* directoryFiles(directory, base, open, TREE_DIRECTORY_FILES);
}

/**
 * The files whose functions code in `directory` may call: with a kernel tree, the tree's
 * (kernelTreeFiles), after the directory's own when it lies outside the tree's mm/; without
 * one, the directory's. `key` names the set: code in two places with one key shares an index.
 */
export function filesAround(directory: string, tree: { readonly root: string } | undefined, arch: string, base: string, open?: (path: string) => string | undefined): { readonly key: string; readonly files: () => Iterable<SourceFile> } {
  if (!tree) return { key: directory, files: () => directoryFiles(directory, base, open) };
  const inTree = directory.startsWith(resolve(tree.root, 'mm'));
  return {
    key: `${tree.root}|${arch}|${inTree ? '' : directory}`,
    files: () => [...(inTree ? [] : directoryFiles(directory, base, open)), ...kernelTreeFiles(tree.root, arch, base, open)],
  };
}

/** A directory and the directories below it. */
function subdirectories(directory: string): string[] {
  const found = [directory];
  try {
    for (const entry of readdirSync(directory, { withFileTypes: true })) if (entry.isDirectory()) found.push(...subdirectories(join(directory, entry.name)));
  } catch {
    return found;
  }
  return found;
}

/** include/linux holds over a thousand headers. */
const TREE_DIRECTORY_FILES = 4000;

/** Where each file's lines end (the offsets of its newlines), found once per file. */
const newlines = new WeakMap<SourceFile, number[]>();

/** The 0-based line of an offset of a file. */
function lineAt(file: SourceFile, offset: number): number {
  let ends = newlines.get(file);
  if (!ends) {
    ends = [];
    for (let i = file.text.indexOf('\n'); i >= 0; i = file.text.indexOf('\n', i + 1)) ends.push(i);
    newlines.set(file, ends);
  }
  // the number of newlines before the offset
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ends[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
