// A small C preprocessor for kernel headers: reads the files a set of headers includes inside
// the tree (include/, arch/<arch>/include/, their uapi/ directories; asm-generic/ for an asm/
// header the architecture does not have, as kbuild's generated wrappers do), decides
// #if/#ifdef/#ifndef/#elif/#else with defined(), IS_ENABLED() and the CONFIG_ values given, and
// collects the macros and the tokens of the code that is compiled. Macros in code are not
// expanded here: the function reader expands what it reads.
//
// Bounded (include depth, files, tokens). An include that is not in the tree (generated
// headers) is recorded as missing, an #error in compiled code as a problem, a malformed
// directive as a problem: nothing throws.

import { evaluateCondition, ConditionError } from './conditionExpr';
import { ExpansionError, MacroExpander, parseDefine, type BuiltinMacro, type Macro } from './macros';
import type { SourceTree } from './sourceTree';
import { tokenize, tokensText, type Token } from './tokens';

export interface PreprocessOptions {
  /** Directory under arch/ (`x86`, `arm64`). */
  readonly archDir: string;
  /** Macros defined before the first file, name → replacement text (`CONFIG_X86_64` → `1`). */
  readonly predefined: ReadonlyMap<string, string>;
  readonly maxIncludeDepth?: number;
  readonly maxFiles?: number;
  readonly maxTokens?: number;
  /** Headers not to read (they define nothing the reader needs); each is listed in `skipped`. */
  readonly skip?: readonly RegExp[];
  /** Entries read for their own definitions only: what they include is not read (and is listed in `skipped`). */
  readonly shallow?: readonly string[];
}

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface MissingInclude {
  readonly include: string;
  readonly from: string;
  readonly line: number;
}

export interface PreprocessedHeaders {
  readonly macros: ReadonlyMap<string, Macro>;
  /** Every definition a macro had, in order (a later #define or #undef changes what code after it sees). */
  readonly definitions: ReadonlyMap<string, readonly Macro[]>;
  /** The compiled code, unexpanded, in include order. */
  readonly tokens: readonly Token[];
  /** Files read, in the order they were entered first. */
  readonly files: readonly string[];
  readonly missing: readonly MissingInclude[];
  /** Headers found but not read, by `skip`. */
  readonly skipped: readonly string[];
  readonly problems: readonly Problem[];
}

interface Frame {
  readonly outerActive: boolean;
  active: boolean;
  taken: boolean;
  sawElse: boolean;
}

const PREDEFINED_LOCATION = '<predefined>';

/** Splits a file's tokens into lines that are directives and runs of code. */
function directiveEnd(tokens: readonly Token[], start: number): number {
  let j = start + 1;
  while (j < tokens.length && !tokens[j]!.bol) j++;
  return j;
}

