// The top-level declarations of preprocessed header code that the helper reader needs:
// function definitions (name, head, parameters, body tokens), typedefs and enum constants.
// Works on the unexpanded tokens: a definition is `… NAME ( … ) { … }` at file scope.

import { evaluateCondition } from './conditionExpr';
import type { MacroExpander } from './macros';
import type { Token } from './tokens';

export interface FunctionDefinition {
  readonly name: string;
  /** Tokens before the name: storage class, qualifiers, return type. */
  readonly head: readonly Token[];
  /** Tokens between the parentheses. */
  readonly params: readonly Token[];
  /** Tokens between the braces. */
  readonly body: readonly Token[];
  readonly nameToken: Token;
}

export interface Declarations {
  /** The last definition of each name (an earlier one is normally in a branch the profile did not take). */
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  /** typedef name → the tokens of its type. */
  readonly typedefs: ReadonlyMap<string, readonly Token[]>;
  readonly enumConstants: ReadonlyMap<string, bigint>;
}

function matching(tokens: readonly Token[], open: number): number {
  const o = tokens[open]!.text;
  const c = o === '(' ? ')' : o === '{' ? '}' : ']';
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (t === o) depth++;
    else if (t === c && --depth === 0) return i;
  }
  return tokens.length - 1;
}

function matchingBackward(tokens: readonly Token[], close: number, floor: number): number {
  let depth = 0;
  for (let i = close; i >= floor; i--) {
    const t = tokens[i]!.text;
    if (t === ')') depth++;
    else if (t === '(' && --depth === 0) return i;
  }
  return -1;
}

export function readDeclarations(tokens: readonly Token[], expander: MacroExpander): Declarations {
  const functions = new Map<string, FunctionDefinition>();
  const typedefs = new Map<string, readonly Token[]>();
  const enumConstants = new Map<string, bigint>();
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === ';') {
      declaration(start, i);
      start = i + 1;
      continue;
    }
    if (t.text === '(' || t.text === '[') {
      i = matching(tokens, i);
      continue;
    }
    if (t.text !== '{') continue;
    const close = matching(tokens, i);
    const prev = tokens[i - 1];
    const open = prev?.text === ')' ? matchingBackward(tokens, i - 1, start) : -1;
    const nameToken = open > start ? tokens[open - 1] : undefined;
    const head = nameToken ? tokens.slice(start, open - 1) : [];
    if (nameToken && nameToken.kind === 'id' && !head.some((h) => h.text === '=' || h.text === 'typedef') && head.length > 0) {
      functions.set(nameToken.text, { name: nameToken.text, head, params: tokens.slice(open + 1, i - 1), body: tokens.slice(i + 1, close), nameToken });
      i = close;
      start = close + 1;
      continue;
    }
    if (tokens.slice(start, i).some((h) => h.text === 'enum')) {
      // items may be macros (`DECLARE_VMA_BIT(SHARED, 3),`): expanded first
      let body: readonly Token[];
      try {
        body = expander.expand(tokens.slice(i + 1, close));
      } catch {
        body = tokens.slice(i + 1, close);
      }
      enumBody(body);
    }
    i = close; // a struct, union, enum or initializer: the declaration goes on to its ';'
  }
  return { functions, typedefs, enumConstants };

  function declaration(from: number, to: number): void {
    if (tokens[from]?.text !== 'typedef') return;
    // the declared name: the last identifier outside brackets, or the one in `(*name)`
    let name: Token | undefined;
    let nameAt = -1;
    for (let j = from + 1; j < to; j++) {
      const u = tokens[j]!;
      if (u.text === '{' || u.text === '[') {
        j = matching(tokens, j);
        continue;
      }
      if (u.text === '(') {
        const inner = tokens[j + 1]?.text === '*' ? tokens[j + 2] : undefined;
        if (inner?.kind === 'id') {
          name = inner;
          nameAt = -1;
        }
        j = matching(tokens, j);
        continue;
      }
      if (u.kind === 'id' && !name?.text.startsWith('(')) {
        name = u;
        nameAt = j;
      }
    }
    if (name && nameAt > 0) typedefs.set(name.text, tokens.slice(from + 1, nameAt));
    else if (name) typedefs.set(name.text, [{ ...name, text: 'void' }, { ...name, text: '*' }]);
  }

  function enumBody(body: readonly Token[]): void {
    let next = 0n;
    let item: Token[] = [];
    const flush = () => {
      if (item.length === 0 || item[0]!.kind !== 'id') return;
      const name = item[0]!.text;
      if (item[1]?.text === '=') {
        try {
          next = evaluateCondition(item.slice(2).map((u) => (u.kind === 'id' && enumConstants.has(u.text) ? { ...u, kind: 'num' as const, text: String(enumConstants.get(u.text)) } : u)));
        } catch {
          item = [];
          return; // a value this reader cannot compute: the constant is left out (and named if used)
        }
      }
      enumConstants.set(name, next);
      next += 1n;
      item = [];
    };
    let depth = 0;
    for (const u of body) {
      if (u.text === '(') depth++;
      if (u.text === ')') depth--;
      if (u.text === ',' && depth === 0) flush();
      else item.push(u);
    }
    flush();
  }
}
