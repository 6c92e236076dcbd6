// Integers compared with constants (`nr_pages == 1`, `nr_pages > 1`, `i < 0`). An integer the
// engine does not know is described by the unknowns "t < k", one per constant k the code
// compares it with; what integers are ties them together (t < 1 implies t < 2), so that
// `nr_pages == 1` and `nr_pages > 1` cannot both hold and cannot both fail for a count.
// A literal is known exactly; some kernel functions return a count of at least one. An integer
// may also be known relative to another (an address stepped on from where a loop started), so
// `addr > start` after a step is decided.

import type { Bool, BoolAlgebra } from '../sym';
import type { Value } from './values';

/** What the engine knows of an integer value besides its truth: exactly, or a lower bound. */
export interface IntegerFacts {
  readonly exact?: number;
  readonly min?: number;
  /** The value is that of another integer plus this much: `base` names a local as one assignment left it (`addr@2`). */
  readonly from?: Offset;
}

/** `base` plus a number known exactly or from below. Addresses do not wrap: the kernel steps them within a VMA. */
export interface Offset {
  readonly base: string;
  readonly exact?: number;
  readonly min?: number;
}

/** Sizes the kernel steps addresses by (include/linux/mm.h, asm/page.h, asm/pgtable_types.h): each at least one. */
export const POSITIVE_SIZES: ReadonlySet<string> = new Set(['PAGE_SIZE', 'PMD_SIZE', 'PUD_SIZE', 'HPAGE_PMD_SIZE', 'HPAGE_PUD_SIZE', 'HPAGE_SIZE']);

/** Kernel functions returning a number of pages or entries: never less than this. */
export const COUNTS: Readonly<Record<string, number>> = {
  folio_nr_pages: 1, // 1 << folio_order(folio)
  compound_nr: 1,
  thp_nr_pages: 1,
  folio_large_nr_pages: 1,
  pages_per_huge_page: 1,
  // the entries of a batch from the one given (mm/util.c, mm/internal.h: at most max_nr, which is at least one)
  folio_pte_batch: 1,
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

/** `a op step` where `a` is known relative to a base: the same base, moved by the step. */
export function shifted(op: '+' | '-', a: IntegerFacts | undefined, step: IntegerFacts | undefined): Offset | undefined {
  const from = a?.from;
  if (!from || !step) return undefined;
  if (op === '-') return step.exact !== undefined ? { base: from.base, ...numberFacts(from, -step.exact) } : undefined;
  const [low, stepLow] = [from.exact ?? from.min, step.exact ?? step.min];
  if (from.exact !== undefined && step.exact !== undefined) return { base: from.base, exact: from.exact + step.exact };
  return low !== undefined && stepLow !== undefined ? { base: from.base, min: low + stepLow } : undefined;
}

function numberFacts(facts: { readonly exact?: number; readonly min?: number }, plus: number): { exact?: number; min?: number } {
  if (facts.exact !== undefined) return { exact: facts.exact + plus };
  return facts.min !== undefined ? { min: facts.min + plus } : {};
}

/** `a op b` for two integers known relative to the same base, where their offsets decide it. */
export function compareOffsets(op: Comparison, a: Offset | undefined, b: Offset | undefined): boolean | undefined {
  if (!a || !b || a.base !== b.base) return undefined;
  // a - b lies in [low, high] (either end may be unknown)
  const low = (a.exact ?? a.min) !== undefined && b.exact !== undefined ? (a.exact ?? a.min)! - b.exact : undefined;
  const high = a.exact !== undefined && (b.exact ?? b.min) !== undefined ? a.exact - (b.exact ?? b.min)! : undefined;
  const decided = (whenTrue: boolean, whenFalse: boolean) => (whenTrue ? true : whenFalse ? false : undefined);
  const above = (k: number) => low !== undefined && low > k; // surely a - b > k
  const atMost = (k: number) => high !== undefined && high <= k; // surely a - b <= k
  switch (op) {
    case '>':
      return decided(above(0), atMost(0));
    case '>=':
      return decided(above(-1), atMost(-1));
    case '<':
      return decided(atMost(-1), above(-1));
    case '<=':
      return decided(atMost(0), above(0));
    case '==':
      return decided(low === 0 && high === 0, above(0) || atMost(-1));
    case '!=':
      return decided(above(0) || atMost(-1), low === 0 && high === 0);
  }
}

/** What both of two integers are known to be: the same exact number, or the lower of two bounds (and so of their offsets from one base). */
export function joinFacts(a: IntegerFacts | undefined, b: IntegerFacts | undefined): IntegerFacts | undefined {
  if (!a || !b) return undefined;
  if (a.exact !== undefined && a.exact === b.exact && sameOffset(a.from, b.from)) return a;
  const from = a.from && b.from && a.from.base === b.from.base ? joinFacts(a.from, b.from) : undefined;
  const offset = from && (from.exact ?? from.min) !== undefined ? { from: { base: a.from!.base, ...from } as Offset } : {};
  if (a.exact !== undefined && a.exact === b.exact) return { exact: a.exact, ...offset };
  const [lowA, lowB] = [a.exact ?? a.min, b.exact ?? b.min];
  if (lowA !== undefined && lowB !== undefined) return { min: Math.min(lowA, lowB), ...offset };
  return offset.from ? offset : undefined;
}

function sameOffset(a: Offset | undefined, b: Offset | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.base === b.base && a.exact === b.exact && a.min === b.min);
}

/**
 * The locals of two paths that meet (alike but for what they know of numbers): each integer
 * keeps what holds on both.
 */
export function joinIntegers(locals: Map<string, Value>, others: ReadonlyMap<string, Value>): Map<string, Value> {
  let joined = locals;
  for (const [name, value] of locals) {
    if ((value.kind !== 'bool' && value.kind !== 'unknown') || !value.integer) continue;
    const other = others.get(name);
    const facts = joinFacts(value.integer, other?.kind === value.kind ? other.integer : undefined);
    if (facts === value.integer) continue;
    if (joined === locals) joined = new Map(locals);
    const { integer: _dropped, ...rest } = value;
    joined.set(name, facts ? { ...rest, integer: facts } : rest);
  }
  return joined;
}
