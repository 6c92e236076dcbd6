// Reads a helper's definition into the bit-vector language (simulator/src/bitvec/program.ts):
// a `static inline` function (parameters, locals, if/else, return, integer expressions) or a
// function-like macro (read as `return <its expansion>;`). Macros in the body are expanded
// first. What the language cannot say (goto, arrays, sizeof of an expression, statement expressions)
// becomes an `unsupported` node that names it: the evaluator reports it if the helper needs it.

import type { BvExpr, BvFunction, BvParam, BvStatement, BvType, Origin } from '../../../simulator/src/bitvec/program';
import { parseIntegerLiteral } from './conditionExpr';
import type { FunctionDefinition } from './declarations';
import type { Macro, MacroExpander } from './macros';
import { tokensText, type Token } from './tokens';

export class ParseError extends Error {
  constructor(message: string, readonly at: Origin) {
    super(`${message} (${at.file}:${at.line})`);
  }
}

const TYPE_KEYWORDS = new Set(['void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'bool', 'float', 'double', 'struct', 'union', 'enum', '__int128']);
const QUALIFIERS = new Set(['const', 'volatile', 'static', 'inline', 'extern', 'register', '__inline', '__inline__', 'restrict', '__restrict', '__always_inline',
  '__force', '__must_check', 'notrace', 'noinstr', '__init', '__user', '__iomem', '__rcu', '__maybe_unused', '__pure', '__attribute_const__', '__nocfi', '__flatten', '__no_kcsan']);

/** A typedef name followed by `(` is a call of a function named like a type, not a type. */
const typedefCall = (t: Token, next: Token | undefined) => next?.text === '(' && !TYPE_KEYWORDS.has(t.text) && !QUALIFIERS.has(t.text) && t.text !== 'typeof' && t.text !== '__typeof__' && t.text !== '__attribute__';

const origin = (t: Token | undefined): Origin => ({ file: t?.file ?? '?', line: t?.line ?? 0 });

/** Reads C types: keywords, typedef names resolved to the type they stand for. */
export class TypeReader {
  constructor(private readonly typedefs: ReadonlyMap<string, readonly Token[]>) {}

  isTypeStart(t: Token | undefined): boolean {
    if (!t || t.kind !== 'id') return false;
    return TYPE_KEYWORDS.has(t.text) || QUALIFIERS.has(t.text) || this.typedefs.has(t.text) || t.text === '__attribute__' || t.text === 'typeof' || t.text === '__typeof__';
  }

  /** Resolves type tokens (no declarator name) to a BvType. */
  resolve(tokens: readonly Token[], depth = 0): BvType {
    const words = stripAttributes(tokens).map((t) => t.text).filter((w) => !QUALIFIERS.has(w));
    if (words.includes('*')) return { kind: 'pointer', to: words.filter((w) => w !== '*').join(' ') };
    const tagged = words.findIndex((w) => w === 'struct' || w === 'union');
    if (tagged >= 0) return { kind: 'struct', name: words[tagged + 1] ?? '?' };
    if (words.includes('enum')) return { kind: 'int', width: 32, signed: false };
    const typedefName = words.find((w) => this.typedefs.has(w));
    if (typedefName && depth < 16) {
      const target = this.typedefs.get(typedefName)!;
      if (target.some((t) => t.text === '{')) return target.some((t) => t.text === 'struct' || t.text === 'union') ? { kind: 'struct', name: typedefName } : { kind: 'int', width: 32, signed: false };
      return this.resolve(target, depth + 1);
    }
    if (words.includes('void')) return { kind: 'void' };
    if (words.includes('bool') || words.includes('_Bool')) return { kind: 'int', width: 1, signed: false };
    const signed = !words.includes('unsigned');
    if (words.includes('char')) return { kind: 'int', width: 8, signed };
    if (words.includes('short')) return { kind: 'int', width: 16, signed };
    if (words.includes('long') || words.includes('__int128')) return { kind: 'int', width: 64, signed };
    if (words.includes('int') || words.includes('signed') || words.includes('unsigned')) return { kind: 'int', width: 32, signed };
    // an unknown name (a typedef in a header not read): taken as a 64-bit word, like pteval_t
    return { kind: 'int', width: 64, signed: false };
  }
}

function stripAttributes(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ((t.text === '__attribute__' || t.text === '__aligned' || t.text === 'typeof' || t.text === '__typeof__') && tokens[i + 1]?.text === '(') {
      let depth = 0;
      for (i++; i < tokens.length; i++) {
        if (tokens[i]!.text === '(') depth++;
        else if (tokens[i]!.text === ')' && --depth === 0) break;
      }
      continue;
    }
    out.push(t);
  }
  return out;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};
const ASSIGNMENTS = new Set(['=', '|=', '&=', '^=', '<<=', '>>=', '+=', '-=', '*=', '/=', '%=']);

/** Parses expanded tokens of a body or an expression. */
class BodyParser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[], private readonly types: TypeReader, private readonly enums: ReadonlyMap<string, bigint>) {}

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }
  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new ParseError('unexpected end of the definition', origin(this.tokens[this.tokens.length - 1]));
    return t;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text) throw new ParseError(`expected "${text}", found "${t.text}"`, origin(t));
    return t;
  }
  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  /** Skips to the end of a balanced construct starting at the current token, returning the tokens. */
  private skipBalanced(): Token[] {
    const start = this.i;
    let depth = 0;
    do {
      const t = this.next().text;
      if (t === '(' || t === '{' || t === '[') depth++;
      else if (t === ')' || t === '}' || t === ']') depth--;
    } while (depth > 0 && !this.atEnd());
    return this.tokens.slice(start, this.i) as Token[];
  }

  private skipStatement(): Token[] {
    const start = this.i;
    let depth = 0;
    while (!this.atEnd()) {
      const t = this.next().text;
      if (t === '(' || t === '{' || t === '[') depth++;
      else if (t === ')' || t === ']') depth--;
      else if (t === '}') {
        depth--;
        if (depth <= 0) break;
      } else if (t === ';' && depth === 0) break;
    }
    return this.tokens.slice(start, this.i) as Token[];
  }

  statements(): BvStatement[] {
    const list: BvStatement[] = [];
    while (!this.atEnd() && this.peek()!.text !== '}') list.push(...this.statement());
    return list;
  }

  private statement(): BvStatement[] {
    const t = this.peek()!;
    const at = origin(t);
    switch (t.text) {
      case ';':
        this.next();
        return [];
      case '{': {
        this.next();
        const inner = this.statements();
        this.expect('}');
        return inner;
      }
      case 'if': {
        this.next();
        this.expect('(');
        const condition = this.expression();
        this.expect(')');
        const then = this.statement();
        let otherwise: BvStatement[] = [];
        if (this.peek()?.text === 'else') {
          this.next();
          otherwise = this.statement();
        }
        return [{ kind: 'if', condition, then, otherwise, at }];
      }
      case 'return': {
        this.next();
        if (this.peek()?.text === ';') {
          this.next();
          return [{ kind: 'return', at }];
        }
        const value = this.expression();
        this.expect(';');
        return [{ kind: 'return', value, at }];
      }
      case 'do': {
        // do { … } while (0): the body once
        const start = this.i;
        this.next();
        const body = this.statement();
        if (this.peek()?.text === 'while' && this.peek(1)?.text === '(' && this.peek(2)?.text === '0' && this.peek(3)?.text === ')') {
          this.i += 4;
          if (this.peek()?.text === ';') this.next();
          return body;
        }
        if (this.peek()?.text === 'while' && this.peek(1)?.text === '(') {
          this.next();
          this.next();
          const condition = this.expression();
          this.expect(')');
          if (this.peek()?.text === ';') this.next();
          return [{ kind: 'loop', body, condition, at }];
        }
        this.i = start;
        return [{ kind: 'unsupported', what: `a loop: ${tokensText(this.skipStatement()).slice(0, 60)}`, at }];
      }
      case 'for':
        return [this.forLoop()];
      case 'while': {
        this.next();
        this.expect('(');
        const condition = this.expression();
        this.expect(')');
        return [{ kind: 'for', init: [], condition, body: this.statement(), at }];
      }
      case 'switch':
        return [this.switchStatement()];
      case 'break': case 'continue':
        this.next();
        this.expect(';');
        return [{ kind: t.text, at }];
      case 'goto': case 'asm': case '__asm__': case 'asm_inline':
        return [{ kind: 'unsupported', what: `${t.text === 'goto' ? 'a goto statement' : 'inline assembly'}: ${tokensText(this.skipStatement()).slice(0, 60)}`, at }];
    }
    if (this.isDeclaration()) return this.declaration();
    const expr = this.expression();
    this.expect(';');
    return [{ kind: 'expr', expr, at }];
  }

  /** `for (init; condition; step) body`, each part optional; `for (int i = 0; …)` declares its counter. */
  private forLoop(): BvStatement {
    const at = origin(this.next());
    this.expect('(');
    let init: BvStatement[] = [];
    if (this.peek()?.text === ';') this.next();
    else if (this.isDeclaration()) init = this.declaration();
    else {
      const expr = this.expression();
      init = [{ kind: 'expr', expr, at }];
      this.expect(';');
    }
    const condition = this.peek()?.text === ';' ? undefined : this.expression();
    this.expect(';');
    const step = this.peek()?.text === ')' ? undefined : this.expression();
    this.expect(')');
    const body = this.statement();
    return { kind: 'for', init, ...(condition ? { condition } : {}), ...(step ? { step } : {}), body, at };
  }

  /** `switch (v) { case A: … case B: default: … }`: labels in a row share an arm; an arm runs on into the next unless it breaks. */
  private switchStatement(): BvStatement {
    const at = origin(this.next());
    this.expect('(');
    const value = this.expression();
    this.expect(')');
    this.expect('{');
    const arms: { labels: (BvExpr | 'default')[]; body: BvStatement[] }[] = [];
    const label = (l: BvExpr | 'default') => {
      const last = arms[arms.length - 1];
      if (last && last.body.length === 0) last.labels.push(l);
      else arms.push({ labels: [l], body: [] });
    };
    while (!this.atEnd() && this.peek()!.text !== '}') {
      const t = this.peek()!;
      if (t.text === 'case') {
        this.next();
        label(this.conditional());
        if (this.peek()?.text === '...') return { kind: 'unsupported', what: `a case range: ${tokensText(this.skipStatement()).slice(0, 60)}`, at };
        this.expect(':');
      } else if (t.text === 'default') {
        this.next();
        this.expect(':');
        label('default');
      } else {
        if (arms.length === 0) arms.push({ labels: [], body: [] });
        arms[arms.length - 1]!.body.push(...this.statement());
      }
    }
    this.expect('}');
    return { kind: 'switch', value, arms, at };
  }

  private isDeclaration(): boolean {
    const t = this.peek();
    if (!this.types.isTypeStart(t)) return false;
    // `pte_t pte = …`, not a call of a function named like a type
    return !typedefCall(t!, this.peek(1));
  }

  private declaration(): BvStatement[] {
    const typeTokens: Token[] = [];
    while (!this.atEnd()) {
      const t = this.peek()!;
      if (t.text === '__attribute__' || t.text === 'typeof' || t.text === '__typeof__') {
        typeTokens.push(...this.skipBalanced());
        continue;
      }
      if (t.kind === 'id' && !this.types.isTypeStart(t) && !(typeTokens.some((u) => u.text === 'struct' || u.text === 'union' || u.text === 'enum') && typeTokens[typeTokens.length - 1]?.text.match(/^(struct|union|enum)$/))) break;
      if (t.text !== '*' && t.kind !== 'id') break;
      typeTokens.push(this.next());
    }
    const list: BvStatement[] = [];
    for (;;) {
      let pointer = false;
      while (this.peek()?.text === '*') {
        this.next();
        pointer = true;
      }
      const name = this.next();
      if (name.kind !== 'id') throw new ParseError(`expected a name in a declaration, found "${name.text}"`, origin(name));
      const type = pointer ? ({ kind: 'pointer', to: tokensText(typeTokens) } as const) : this.types.resolve(typeTokens);
      if (this.peek()?.text === '[') {
        this.skipStatement();
        return [{ kind: 'unsupported', what: `an array ${name.text}`, at: origin(name) }];
      }
      let init: BvExpr | undefined;
      if (this.peek()?.text === '=') {
        this.next();
        init = this.peek()?.text === '{' ? this.initializer(type) : this.assignment();
      }
      list.push({ kind: 'declare', name: name.text, type, ...(init ? { init } : {}), at: origin(name) });
      if (this.peek()?.text === ',') {
        this.next();
        continue;
      }
      this.expect(';');
      return list;
    }
  }

  /** `{ .pte = v }`, `{ v }`, `{ { v } }`: the one word of a single-member struct. */
  private initializer(type: BvType): BvExpr {
    const open = this.expect('{');
    if (this.peek()?.text === '.' && this.peek(1)?.kind === 'id' && this.peek(2)?.text === '=') this.i += 3;
    const value = this.peek()?.text === '{' ? this.initializer(type) : this.assignment();
    if (this.peek()?.text === ',') this.next();
    if (this.peek()?.text !== '}') {
      this.i--;
      this.skipBalanced();
      return { kind: 'unsupported', what: 'an initializer of more than one member', at: origin(open) };
    }
    this.next();
    return { kind: 'wrap', type, operand: value, at: origin(open) };
  }

  expression(): BvExpr {
    let left = this.assignment();
    while (this.peek()?.text === ',') {
      const at = origin(this.next());
      left = { kind: 'comma', left, right: this.assignment(), at };
    }
    return left;
  }

  private assignment(): BvExpr {
    const start = this.i;
    const left = this.conditional();
    const op = this.peek()?.text;
    if (op && ASSIGNMENTS.has(op)) {
      const at = origin(this.next());
      const value = this.assignment();
      // `pte_val(pte) |= x` is `(pte).pte |= x`: the member of a one-word struct is the struct's word
      const target = left.kind === 'var' ? left.name : left.kind === 'member' && !left.arrow && left.base.kind === 'var' ? left.base.name : undefined;
      const assignOp = op === '=' ? '=' : (op.slice(0, -1) as Extract<BvExpr, { kind: 'binary' }>['op']);
      // a store through a pointer: `*ptep = pte`, `ptep->pte &= ~x`, `(*ptep).pte = v`
      if (target === undefined && (left.kind === 'deref' || (left.kind === 'member' && (left.arrow || left.base.kind === 'deref')))) return { kind: 'store', target: left, op: assignOp, value, at };
      if (target === undefined) return { kind: 'unsupported', what: `an assignment to ${tokensText(this.tokens.slice(start, this.i)).slice(0, 50)}`, at };
      return { kind: 'assign', target, op: op === '=' ? '=' : (op.slice(0, -1) as Extract<BvExpr, { kind: 'binary' }>['op']), value, at };
    }
    return left;
  }

  private conditional(): BvExpr {
    const condition = this.binary(1);
    if (this.peek()?.text !== '?') return condition;
    const at = origin(this.next());
    const then = this.expression();
    this.expect(':');
    const otherwise = this.conditional();
    return { kind: 'ternary', condition, then, otherwise, at };
  }

  private binary(min: number): BvExpr {
    let left = this.unary();
    for (;;) {
      const op = this.peek()?.text ?? '';
      const precedence = BINARY_PRECEDENCE[op];
      if (precedence === undefined || precedence < min || this.peek()?.kind !== 'punct') return left;
      const at = origin(this.next());
      const right = this.binary(precedence + 1);
      left = { kind: 'binary', op: op as Extract<BvExpr, { kind: 'binary' }>['op'], left, right, at };
    }
  }

  private isCast(): boolean {
    return this.peek()?.text === '(' && this.types.isTypeStart(this.peek(1)) && !typedefCall(this.peek(1)!, this.peek(2));
  }

  private typeName(): BvType {
    const tokens: Token[] = [];
    let depth = 0;
    while (!this.atEnd()) {
      const t = this.peek()!;
      if (t.text === '(') depth++;
      if (t.text === ')') {
        if (depth === 0) break;
        depth--;
      }
      tokens.push(this.next());
    }
    this.expect(')');
    return this.types.resolve(tokens);
  }

  private unary(): BvExpr {
    const t = this.peek();
    if (!t) throw new ParseError('unexpected end of an expression', origin(this.tokens[this.tokens.length - 1]));
    const at = origin(t);
    if (t.kind === 'punct' && (t.text === '!' || t.text === '~' || t.text === '-' || t.text === '+')) {
      this.next();
      return { kind: 'unary', op: t.text, operand: this.unary(), at };
    }
    if (t.text === '*' || t.text === '&') {
      this.next();
      const operand = this.unary();
      return t.text === '*' ? { kind: 'deref', pointer: operand, at } : { kind: 'address', operand, at };
    }
    if (t.text === '++' || t.text === '--') {
      this.next();
      return { kind: 'increment', target: this.unary(), delta: t.text === '++' ? 1 : -1, prefix: true, at };
    }
    if (t.text === 'sizeof' || t.text === '_Alignof' || t.text === '__alignof__') {
      this.next();
      if (t.text === 'sizeof' && this.isCast()) {
        // sizeof(type): its width in bytes; an anonymous struct is GNU C's empty struct (BUILD_BUG_ON_ZERO)
        const inner = this.skipBalanced().slice(1, -1);
        if (inner[0]?.text === 'struct' && inner[1]?.text === '{') return { kind: 'number', value: 0n, at };
        const type = this.types.resolve(inner);
        const bytes = type.kind === 'int' ? Math.max(1, type.width / 8) : type.kind === 'void' ? 1 : 8;
        return { kind: 'number', value: BigInt(bytes), at };
      }
      if (this.peek()?.text === '(') this.skipBalanced();
      else this.unary();
      return { kind: 'unsupported', what: `${t.text} of an expression`, at };
    }
    if (this.isCast()) {
      this.next();
      const type = this.typeName();
      if (this.peek()?.text === '{') return this.postfix(this.initializer(type));
      return { kind: 'cast', type, operand: this.unary(), at };
    }
    return this.postfix(this.primary());
  }

  private primary(): BvExpr {
    const t = this.next();
    const at = origin(t);
    if (t.text === '(') {
      if (this.peek()?.text === '{') {
        this.i--;
        this.skipBalanced();
        return { kind: 'unsupported', what: 'a statement expression ({ … })', at };
      }
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'num') {
      const value = parseIntegerLiteral(t.text);
      if (value === undefined) return { kind: 'unsupported', what: `the number ${t.text}`, at };
      // `1UL`, `1ULL` are 64-bit (LP64): `1UL << 50` must not be computed in an int
      const suffix = /[uUlL]*$/.exec(t.text)![0];
      const number: BvExpr = { kind: 'number', value, at };
      return /l/i.test(suffix) ? { kind: 'cast', type: { kind: 'int', width: 64, signed: !/u/i.test(suffix) }, operand: number, at } : number;
    }
    if (t.kind === 'char') return { kind: 'number', value: BigInt(t.text.length >= 3 ? t.text.charCodeAt(1) : 0), at };
    if (t.kind === 'str') return { kind: 'unsupported', what: 'a string', at };
    if (t.kind === 'id') {
      if (this.enums.has(t.text)) return { kind: 'number', value: this.enums.get(t.text)!, at };
      if (t.text === 'true' || t.text === 'false') return { kind: 'number', value: t.text === 'true' ? 1n : 0n, at };
      if (this.peek()?.text === '(') {
        this.next();
        const args: BvExpr[] = [];
        while (this.peek() && this.peek()!.text !== ')') {
          args.push(this.assignment());
          if (this.peek()?.text === ',') this.next();
          else break;
        }
        this.expect(')');
        return { kind: 'call', callee: t.text, args, at };
      }
      return { kind: 'var', name: t.text, at };
    }
    throw new ParseError(`unexpected "${t.text}" in an expression`, at);
  }

  private postfix(base: BvExpr): BvExpr {
    for (;;) {
      const t = this.peek();
      if (t?.text === '.' || t?.text === '->') {
        this.next();
        const member = this.next();
        base = { kind: 'member', base, member: member.text, arrow: t.text === '->', at: origin(t) };
        continue;
      }
      if (t?.text === '[') {
        this.skipBalanced();
        base = { kind: 'unsupported', what: 'an array subscript', at: origin(t) };
        continue;
      }
      if (t?.text === '++' || t?.text === '--') {
        this.next();
        base = { kind: 'increment', target: base, delta: t.text === '++' ? 1 : -1, prefix: false, at: origin(t) };
        continue;
      }
      if (t?.text === '(' ) {
        this.skipBalanced();
        base = { kind: 'unsupported', what: 'a call through a value', at: origin(t) };
        continue;
      }
      return base;
    }
  }
}

