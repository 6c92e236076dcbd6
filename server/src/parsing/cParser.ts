// Loads web-tree-sitter and the C grammar from explicit wasm paths, and parses C text with the
// kernel annotation macros blanked. It counts live trees so tests can prove none leak.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as TreeSitter from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';
import { blankKernelAnnotations } from './kernelAnnotations';
import type { WasmPaths } from './wasmPaths';

/** The grammar's ABI version and the range the runtime accepts. */
export interface AbiInfo {
  readonly grammar: number;
  readonly runtimeMin: number;
  readonly runtimeMax: number;
  /** The grammar's own version from its metadata, e.g. "0.24.1". */
  readonly grammarVersion: string | undefined;
}

let runtimeReady: { path: string; done: Promise<void> } | undefined;

/** Initialises the runtime once per process; a second, different runtime path is an error. */
function initRuntime(runtimePath: string): Promise<void> {
  if (runtimeReady) {
    if (runtimeReady.path !== runtimePath) {
      return Promise.reject(new Error(`web-tree-sitter is already initialised from ${runtimeReady.path}; cannot switch to ${runtimePath}`));
    }
    return runtimeReady.done;
  }
  const wasmBinary = readWasm(runtimePath, 'web-tree-sitter runtime');
  const done = TreeSitter.Parser.init({ wasmBinary });
  runtimeReady = { path: runtimePath, done };
  done.catch(() => (runtimeReady = undefined));
  return done;
}

function readWasm(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read the ${what} wasm at ${path}: ${(error as Error).message}`);
  }
}

/** A C parser bound to one grammar. Parsing blanks kernel annotations first. */
export class CParser {
  private readonly parser: TreeSitter.Parser;
  private live = 0;

  private constructor(readonly language: TreeSitter.Language) {
    this.parser = new TreeSitter.Parser();
    this.parser.setLanguage(language);
  }

  /** Loads both wasm files from the given paths. Rejects with a clear message if one is missing or incompatible. */
  static async load(paths: WasmPaths): Promise<CParser> {
    await initRuntime(paths.runtime);
    const grammar = readWasm(paths.grammar, 'tree-sitter-c grammar');
    const language = await TreeSitter.Language.load(grammar);
    const abi = abiOf(language);
    if (abi.grammar < abi.runtimeMin || abi.grammar > abi.runtimeMax) {
      throw new Error(`the C grammar at ${paths.grammar} has ABI ${abi.grammar}; web-tree-sitter accepts ${abi.runtimeMin}–${abi.runtimeMax}`);
    }
    return new CParser(language);
  }

  get abi(): AbiInfo {
    return abiOf(this.language);
  }

  /** Trees parsed by this parser and not yet released. */
  get liveTrees(): number {
    return this.live;
  }

  /**
   * Parses `text` (blanked here) and returns a new tree the caller must `release`. With
   * `previous` (already `edit`ed to match), parsing is incremental; `previous` stays owned by
   * the caller. Use `parseBlanked` when the text is blanked already.
   */
  parse(text: string, previous?: Tree): Tree {
    return this.parseBlanked(blankKernelAnnotations(text), previous);
  }

  parseBlanked(blankedText: string, previous?: Tree): Tree {
    const budgetMs = parseBudgetMs(blankedText.length);
    const deadline = performance.now() + budgetMs;
    // web-tree-sitter reads a string input by slicing it to the end at every read; bounded
    // chunks make incremental reparses of large files cheaper
    const tree = this.parser.parse((index) => blankedText.slice(index, index + PARSE_CHUNK), previous ?? null, {
      progressCallback: (() => performance.now() > deadline) as (state: TreeSitter.ParseState) => void,
    });
    if (!tree) {
      // the parser keeps the cancelled parse's state for a resume; the next text is a new one
      this.parser.reset();
      throw new ParseTimeout(budgetMs);
    }
    this.live++;
    return tree;
  }

  /** Frees a tree from `parse`. Releasing twice is harmless. */
  release(tree: Tree): void {
    if (released.has(tree)) return;
    released.add(tree);
    tree.delete();
    this.live--;
  }

  /**
   * Parses a small kernel-style snippet a few times. The first parses in a process are several
   * times slower than later ones; a server calls this while initialising. On a machine so busy
   * that a parse runs past its time budget, warming up stops there: it only makes the first
   * parses faster, and must not keep the server from starting.
   */
  warmUp(rounds = 10): void {
    for (let i = 0; i < rounds; i++) {
      try {
        this.release(this.parse(WARM_UP_SNIPPET));
      } catch (error) {
        if (error instanceof ParseTimeout) return;
        throw error;
      }
    }
  }

  /** Frees the parser itself; trees must be released first. */
  dispose(): void {
    this.parser.delete();
  }
}

const released = new WeakSet<Tree>();

/**
 * How long one parse may take. Tree-sitter parses kernel C at several hundred KB/s, but its
 * error recovery is quadratic on some junk (20,000 comment closers in a row took minutes), so a
 * parse is stopped well past any normal time: 3 s plus 10 ms per KB.
 */
export function parseBudgetMs(length: number): number {
  return 3000 + Math.ceil(length / 100);
}

/** A parse stopped at its time budget. Its message says so in words a user can act on. */
export class ParseTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`the C parser gave up after ${(budgetMs / 1000).toFixed(1)} s (its error recovery is very slow on this text, which is probably not C or badly broken)`);
    this.name = 'ParseTimeout';
  }
}

/** Characters handed to tree-sitter per read. */
const PARSE_CHUNK = 1024;

const WARM_UP_SNIPPET = `static inline pte_t warm_up(struct vm_area_struct *vma, pte_t pte, bool uffd_wp)
{
	if (uffd_wp && !(vma->vm_flags & VM_SHARED))
		pte = pte_wrprotect(pte_mkuffd_wp(pte));
	else if (pte_dirty(pte))
		pte = maybe_mkwrite(pte, vma);
	return pte;
}
`;

function abiOf(language: TreeSitter.Language): AbiInfo {
  const metadata = language.metadata;
  return {
    grammar: language.abiVersion,
    runtimeMin: TreeSitter.MIN_COMPATIBLE_VERSION,
    runtimeMax: TreeSitter.LANGUAGE_VERSION,
    grammarVersion: metadata ? `${metadata.major_version}.${metadata.minor_version}.${metadata.patch_version}` : undefined,
  };
}

/** Loads a parser from explicit wasm paths. */
export function loadCParser(paths: WasmPaths): Promise<CParser> {
  return CParser.load(paths);
}
