// Macro definitions and their expansion: object-like and function-like #defines, argument
// substitution (arguments fully expanded unless next to `#` or `##`), `#` stringizing, `##`
// pasting, variadic `__VA_ARGS__`, and hide sets so a macro never expands inside itself.
// Bounded: a runaway expansion is an ExpansionError naming the macro, never a hang.

import { tokenize, type Token } from './tokens';

export interface Macro {
  readonly name: string;
  /** Parameter names for a function-like macro; undefined for an object-like one. */
  readonly params?: readonly string[];
  readonly variadic: boolean;
  readonly body: readonly Token[];
  readonly file: string;
  readonly line: number;
}

export type MacroTable = ReadonlyMap<string, Macro>;

export class ExpansionError extends Error {}

/** How much one expansion may do before it is cut off. */
export interface ExpansionBounds {
  readonly maxSteps: number;
  readonly maxTokens: number;
}

export const DEFAULT_EXPANSION_BOUNDS: ExpansionBounds = { maxSteps: 200_000, maxTokens: 200_000 };

/** A builtin that acts like a function-like macro (IS_ENABLED where kconfig.h is absent). */
export type BuiltinMacro = (args: readonly Token[][], at: Token) => Token[] | undefined;

/** Parses the tokens after `#define` (the name first). Undefined when there is no name. */
export function parseDefine(tokens: readonly Token[]): Macro | undefined {
  const name = tokens[0];
  if (!name || name.kind !== 'id') return undefined;
  const open = tokens[1];
  if (open && open.text === '(' && !open.space) {
    const params: string[] = [];
    let variadic = false;
    let i = 2;
    for (; i < tokens.length && tokens[i]!.text !== ')'; i++) {
      const t = tokens[i]!;
      if (t.text === ',') continue;
      if (t.text === '...') {
        variadic = true;
        params.push('__VA_ARGS__');
      } else if (t.kind === 'id') {
        if (tokens[i + 1]?.text === '...') {
          variadic = true;
          i++;
        }
        params.push(t.text);
      }
    }
    return { name: name.text, params, variadic, body: tokens.slice(i + 1), file: name.file, line: name.line };
  }
  return { name: name.text, variadic: false, body: tokens.slice(1), file: name.file, line: name.line };
}

function withHide(token: Token, hide: ReadonlySet<string>, at: Token, first: boolean): Token {
  const merged = token.hide ? new Set([...token.hide, ...hide]) : hide;
  return { ...token, hide: merged, file: at.file, line: at.line, bol: false, space: first ? at.space : token.space };
}

function stringize(arg: readonly Token[], at: Token): Token {
  const text = arg.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('');
  return { kind: 'str', text: JSON.stringify(text), file: at.file, line: at.line, bol: false, space: true };
}

function paste(left: Token, right: Token): Token[] {
  const pasted = tokenize(left.text + right.text, left.file);
  return pasted.map((t, i) => ({ ...t, file: left.file, line: left.line, bol: false, space: i === 0 ? left.space : false, ...(left.hide ? { hide: left.hide } : {}) }));
}

export class MacroExpander {
  private steps = 0;

  constructor(
    private readonly macros: MacroTable,
    private readonly builtins: ReadonlyMap<string, BuiltinMacro> = new Map(),
    private readonly bounds: ExpansionBounds = DEFAULT_EXPANSION_BOUNDS,
    /** Names left as they are (calls the evaluator answers itself, e.g. cpu_feature_enabled). */
    private readonly opaque: (name: string) => boolean = () => false,
  ) {}

  /** Fully expands `input`. Throws ExpansionError past the bounds. */
  expand(input: readonly Token[]): Token[] {
    this.steps = 0;
    return this.expandList(input);
  }