/** Reads the parameters of a definition: `pte_t pte, pgprot_t newprot`, `void`. */
function readParams(tokens: readonly Token[], types: TypeReader): BvParam[] {
  const groups: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) groups.push([]);
    else groups[groups.length - 1]!.push(t);
  }
  if (groups.length === 1 && (groups[0]!.length === 0 || (groups[0]!.length === 1 && groups[0]![0]!.text === 'void'))) return [];
  return groups.map((g, i) => {
    const clean = stripAttributes(g);
    const name = [...clean].reverse().find((t) => t.kind === 'id' && !types.isTypeStart(t) && !QUALIFIERS.has(t.text));
    const typeTokens = name ? clean.filter((t) => t !== name) : clean;
    return { name: name?.text ?? `arg${i}`, type: types.resolve(typeTokens) };
  });
}

export interface ReaderContext {
  readonly expander: MacroExpander;
  readonly types: TypeReader;
  readonly enums: ReadonlyMap<string, bigint>;
}

/** A `static inline` function as a BvFunction. Throws ParseError on a body it cannot read. */
export function readFunction(def: FunctionDefinition, context: ReaderContext): BvFunction {
  const params = readParams(context.expander.expand(def.params), context.types);
  const returnType = context.types.resolve(context.expander.expand(def.head));
  const body = new BodyParser(context.expander.expand(def.body), context.types, context.enums).statements();
  return { name: def.name, params, returnType, body, at: origin(def.nameToken), form: 'function' };
}

