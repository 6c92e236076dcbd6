// Sets of flag constants (`MM_CP_UFFD_WP | MM_CP_TRY_CHANGE_WRITABLE`). A set chosen by a
// condition (`enable_wp ? MM_CP_UFFD_WP : MM_CP_UFFD_WP_RESOLVE`) is still exact: each flag is
// in it under a condition, so what a callee reads of the flags is what either side guarantees.

import type { Bool, BoolAlgebra } from '../sym';
import type { FactSource } from '../model/context';
import type { Value } from './values';

export type FlagSet = Extract<Value, { kind: 'flag-set' }>;

export const EMPTY_FLAGS: FlagSet = { kind: 'flag-set', names: [] };

/** The condition under which `name` is in the set. */
export function flagIn(alg: BoolAlgebra, set: FlagSet, name: string): Bool {
  if (!set.names.includes(name)) return alg.FALSE;
  return set.when?.[name] ?? alg.TRUE;
}

/** The set's flags as facts (what a callee's `flags & X` reads). */
export function flagSetFacts(alg: BoolAlgebra, set: FlagSet): FactSource {
  return { fact: (name) => flagIn(alg, set, name) };
}

/** The set is not empty. */
export function anyFlag(alg: BoolAlgebra, set: FlagSet): Bool {
  return alg.orAll(set.names.map((name) => flagIn(alg, set, name)));
}

/** `a & b` of two sets, as a condition: some flag is in both. */
export function sharesFlag(alg: BoolAlgebra, a: FlagSet, b: FlagSet): Bool {
  return alg.orAll(a.names.filter((name) => b.names.includes(name)).map((name) => alg.and(flagIn(alg, a, name), flagIn(alg, b, name))));
}

/** `a | b`. */
export function unionFlags(alg: BoolAlgebra, a: FlagSet, b: FlagSet): FlagSet {
  const names = [...new Set([...a.names, ...b.names])];
  return conditional(alg, names, (name) => alg.or(flagIn(alg, a, name), flagIn(alg, b, name)));
}

/** `condition ? a : b`. */
export function chooseFlags(alg: BoolAlgebra, condition: Bool, a: FlagSet, b: FlagSet): FlagSet {
  const names = [...new Set([...a.names, ...b.names])];
  return conditional(alg, names, (name) => alg.ite(condition, flagIn(alg, a, name), flagIn(alg, b, name)));
}

/** The value as a set of flags, when it is one: a zero is the empty set (`flags = 0; … flags |= X;`). */
export function asFlagSet(alg: BoolAlgebra, value: Value): FlagSet | undefined {
  if (value.kind === 'flag-set') return value;
  return value.kind === 'bool' && value.value === alg.FALSE ? EMPTY_FLAGS : undefined;
}

export function flagSetSignature(set: FlagSet): string {
  return set.names.map((name) => (set.when?.[name] !== undefined ? `${name}?${set.when[name]}` : name)).join(',');
}

function conditional(alg: BoolAlgebra, names: readonly string[], condition: (name: string) => Bool): FlagSet {
  const when: Record<string, Bool> = {};
  const kept: string[] = [];
  for (const name of names) {
    const c = condition(name);
    if (c === alg.FALSE) continue;
    kept.push(name);
    if (c !== alg.TRUE) when[name] = c;
  }
  return Object.keys(when).length > 0 ? { kind: 'flag-set', names: kept, when } : { kind: 'flag-set', names: kept };
}
