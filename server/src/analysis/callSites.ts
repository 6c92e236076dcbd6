// Which functions the checked files call, and from where: a function called from another checked
// file is judged at those calls (its summary applied there), not reported on its own. Calls are
// read from function bodies laid out in kernel style (the way definitions are found), so
// prototypes and initialisers (`.fault = do_fault`) are not calls. Plain data, for workers.

import { scanC } from '../parsing/cTokens';
import { definitionsIn } from './workspaceFunctions';

export interface CallSiteIndex {
  /** Name → the files whose functions call it. */
  readonly callers: Readonly<Record<string, readonly string[]>>;
  /** File → the names it defines `static` (a call there means its own). */
  readonly statics: Readonly<Record<string, readonly string[]>>;
}

/** The names called in the bodies of a text's functions. */
export function callsIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const definition of definitionsIn(text)) {
    const open = text.indexOf('\n{', definition.start);
    const body = text.slice(open < 0 ? definition.start : open, definition.end);
    let pending: string | undefined;
    scanC(body, (kind, start, end) => {
      if (kind === 'punctuation' && pending !== undefined && body[start] === '(') names.add(pending);
      pending = kind === 'identifier' ? body.slice(start, end) : undefined;
    });
  }
  return names;
}

export function callSitesOf(files: Iterable<{ readonly path: string; readonly text: string }>): CallSiteIndex {
  const callers: Record<string, string[]> = {};
  const statics: Record<string, string[]> = {};
  for (const file of files) {
    for (const name of callsIn(file.text)) (callers[name] ??= []).push(file.path);
    statics[file.path] = definitionsIn(file.text).filter((d) => d.isStatic).map((d) => d.name);
  }
  return { callers, statics };
}

/**
 * Whether `name`, as `path` defines it, is called from another of the indexed files. A static
 * function of a `.c` file is its own; one of a header (`static inline`) belongs to every file
 * that includes it and has no static of that name itself.
 */
export function calledFromElsewhere(index: CallSiteIndex, name: string, path: string): boolean {
  if (!HEADER.test(path) && index.statics[path]?.includes(name)) return false;
  return (index.callers[name] ?? []).some((caller) => caller !== path && !index.statics[caller]?.includes(name));
}

const HEADER = /\.h$/;
