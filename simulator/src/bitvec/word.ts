// Fixed-width words of symbolic bits: bit i of a Word is a BDD node (bit 0 least significant).
// The operations a header helper uses on pteval_t/pgprotval_t: & | ^ ~, shifts by constants,
// + and - (ripple carry), comparisons. All words are 64 bits wide; narrower C types are
// represented by zero high bits (see `truncate`).

import type { Bool, BoolAlgebra } from '../sym';

export const WIDTH = 64;

export type Word = readonly Bool[];

export function constantWord(alg: BoolAlgebra, value: bigint): Word {
  const v = BigInt.asUintN(WIDTH, value);
  return Array.from({ length: WIDTH }, (_, i) => ((v >> BigInt(i)) & 1n ? alg.TRUE : alg.FALSE));
}

/** The value when every bit is constant, else undefined. */
export function concreteValue(alg: BoolAlgebra, word: Word): bigint | undefined {
  let v = 0n;
  for (let i = 0; i < word.length; i++) {
    if (word[i] === alg.TRUE) v |= 1n << BigInt(i);
    else if (word[i] !== alg.FALSE) return undefined;
  }
  return v;
}

export const mapBits = (a: Word, b: Word, f: (x: Bool, y: Bool) => Bool): Word => a.map((x, i) => f(x, b[i]!));

export function notWord(alg: BoolAlgebra, a: Word): Word {
  return a.map((x) => alg.not(x));
}

export function shiftLeft(alg: BoolAlgebra, a: Word, n: number): Word {
  return a.map((_, i) => (i - n >= 0 && i - n < WIDTH ? a[i - n]! : alg.FALSE));
}

export function shiftRight(alg: BoolAlgebra, a: Word, n: number, fill: Bool = alg.FALSE): Word {
  return a.map((_, i) => (i + n < WIDTH ? a[i + n]! : fill));
}

export function addWords(alg: BoolAlgebra, a: Word, b: Word, carryIn: Bool = alg.FALSE): Word {
  let carry = carryIn;
  return a.map((x, i) => {
    const y = b[i]!;
    const sum = alg.xor(alg.xor(x, y), carry);
    carry = alg.or(alg.and(x, y), alg.and(carry, alg.xor(x, y)));
    return sum;
  });
}

export function subtractWords(alg: BoolAlgebra, a: Word, b: Word): Word {
  return addWords(alg, a, notWord(alg, b), alg.TRUE);
}

/** Any bit set. */
export function nonZero(alg: BoolAlgebra, a: Word): Bool {
  return alg.orAll(a);
}

export function equalWords(alg: BoolAlgebra, a: Word, b: Word): Bool {
  return alg.andAll(a.map((x, i) => alg.iff(x, b[i]!)));
}

/** Unsigned a < b. */
export function lessThan(alg: BoolAlgebra, a: Word, b: Word): Bool {
  // from the least significant bit up: a difference at bit i overrides what the bits below said
  let less: Bool = alg.FALSE;
  for (let i = 0; i < WIDTH; i++) {
    less = alg.ite(alg.xor(a[i]!, b[i]!), b[i]!, less);
  }
  return less;
}

/** A 0/1 word from a boolean. */
export function boolWord(alg: BoolAlgebra, b: Bool): Word {
  return Array.from({ length: WIDTH }, (_, i) => (i === 0 ? b : alg.FALSE));
}

export function selectWord(alg: BoolAlgebra, condition: Bool, a: Word, b: Word): Word {
  if (condition === alg.TRUE) return a;
  if (condition === alg.FALSE) return b;
  return a.map((x, i) => alg.ite(condition, x, b[i]!));
}

/** Keeps the low `width` bits (a cast to a narrower integer); sign-extends when `signed`. */
export function truncate(alg: BoolAlgebra, a: Word, width: number, signed = false): Word {
  if (width >= WIDTH) return a;
  const sign = signed ? a[width - 1]! : alg.FALSE;
  return a.map((x, i) => (i < width ? x : sign));
}