  private expandList(input: readonly Token[]): Token[] {
    const out: Token[] = [];
    // pending, reversed: the next token to look at is the last element
    const pending: Token[] = [...input].reverse();
    while (pending.length > 0) {
      const token = pending.pop()!;
      if (token.kind !== 'id' || token.hide?.has(token.text) || this.opaque(token.text)) {
        out.push(token);
        continue;
      }
      const macro = this.macros.get(token.text);
      const builtin = macro ? undefined : this.builtins.get(token.text);
      if (!macro && !builtin) {
        out.push(token);
        continue;
      }
      if (++this.steps > this.bounds.maxSteps) throw new ExpansionError(`macro expansion of ${token.text} (${token.file}:${token.line}) took more than ${this.bounds.maxSteps} steps`);
      if (macro && macro.params === undefined) {
        const hide = new Set([...(token.hide ?? []), macro.name]);
        const body = this.substitute(macro, [], token);
        for (let i = body.length - 1; i >= 0; i--) pending.push(withHide(body[i]!, hide, token, i === 0));
        continue;
      }
      // function-like: only when followed by '('
      if (pending[pending.length - 1]?.text !== '(') {
        out.push(token);
        continue;
      }
      const args = this.collectArguments(pending, token);
      if (!args) {
        out.push(token);
        continue;
      }
      if (builtin) {
        const result = builtin(args, token);
        if (!result) throw new ExpansionError(`${token.text}(…) at ${token.file}:${token.line} is not understood`);
        for (let i = result.length - 1; i >= 0; i--) pending.push(result[i]!);
        continue;
      }
      const m = macro!;
      const params = m.params!;
      if (params.length === 0 && args.length === 1 && args[0]!.length === 0) args.length = 0;
      if (m.variadic && args.length > params.length) {
        const rest = args.splice(params.length - 1);
        const joined: Token[] = [];
        rest.forEach((a, i) => {
          if (i > 0) joined.push({ kind: 'punct', text: ',', file: token.file, line: token.line, bol: false, space: false });
          joined.push(...a);
        });
        args.push(joined);
      }
      while (args.length < params.length && (m.variadic || params.length === 1)) args.push([]);
      if (args.length !== params.length) {
        throw new ExpansionError(`${m.name} (defined at ${m.file}:${m.line}) takes ${params.length} arguments, given ${args.length} at ${token.file}:${token.line}`);
      }
      const hide = new Set([...(token.hide ?? []), m.name]);
      const body = this.substitute(m, args, token);
      if (out.length + pending.length + body.length > this.bounds.maxTokens) throw new ExpansionError(`macro expansion of ${m.name} at ${token.file}:${token.line} grew past ${this.bounds.maxTokens} tokens`);
      for (let i = body.length - 1; i >= 0; i--) pending.push(withHide(body[i]!, hide, token, i === 0));
    }
    return out;
  }

  /** Takes `( a, b )` off `pending` (reversed). Undefined when the parenthesis never closes. */
  private collectArguments(pending: Token[], at: Token): Token[][] | undefined {
    const saved = pending.length;
    pending.pop(); // '('
    const args: Token[][] = [[]];
    let depth = 0;
    while (pending.length > 0) {
      const t = pending.pop()!;
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) return args;
        depth--;
      } else if (t.text === ',' && depth === 0) {
        args.push([]);
        continue;
      }
      args[args.length - 1]!.push(t);
    }
    void at;
    pending.length = saved; // unbalanced: leave everything as it was (caller emits the name)
    return undefined;
  }

  private substitute(macro: Macro, args: readonly Token[][], at: Token): Token[] {
    const params = macro.params ?? [];
    const index = (t: Token | undefined) => (t && t.kind === 'id' ? params.indexOf(t.text) : -1);
    const body = macro.body;
    const result: Token[] = [];
    const expanded = new Map<number, Token[]>();
    const expandedArg = (i: number) => {
      let e = expanded.get(i);
      if (!e) {
        e = this.expandList(args[i]!);
        expanded.set(i, e);
      }
      return e;
    };
    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      if (t.text === '#' && macro.params && index(body[i + 1]) >= 0) {
        result.push(stringize(args[index(body[i + 1])]!, at));
        i++;
        continue;
      }
      if (t.text === '##' && result.length > 0 && i + 1 < body.length) {
        const next = body[i + 1]!;
        const p = index(next);
        const right = p >= 0 ? args[p]! : [next];
        i++;
        if (right.length === 0) continue;
        const left = result.pop()!;
        result.push(...paste(left, right[0]!), ...right.slice(1));
        continue;
      }
      const p = index(t);
      if (p >= 0) {
        const pasting = body[i + 1]?.text === '##';
        const arg = pasting ? args[p]! : expandedArg(p);
        arg.forEach((a, k) => result.push(k === 0 ? { ...a, space: t.space } : a));
        continue;
      }
      result.push(t);
    }
    return result;
  }
}
