// Built-in helpers against the ones derived from a tree, compared symbolically over every
// present entry (and every protection, for *_modify; every non-present entry for the carry-flag
// helpers pte_swp_*): for a modifier each field of the result (form and the architecture's bits,
// or the carry flags), for a predicate its value. A difference comes with a
// counterexample: an input on which the two disagree.

import { BddLimitError, createAlgebra, type Assignment, type Bool } from '../sym';
import type { CompiledHelper, ArgMap, ArgValue } from '../helpers/compile';
import type { ParamKind } from '../helpers/types';
import type { Simulator } from '../simulator';
import type { EntryValue } from '../model/value';
import { FORMS } from '../model/forms';
import { DerivedHelperError, NON_PRESENT_REASON, convertsSwapEntries, nonPresentForms, readsCarryFlags, readsNonPresent, type DerivedHelper, type DerivedHelpers } from './derived';
import type { Origin } from './program';

export interface FieldDifference {
  /** A field of the result (`D`, `present`), or `result` for a predicate. */
  readonly field: string;
  readonly counterexample: Assignment;
  /** The built-in and the derived value on the counterexample. */
  readonly builtin: boolean;
  readonly derived: boolean;
}

export type HelperComparison =
  | { readonly name: string; readonly status: 'same'; readonly definition: Origin }
  | { readonly name: string; readonly status: 'differs'; readonly definition: Origin; readonly differences: readonly FieldDifference[] }
  | { readonly name: string; readonly status: 'not-derived' | 'not-compared' | 'error'; readonly reason: string; readonly definition?: Origin };

const COMPARED_KINDS: ReadonlySet<ParamKind> = new Set(['entry', 'prot', 'vma']);
/** Arguments of an in-place primitive that say where the slot is (the mm, the address, the slot pointer itself), not what goes in it. */
const IN_PLACE_CONTEXT: ReadonlySet<ParamKind> = new Set(['slot', 'mm', 'opaque', 'bool']);

/** Names of built-in helpers a tree could define: pure modifiers and predicates of entries. */
export function comparableHelpers(sim: Simulator): string[] {
  return sim.set.names().filter((name) => {
    const row = sim.set.row(name);
    return row !== undefined && (row.kind === 'modifier' || row.kind === 'predicate' || row.kind === 'inplace' || convertsSwapEntries(name));
  });
}

export function compareHelper(sim: Simulator, derived: DerivedHelpers, name: string): HelperComparison {
  const builtin = sim.helper(name);
  if (readsNonPresent(name)) return { name, status: 'not-compared', reason: NON_PRESENT_REASON };
  if (builtin.def.kind === 'inplace') return compareInPlace(sim, builtin, derived);
  const found = derived.get(name);
  if (typeof found === 'string') return { name, status: 'not-derived', reason: found };
  const definition = found.definition.at;
  const visible = builtin.params.filter((p) => !p.implicit);
  if (visible.filter((p) => p.kind === 'entry').length > 1) return { name, status: 'not-compared', reason: 'compares two whole entries, which has no compact symbolic form', definition };
  const odd = visible.find((p) => !COMPARED_KINDS.has(p.kind) && !(p.kind === 'swp' && convertsSwapEntries(name)));
  if (odd) return { name, status: 'not-compared', reason: `takes ${odd.name} (${odd.kind}), which is not an entry, a protection or a VMA`, definition };
  if (visible.length !== found.params.length) return { name, status: 'not-compared', reason: `the built-in takes ${visible.length} arguments, the definition ${found.params.length}`, definition };
  const inputs: ArgValue[] = visible.map((p) => input(sim, builtin, p.name, p.kind));
  const builtinArgs: ArgMap = Object.fromEntries(visible.map((p, i) => [p.name, inputs[i]]));
  const derivedArgs: ArgMap = Object.fromEntries(found.params.map((p, i) => [p.name, inputs[i]]));
  try {
    const differences = builtin.def.kind === 'predicate' ? comparePredicate(sim, builtin, found, builtinArgs, derivedArgs) : compareModifier(sim, builtin, found, builtinArgs, derivedArgs);
    return differences.length === 0 ? { name, status: 'same', definition } : { name, status: 'differs', definition, differences };
  } catch (error) {
    if (error instanceof DerivedHelperError) return { name, status: 'error', reason: error.message, definition };
    if (error instanceof BddLimitError) return { name, status: 'error', reason: `too large to compare symbolically (${error.message})`, definition };
    throw error;
  }
}

/**
 * An in-place primitive: its definition run on a present slot (stores through the pointer,
 * xchg, try_cmpxchg …) against the built-in row's effect — the slot afterwards and what it
 * returns, field by field. What the row also says (TLB flushes, how the store is installed) is
 * not compared.
 */
