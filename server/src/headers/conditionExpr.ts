// `#if` / `#elif` expressions: integer constant expressions over 64-bit integers, after
// `defined X` is decided and macros are expanded; an identifier left over is 0, as in C.
// Anything that is not an integer constant expression is a ConditionError with its text.

import { tokensText, type Token } from './tokens';

export class ConditionError extends Error {}

/** The value of an integer literal (`0x1UL`, `010`, `0b11`, `'a'`), or undefined. */
export function parseIntegerLiteral(text: string): bigint | undefined {
  const body = text.replace(/[uUlL]+$/, '');
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(body) || /^0[bB][01]+$/.test(body)) return BigInt(body);
    if (/^0[0-7]+$/.test(body)) return BigInt('0o' + body.slice(1));
    if (/^[0-9]+$/.test(body)) return BigInt(body);
  } catch {
    return undefined;
  }
  return undefined;
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

const BINARY: Readonly<Record<string, [precedence: number, apply: (a: bigint, b: bigint) => bigint]>> = {
  '*': [10, (a, b) => a * b],
  '/': [10, (a, b) => { if (b === 0n) throw new ConditionError('division by zero'); return a / b; }],
  '%': [10, (a, b) => { if (b === 0n) throw new ConditionError('division by zero'); return a % b; }],
  '+': [9, (a, b) => a + b],
  '-': [9, (a, b) => a - b],
  '<<': [8, (a, b) => a << b],
  '>>': [8, (a, b) => a >> b],
  '<': [7, (a, b) => (a < b ? 1n : 0n)],
  '<=': [7, (a, b) => (a <= b ? 1n : 0n)],
  '>': [7, (a, b) => (a > b ? 1n : 0n)],
  '>=': [7, (a, b) => (a >= b ? 1n : 0n)],
  '==': [6, (a, b) => (a === b ? 1n : 0n)],
  '!=': [6, (a, b) => (a !== b ? 1n : 0n)],
  '&': [5, (a, b) => a & b],
  '^': [4, (a, b) => a ^ b],
  '|': [3, (a, b) => a | b],
  '&&': [2, (a, b) => (a !== 0n && b !== 0n ? 1n : 0n)],
  '||': [1, (a, b) => (a !== 0n || b !== 0n ? 1n : 0n)],
};

/** Evaluates expanded condition tokens. */
export function evaluateCondition(tokens: readonly Token[]): bigint {
  let i = 0;
  const peek = () => tokens[i];
  const fail = (why: string): never => {
    throw new ConditionError(`${why} in #if ${tokensText(tokens)}`);
  };
  const primary = (): bigint => {
    const t = tokens[i++];
    if (!t) return fail('unexpected end');
    if (t.text === '(') {
      const v = ternary();
      if (tokens[i++]?.text !== ')') fail('missing )');
      return v;
    }
    if (t.text === '!') return primary() === 0n ? 1n : 0n;
    if (t.text === '~') return wrap(~primary());
    if (t.text === '-') return wrap(-primary());
    if (t.text === '+') return primary();
    if (t.kind === 'num') return parseIntegerLiteral(t.text) ?? fail(`"${t.text}" is not an integer`);
    if (t.kind === 'char') return BigInt(t.text.length >= 3 ? t.text.charCodeAt(1) : 0);
    if (t.kind === 'id') {
      // an identifier left after expansion is 0; a call of an unknown function-like name too
      if (peek()?.text === '(') {
        let depth = 0;
        do {
          const u = tokens[i++];
          if (!u) fail('unbalanced parentheses');
          if (u!.text === '(') depth++;
          else if (u!.text === ')') depth--;
        } while (depth > 0);
      }
      return 0n;
    }
    return fail(`unexpected "${t.text}"`);
  };
  const binary = (minPrecedence: number): bigint => {
    let left = primary();
    for (;;) {
      const op = peek()?.text;
      const entry = op === undefined ? undefined : BINARY[op];
      if (!entry || entry[0] < minPrecedence) return left;
      i++;
      if (op === '&&' && left === 0n) { binary(entry[0] + 1); left = 0n; continue; }
      if (op === '||' && left !== 0n) { binary(entry[0] + 1); left = 1n; continue; }
      left = wrap(entry[1](left, binary(entry[0] + 1)));
    }
  };
  const ternary = (): bigint => {
    const condition = binary(1);
    if (peek()?.text !== '?') return condition;
    i++;
    const a = ternary();
    if (tokens[i++]?.text !== ':') fail('missing :');
    const b = ternary();
    return condition !== 0n ? a : b;
  };
  const value = ternary();
  if (i < tokens.length) fail(`unexpected "${tokens[i]!.text}"`);
  return value;
}
