// The language of helper effects. A statement list runs on `this` (the value
// being built) in order; `old` is `this` as it was on entry.
//
//   W := 0                      assign a field (or a form guard)
//   let d := D                  name a value for later statements
//   call pte_wrprotect          apply another helper of the table to `this`
//   call pte_mkwrite if vma.VM_WRITE     … only where the condition holds
//   copy pte [if e] | clear | clear_arch | form swap   whole-value assignments
//   copy vm_page_prot(vma) [if e]  … of what a constructor of the table builds from parameters
//
// Expressions: 0 1 FIELD old.FIELD param.FIELD vma.VM_X cfg.SYMBOL local
// !e e&e e^e e|e c?a:b (e) pred(arg, …) same(a, b [, field …])   (equal but the fields named)

export type Expr =
  | { readonly op: 'const'; readonly value: boolean }
  | { readonly op: 'ref'; readonly base?: string; readonly name: string }
  | { readonly op: 'not'; readonly arg: Expr }
  | { readonly op: 'and' | 'or' | 'xor'; readonly left: Expr; readonly right: Expr }
  | { readonly op: 'ite'; readonly cond: Expr; readonly then: Expr; readonly otherwise: Expr }
  | { readonly op: 'call'; readonly name: string; readonly args: readonly string[] };

export type Statement =
  | { readonly op: 'assign'; readonly target: string; readonly value: Expr }
  | { readonly op: 'let'; readonly name: string; readonly value: Expr }
  | { readonly op: 'call'; readonly helper: string; readonly guard?: Expr; readonly negate: boolean }
  /** `args`: the source is a constructor of the table called with these parameters, not a parameter. */
  | { readonly op: 'copy'; readonly source: string; readonly args?: readonly string[]; readonly guard?: Expr }
  | { readonly op: 'clear' }
  | { readonly op: 'clear_arch' }
  | { readonly op: 'form'; readonly form: string };

export class DslError extends Error {}

const TOKEN = /\s*(:=|[A-Za-z_][A-Za-z0-9_]*|[01]|[!&|^?:().,;\n])/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^[ \t\r]*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new DslError(`unexpected "${text.slice(at, at + 10)}" in "${text}"`);
    tokens.push(match[1]!);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: string[], private readonly source: string) {}

  statements(): Statement[] {
    const result: Statement[] = [];
    while (!this.done()) {
      if (this.peek() === ';' || this.peek() === '\n') {
        this.at++;
        continue;
      }
      result.push(this.statement());
      if (!this.done() && this.peek() !== ';' && this.peek() !== '\n') this.fail(`expected ";" before "${this.peek()}"`);
    }
    return result;
  }

  wholeExpression(): Expr {
    const expr = this.expression();
    while (this.peek() === '\n') this.at++;
    if (!this.done()) this.fail(`unexpected "${this.peek()}"`);
    return expr;
  }

  private statement(): Statement {
    const word = this.next();
    switch (word) {
      case 'let': {
        const name = this.identifier();
        this.expect(':=');
        return { op: 'let', name, value: this.expression() };
      }
      case 'call': {
        const helper = this.identifier();
        if (this.peek() === 'if' || this.peek() === 'unless') {
          const negate = this.next() === 'unless';
          return { op: 'call', helper, guard: this.expression(), negate };
        }
        return { op: 'call', helper, negate: false };
      }
      case 'copy': {
        const source = this.identifier();
        const args = this.peek() === '(' ? this.argumentNames() : undefined;
        const from = args ? { source, args } : { source };
        if (this.peek() !== 'if') return { op: 'copy', ...from };
        this.at++;
        return { op: 'copy', ...from, guard: this.expression() };
      }
      case 'clear':
        return { op: 'clear' };
      case 'clear_arch':
        return { op: 'clear_arch' };
      case 'form':
        return { op: 'form', form: this.identifier() };
      default:
        if (!/^[A-Za-z_]/.test(word)) this.fail(`a statement cannot start with "${word}"`);
        this.expect(':=');
        return { op: 'assign', target: word, value: this.expression() };
    }
  }

  /** `(a, b, …)`: the names a call passes. */
  private argumentNames(): string[] {
    this.expect('(');
    const args: string[] = [];
    while (this.peek() !== ')') {
      args.push(this.identifier());
      if (this.peek() === ',') this.at++;
      else if (this.peek() !== ')') this.fail('expected "," or ")"');
    }
    this.at++;
    return args;
  }

  private expression(): Expr {
    const cond = this.binary(0);
    if (this.peek() !== '?') return cond;
    this.at++;
    const then = this.expression();
    this.expect(':');
    return { op: 'ite', cond, then, otherwise: this.expression() };
  }

  private static readonly LEVELS: ReadonlyArray<[string, 'or' | 'xor' | 'and']> = [
    ['|', 'or'],
    ['^', 'xor'],
    ['&', 'and'],
  ];

  private binary(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unary();
    const [symbol, op] = Parser.LEVELS[level]!;
    let left = this.binary(level + 1);
    while (this.peek() === symbol) {
      this.at++;
      left = { op, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): Expr {
    const token = this.next();
    if (token === '!') return { op: 'not', arg: this.unary() };
    if (token === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token === '0' || token === '1') return { op: 'const', value: token === '1' };
    if (!/^[A-Za-z_]/.test(token)) this.fail(`unexpected "${token}"`);
    if (this.peek() === '(') return { op: 'call', name: token, args: this.argumentNames() };
    if (this.peek() === '.') {
      this.at++;
      return { op: 'ref', base: token, name: this.identifier() };
    }
    return { op: 'ref', name: token };
  }

  private identifier(): string {
    const token = this.next();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token)) this.fail(`expected a name, found "${token}"`);
    return token;
  }

  private expect(token: string): void {
    const found = this.next();
    if (found !== token) this.fail(`expected "${token}", found "${found}"`);
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) this.fail('unexpected end');
    return token!;
  }

  private done(): boolean {
    return this.at >= this.tokens.length;
  }

  private fail(message: string): never {
    throw new DslError(`${message} in "${this.source}"`);
  }
}

export function parseStatements(text: string): Statement[] {
  return new Parser(tokenize(text), text).statements();
}

export function parseExpression(text: string): Expr {
  return new Parser(tokenize(text), text).wholeExpression();
}

/** The helpers an expression calls (`same` is built in, not a helper). */
export function expressionCallees(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.op) {
    case 'call':
      if (expr.name !== 'same') into.add(expr.name);
      break;
    case 'not':
      expressionCallees(expr.arg, into);
      break;
    case 'and':
    case 'or':
    case 'xor':
      expressionCallees(expr.left, into);
      expressionCallees(expr.right, into);
      break;
    case 'ite':
      expressionCallees(expr.cond, into);
      expressionCallees(expr.then, into);
      expressionCallees(expr.otherwise, into);
      break;
    default:
      break;
  }
  return into;
}

/** The helpers a statement list calls, in `call` statements and in its expressions. */
export function statementCallees(statements: readonly Statement[], into: Set<string> = new Set()): Set<string> {
  for (const statement of statements) {
    if (statement.op === 'call') into.add(statement.helper);
    if (statement.op === 'copy' && statement.args) into.add(statement.source);
    if (statement.op === 'let' || statement.op === 'assign') expressionCallees(statement.value, into);
    if ((statement.op === 'call' || statement.op === 'copy') && statement.guard) expressionCallees(statement.guard, into);
  }
  return into;
}