/** A function-like macro as a BvFunction whose body is `return <expansion>;`. */
export function readMacro(macro: Macro, context: ReaderContext): BvFunction {
  const at = { file: macro.file, line: macro.line };
  const params = (macro.params ?? []).map((name) => ({ name, type: { kind: 'int', width: 64, signed: false } as BvType }));
  const marker = (name: string): Token => ({ kind: 'id', text: name, file: macro.file, line: macro.line, bol: false, space: true, hide: new Set([name]) });
  // expand the body with the parameters kept as names
  const body = context.expander.expand(macro.body.map((t) => (t.kind === 'id' && macro.params?.includes(t.text) ? marker(t.text) : t)));
  const parser = new BodyParser(body, context.types, context.enums);
  const value = parser.expression();
  if (!parser.atEnd()) throw new ParseError(`the macro ${macro.name} is not one expression`, at);
  return { name: macro.name, params, returnType: { kind: 'int', width: 64, signed: false }, body: [{ kind: 'return', value, at }], at, form: 'macro' };
}

/** An expression (a mask macro's expansion) as a BvExpr. */
export function readExpression(tokens: readonly Token[], context: ReaderContext): BvExpr {
  const parser = new BodyParser(context.expander.expand(tokens), context.types, context.enums);
  const value = parser.expression();
  if (!parser.atEnd()) throw new ParseError(`"${tokensText(tokens)}" is not one expression`, origin(tokens[0]));
  return value;
}
