// Integers compared with constants (`nr_pages == 1`, `nr_pages > 1`, `i < 0`). An integer the
// engine does not know is described by the unknowns "t < k", one per constant k the code
// compares it with; what integers are ties them together (t < 1 implies t < 2), so that
// `nr_pages == 1` and `nr_pages > 1` cannot both hold and cannot both fail for a count.
// A literal is known exactly; some kernel functions return a count of at least one.

import type { Bool, BoolAlgebra } from '../sym';
import type { Value } from './values';

/** What the engine knows of an integer value besides its truth: exactly, or a lower bound. */
export interface IntegerFacts {
  readonly exact?: number;
  readonly min?: number;
}

/** Kernel functions returning a number of pages or entries: never less than this. */
export const COUNTS: Readonly<Record<string, number>> = {
  folio_nr_pages: 1, // 1 << folio_order(folio)
  compound_nr: 1,
  thp_nr_pages: 1,
  folio_large_nr_pages: 1,
  pages_per_huge_page: 1,
};

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

export const COMPARISONS: ReadonlySet<string> = new Set<Comparison>(['<', '<=', '>', '>=', '==', '!=']);

/** `t op k` for integers, with `below(c)` the unknown "t < c". */
export function compareWith(alg: BoolAlgebra, op: Comparison, k: number, below: (c: number) => Bool): Bool {
  switch (op) {
    case '<':
      return below(k);
    case '<=':
      return below(k + 1);
    case '>':
      return alg.not(below(k + 1));
    case '>=':
      return alg.not(below(k));
    case '==':
      return alg.and(below(k + 1), alg.not(below(k)));
    case '!=':
      return alg.not(compareWith(alg, '==', k, below));
  }
}

/** `a op b` for two known integers. */
export function compareExact(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** `k op t` is `t op' k`. */
export function mirrored(op: Comparison): Comparison {
  return ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const)[op];
}

/**
 * What holds between a new unknown "t < k" and those already made for the same t: t < a
 * implies t < b when a ≤ b. With `facts.min`, "t < k" is false for every k ≤ min.
 */
export function orderInvariant(alg: BoolAlgebra, k: number, atom: Bool, siblings: ReadonlyArray<readonly [number, Bool]>, facts: IntegerFacts | undefined): Bool {
  const parts: Bool[] = [];
  if (facts?.min !== undefined && k <= facts.min) parts.push(alg.not(atom));
  for (const [c, other] of siblings) {
    if (c < k) parts.push(alg.implies(other, atom));
    else if (c > k) parts.push(alg.implies(atom, other));
  }
  return alg.andAll(parts);
}

/** What is known of `a + b` or `a - b`. */
export function integerSum(op: '+' | '-', a: Value, b: Value): IntegerFacts | undefined {
  const [x, y] = [a.kind === 'bool' ? a.integer : undefined, b.kind === 'bool' ? b.integer : undefined];
  if (!x || !y) return undefined;
  if (x.exact !== undefined && y.exact !== undefined) return { exact: op === '+' ? x.exact + y.exact : x.exact - y.exact };
  const low = x.exact ?? x.min;
  if (low === undefined) return undefined;
  if (op === '+') return (y.exact ?? y.min) !== undefined ? { min: low + (y.exact ?? y.min)! } : undefined;
  return y.exact !== undefined ? { min: low - y.exact } : undefined;
}

/** What both of two integers are known to be: the same exact number, or the lower of two bounds. */
export function joinFacts(a: IntegerFacts | undefined, b: IntegerFacts | undefined): IntegerFacts | undefined {
  if (!a || !b) return undefined;
  if (a.exact !== undefined && a.exact === b.exact) return a;
  const [lowA, lowB] = [a.exact ?? a.min, b.exact ?? b.min];
  return lowA !== undefined && lowB !== undefined ? { min: Math.min(lowA, lowB) } : undefined;
}

/**
 * The locals of two paths that meet (alike but for what they know of numbers): each integer
 * keeps what holds on both.
 */
export function joinIntegers(locals: Map<string, Value>, others: ReadonlyMap<string, Value>): Map<string, Value> {
  let joined = locals;
  for (const [name, value] of locals) {
    if (value.kind !== 'bool' || !value.integer) continue;
    const other = others.get(name);
    const facts = joinFacts(value.integer, other?.kind === 'bool' ? other.integer : undefined);
    if (facts === value.integer) continue;
    if (joined === locals) joined = new Map(locals);
    const { integer: _dropped, ...rest } = value;
    joined.set(name, facts ? { ...rest, integer: facts } : rest);
  }
  return joined;
}