function compareInPlace(sim: Simulator, builtin: CompiledHelper, derived: DerivedHelpers): HelperComparison {
  const name = builtin.name;
  const found = derived.source.lookup(name);
  if (!found) return { name, status: 'not-derived', reason: derived.source.why(name) ?? `${name} is not defined in the headers read` };
  const definition = found.at;
  const visible = builtin.params.filter((p) => !p.implicit);
  if (visible.length !== found.params.length) return { name, status: 'not-compared', reason: `the built-in takes ${visible.length} arguments, the definition ${found.params.length}`, definition };
  const odd = visible.find((p) => !IN_PLACE_CONTEXT.has(p.kind) && !COMPARED_KINDS.has(p.kind));
  if (odd) return { name, status: 'not-compared', reason: `takes ${odd.name} (${odd.kind}), which is not an entry, a protection or a VMA`, definition };
  const slot = sim.presentEntry('slot', builtin.level);
  const args: ArgValue[] = visible.map((p) => (p.kind === 'bool' ? sim.alg.variable(p.name) : IN_PLACE_CONTEXT.has(p.kind) ? undefined : input(sim, builtin, p.name, p.kind)));
  try {
    const b = builtin.applyInPlace(sim.alg, slot, sim.bind(builtin, args));
    const d = derived.runInPlace(sim.alg, name, builtin.level, slot, args, visible);
    const differences = [...compareValues(sim, 'slot.', b.slot, d.slot), ...compareReturned(sim, b.returned, d.returned)];
    return differences.length === 0 ? { name, status: 'same', definition } : { name, status: 'differs', definition, differences };
  } catch (error) {
    if (error instanceof DerivedHelperError) return { name, status: 'error', reason: `an in-place primitive: ${error.message}`, definition };
    if (error instanceof BddLimitError) return { name, status: 'error', reason: `too large to compare symbolically (${error.message})`, definition };
    throw error;
  }
}

function compareReturned(sim: Simulator, b: EntryValue | Bool | undefined, d: EntryValue | Bool | undefined): FieldDifference[] {
  if (b === undefined || d === undefined) return [];
  if (typeof b === 'number' && typeof d === 'number') {
    const found = difference(sim, 'result', b, d);
    return found ? [found] : [];
  }
  if (typeof b === 'object' && typeof d === 'object') return compareValues(sim, 'returned.', b, d);
  return [];
}

function compareValues(sim: Simulator, prefix: string, b: EntryValue, d: EntryValue): FieldDifference[] {
  const layout = sim.set.layout;
  return ['present', 'protnone', 'invalid', 'none', ...layout.archBits].flatMap((field) => {
    const index = layout.indexOf(field)!;
    const found = difference(sim, `${prefix}${field}`, b.bits[index]!, d.bits[index]!);
    return found ? [found] : [];
  });
}

/** Built-in helpers that are no modifier, predicate or in-place primitive (constructors), each with why the tree's definition is not derived. */
export function underivedKinds(sim: Simulator, derived: DerivedHelpers): { readonly name: string; readonly kind: string; readonly reason: string }[] {
  return sim.set.names().flatMap((name) => {
    const kind = sim.set.row(name)?.kind;
    if (!kind || kind === 'modifier' || kind === 'predicate' || kind === 'inplace' || convertsSwapEntries(name)) return [];
    return [{ name, kind, reason: derived.whyNotDerived(name, kind, createAlgebra()) }];
  });
}

export function compareModels(sim: Simulator, derived: DerivedHelpers, names: readonly string[] = comparableHelpers(sim)): HelperComparison[] {
  return names.map((name) => compareHelper(sim, derived, name));
}

/** An input of every value the helper takes: a present entry, or any non-present one (or swap entry value) for a carry-flag helper or a conversion. */
function input(sim: Simulator, helper: CompiledHelper, name: string, kind: ParamKind): ArgValue {
  if (kind === 'vma') return sim.facts('vma');
  if (kind === 'prot') return sim.entry(name, helper.level, { kind: 'prot', forms: ['present', 'protnone'] });
  if (readsCarryFlags(helper.name) || convertsSwapEntries(helper.name)) return sim.entry(name, helper.level, { ...(kind === 'swp' ? { kind: 'swp' as const } : {}), forms: nonPresentForms(helper.level, sim.profile) });
  return sim.presentEntry(name, helper.level);
}

function difference(sim: Simulator, field: string, b: Bool, d: Bool): FieldDifference | undefined {
  if (b === d) return undefined;
  const counterexample = sim.alg.witness(sim.alg.xor(b, d))!;
  return { field, counterexample, builtin: sim.alg.evaluate(b, counterexample), derived: sim.alg.evaluate(d, counterexample) };
}

function comparePredicate(sim: Simulator, builtin: CompiledHelper, derived: DerivedHelper, builtinArgs: ArgMap, derivedArgs: ArgMap): FieldDifference[] {
  const found = difference(sim, 'result', builtin.test(sim.alg, builtinArgs), derived.test(sim.alg, derivedArgs));
  return found ? [found] : [];
}

function compareModifier(sim: Simulator, builtin: CompiledHelper, derived: DerivedHelper, builtinArgs: ArgMap, derivedArgs: ArgMap): FieldDifference[] {
  const b: EntryValue = builtin.apply(sim.alg, builtinArgs);
  const d: EntryValue = derived.apply(sim.alg, derivedArgs);
  const layout = sim.set.layout;
  const fields = readsCarryFlags(builtin.name) || convertsSwapEntries(builtin.name) ? [...FORMS, ...layout.softleafBits] : ['present', 'protnone', 'invalid', ...layout.archBits];
  return fields.flatMap((field) => {
    const index = layout.indexOf(field)!;
    const found = difference(sim, field, b.bits[index]!, d.bits[index]!);
    return found ? [found] : [];
  });
}