export function preprocessHeaders(tree: SourceTree, entries: readonly string[], options: PreprocessOptions): PreprocessedHeaders {
  const maxDepth = options.maxIncludeDepth ?? 40;
  const maxFiles = options.maxFiles ?? 3000;
  const maxTokens = options.maxTokens ?? 5_000_000;
  const macros = new Map<string, Macro>();
  const definitions = new Map<string, Macro[]>();
  const out: Token[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const missing: MissingInclude[] = [];
  const skipped = new Set<string>();
  const problems: Problem[] = [];
  const lexed = new Map<string, Token[]>();
  /** Files whose whole text sits in `#ifndef G … #endif`: skipped once G is defined. */
  const guards = new Map<string, string | null>();
  let tokenCount = 0;
  let stopped = false;

  const define = (macro: Macro) => {
    macros.set(macro.name, macro);
    const list = definitions.get(macro.name) ?? [];
    list.push(macro);
    definitions.set(macro.name, list);
  };
  for (const [name, value] of options.predefined) {
    const body = tokenize(value, PREDEFINED_LOCATION).map((t) => ({ ...t, bol: false }));
    define({ name, variadic: false, body, file: PREDEFINED_LOCATION, line: 0 });
  }

  const isDefined = (name: string) => macros.has(name);
  const builtins = new Map<string, BuiltinMacro>(
    ['IS_ENABLED', 'IS_BUILTIN', 'IS_REACHABLE'].map((name) => [
      name,
      (args, at) => {
        const symbol = args[0]?.[0]?.text ?? '';
        const value = macros.get(symbol)?.body.map((t) => t.text).join('') === '1' ? '1' : '0';
        return [{ kind: 'num', text: value, file: at.file, line: at.line, bol: false, space: at.space }];
      },
    ]),
  );
  builtins.set('IS_MODULE', (_args, at) => [{ kind: 'num', text: '0', file: at.file, line: at.line, bol: false, space: at.space }]);

  const resolve = (name: string, angled: boolean, from: string): string | undefined => {
    const candidates: string[] = [];
    if (!angled) candidates.push(joinPath(dirOf(from), name));
    candidates.push(
      `arch/${options.archDir}/include/${name}`,
      `arch/${options.archDir}/include/generated/${name}`,
      `include/${name}`,
      `arch/${options.archDir}/include/uapi/${name}`,
      `arch/${options.archDir}/include/generated/uapi/${name}`,
      `include/uapi/${name}`,
    );
    // kbuild generates asm/x.h → asm-generic/x.h for headers an architecture takes from asm-generic
    if (name.startsWith('asm/')) candidates.push(`include/asm-generic/${name.slice(4)}`, `include/uapi/asm-generic/${name.slice(4)}`);
    return candidates.find((c) => tree.read(c) !== undefined);
  };

  const conditionValue = (tokens: readonly Token[], file: string): boolean => {
    // decide defined X / defined(X) and __has_include before expanding
    const decided: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const num = (v: boolean): Token => ({ kind: 'num', text: v ? '1' : '0', file: t.file, line: t.line, bol: false, space: true });
      if (t.text === 'defined') {
        const paren = tokens[i + 1]?.text === '(';
        const name = tokens[i + (paren ? 2 : 1)]?.text ?? '';
        decided.push(num(isDefined(name)));
        i += paren ? 3 : 1;
        continue;
      }
      if (t.text === '__has_include' || t.text === '__has_include_next') {
        let j = i + 1;
        let depth = 0;
        const inner: Token[] = [];
        do {
          const u = tokens[j++];
          if (!u) break;
          if (u.text === '(') depth++;
          else if (u.text === ')') depth--;
          if (depth > 0 && !(depth === 1 && u.text === '(')) inner.push(u);
        } while (depth > 0);
        const text = inner.map((u) => u.text).join('');
        const angled = text.startsWith('<');
        decided.push(num(resolve(text.replace(/^[<"]|[>"]$/g, ''), angled, file) !== undefined));
        i = j - 1;
        continue;
      }
      if (/^__has_(attribute|builtin|feature|extension|c_attribute|cpp_attribute)$/.test(t.text) && tokens[i + 1]?.text === '(') {
        let j = i + 1;
        let depth = 0;
        do {
          const u = tokens[j++];
          if (!u) break;
          if (u.text === '(') depth++;
          else if (u.text === ')') depth--;
        } while (depth > 0);
        decided.push(num(false));
        i = j - 1;
        continue;
      }
      decided.push(t);
    }
    const expanded = new MacroExpander(macros, builtins).expand(decided);
    return evaluateCondition(expanded) !== 0n;
  };

  const guardOf = (tokens: readonly Token[]): string | null => {
    // #ifndef G as the first directive, its #endif the last token line
    if (tokens[0]?.text !== '#' || tokens[1]?.text !== 'ifndef' || tokens[2]?.kind !== 'id') return null;
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!(t.bol && t.text === '#')) continue;
      const name = tokens[i + 1]?.text;
      if (name === 'if' || name === 'ifdef' || name === 'ifndef') depth++;
      else if (name === 'endif') {
        depth--;
        if (depth === 0) return directiveEnd(tokens, i) >= tokens.length ? tokens[2]!.text : null;
      }
    }
    return null;
  };

  const run = (file: string, depth: number): void => {
    if (stopped) return;
    const guard = guards.get(file);
    if (guard && isDefined(guard)) return;
    if (!seen.has(file)) {
      if (seen.size >= maxFiles) {
        problems.push({ file, line: 0, message: `not read: more than ${maxFiles} files` });
        stopped = true;
        return;
      }
      seen.add(file);
      files.push(file);
    }
    let tokens = lexed.get(file);
    if (!tokens) {
      tokens = lexOnce(tree.read(file) ?? '', file);
      lexed.set(file, tokens);
      guards.set(file, guardOf(tokens));
    }
    const stack: Frame[] = [];
    const active = () => stack.length === 0 || stack[stack.length - 1]!.active;
    let i = 0;
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (!(t.bol && t.text === '#')) {
        // a run of code up to the next directive
        let j = i;
        while (j < tokens.length && !(tokens[j]!.bol && tokens[j]!.text === '#')) j++;
        if (active()) {
          for (let k = i; k < j; k++) out.push(tokens[k]!);
          tokenCount += j - i;
          if (tokenCount > maxTokens) {
            problems.push({ file, line: t.line, message: `stopped: more than ${maxTokens} tokens of code` });
            stopped = true;
            return;
          }
        }
        i = j;
        continue;
      }
      const end = directiveEnd(tokens, i);
      const name = tokens[i + 1] && !tokens[i + 1]!.bol ? tokens[i + 1]!.text : '';
      const args = tokens.slice(i + 2, end);
      const line = t.line;
      i = end;
      const problem = (message: string) => problems.push({ file, line, message });
      const decide = (what: () => boolean): boolean => {
        try {
          return what();
        } catch (error) {
          if (error instanceof ConditionError || error instanceof ExpansionError) {
            problem(`${error.message}; taken as false`);
            return false;
          }
          throw error;
        }
      };
      switch (name) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          const outer = active();
          let value = false;
          if (outer) {
            if (name === 'if') value = decide(() => conditionValue(args, file));
            else value = isDefined(args[0]?.text ?? '') === (name === 'ifdef');
          }
          stack.push({ outerActive: outer, active: outer && value, taken: value, sawElse: false });
          break;
        }
        case 'elif':
        case 'elifdef':
        case 'elifndef': {
          const frame = stack[stack.length - 1];
          if (!frame || frame.sawElse) {
            problem(`#${name} without #if`);
            break;
          }
          if (!frame.outerActive || frame.taken) {
            frame.active = false;
            break;
          }
          const value = name === 'elif' ? decide(() => conditionValue(args, file)) : isDefined(args[0]?.text ?? '') === (name === 'elifdef');
          frame.active = value;
          frame.taken = value;
          break;
        }
        case 'else': {
          const frame = stack[stack.length - 1];
          if (!frame || frame.sawElse) {
            problem('#else without #if');
            break;
          }
          frame.sawElse = true;
          frame.active = frame.outerActive && !frame.taken;
          frame.taken = true;
          break;
        }
        case 'endif':
          if (!stack.pop()) problem('#endif without #if');
          break;
        default: {
          if (!active()) break;
          if (name === 'define') {
            const macro = parseDefine(args);
            if (macro) define(macro);
            else problem('#define without a name');
          } else if (name === 'undef') {
            if (args[0]) macros.delete(args[0].text);
          } else if (name === 'include' || name === 'include_next') {
            let spec = args;
            if (spec[0]?.kind === 'id') spec = new MacroExpander(macros, builtins).expand(spec);
            const text = spec.map((a) => a.text).join('');
            const angled = text.startsWith('<');
            const target = text.replace(/^[<"]|[>"]$/g, '');
            if (!/^[<"].*[>"]$/.test(text)) {
              problem(`#include ${text} is not understood`);
              break;
            }
            if (options.shallow?.includes(file)) {
              skipped.add(target);
              break;
            }
            const path = resolve(target, angled, file);
            if (!path) {
              missing.push({ include: target, from: file, line });
              break;
            }
            if (path === file) break;
            if (options.skip?.some((pattern) => pattern.test(path))) {
              skipped.add(path);
              break;
            }
            if (depth + 1 > maxDepth) {
              problem(`#include ${text} is nested more than ${maxDepth} deep; not read`);
              break;
            }
            run(path, depth + 1);
          } else if (name === 'error') {
            problem(`#error ${tokensText(args)}`);
          } else if (name === '' || name === 'pragma' || name === 'warning' || name === 'line' || name === 'ident') {
            // nothing to do
          } else {
            problem(`#${name} is not a directive this reader knows; ignored`);
          }
        }
      }
    }
    if (stack.length > 0) problems.push({ file, line: tokens[tokens.length - 1]?.line ?? 0, message: `${stack.length} #if without #endif at the end of the file` });
  };

  for (const entry of entries) {
    if (tree.read(entry) === undefined) {
      missing.push({ include: entry, from: '<entry>', line: 0 });
      continue;
    }
    run(entry, 0);
  }
  return { macros, definitions, tokens: out, files, missing, skipped: [...skipped], problems };
}

/**
 * Tokens of a file's text, shared between runs (another profile, a patched copy of the same
 * tree): the same text at the same path gives the same tokens, which nothing modifies.
 */
const lexCache = new Map<string, { readonly text: string; readonly tokens: Token[] }>();
const LEX_CACHE_FILES = 4000;

function lexOnce(text: string, file: string): Token[] {
  const hit = lexCache.get(file);
  if (hit && hit.text === text) return hit.tokens;
  const tokens = tokenize(text, file);
  if (lexCache.size >= LEX_CACHE_FILES) lexCache.clear();
  lexCache.set(file, { text, tokens });
  return tokens;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function joinPath(dir: string, name: string): string {
  const parts = (dir ? dir + '/' + name : name).split('/');
  const result: string[] = [];
  for (const part of parts) {
    if (part === '..') result.pop();
    else if (part !== '.' && part !== '') result.push(part);
  }
  return result.join('/');
}
