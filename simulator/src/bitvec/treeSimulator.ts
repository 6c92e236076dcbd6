// The model of a kernel tree for the engine: each built-in helper whose definition the tree's
// headers give, and the evaluator can run, is that definition (on the entries whose form a word
// encodes: present, PROT_NONE, invalidated); every other helper, and every other form (none,
// swap, migration, markers …), is the built-in row. An in-place primitive's definition gives
// what the slot holds afterwards and what it returns; how the store is installed and what it
// flushes stay the row's. Which helpers are derived, and why the
// others are not, is decided once per model (`TreeModelHelpers.decide`) and shared by every
// function's simulator.

import type { ArgMap, CompiledHelper, InPlaceResult } from '../helpers/compile';
import type { HelperKind } from '../helpers/types';
import { symbolicFacts } from '../model/context';
import type { Level } from '../model/forms';
import type { Layout } from '../model/layout';
import type { Profile } from '../model/profile';
import { freshValue, selectValue, type EntryValue } from '../model/value';
import { Simulator, type SimulatorModel } from '../simulator';
import { BddLimitError, type Bool, type BoolAlgebra } from '../sym';
import { DerivedHelperError, DerivedHelpers, encodedForms, levelOfType, nonPresentForms, readsCarryFlags, type DerivedHelper, type DerivedSource } from './derived';
import type { Origin } from './program';

/** How one built-in helper is modelled on a tree. */
export type HelperSource = { readonly derived: true; readonly definition: Origin } | { readonly derived: false; readonly reason: string };

const DERIVABLE_PARAMS: ReadonlySet<string> = new Set(['entry', 'prot', 'vma', 'bool']);
/** What an in-place primitive's definition can be handed: the slot, values, a VMA, and context it only passes on (the mm, addresses, counts). */
const IN_PLACE_PARAMS: ReadonlySet<string> = new Set([...DERIVABLE_PARAMS, 'slot', 'mm', 'opaque']);
/**
 * Unknowns of bits the model does not name (`pte.bit12`): a result that reads one is not the
 * model's to hold. The other entries of a batch (`set_ptes.ptep[1].bit6`) are other entries,
 * whose bits the result may read.
 */
const UNNAMED_BIT = /^([^[]*)\.bit(\d+)$/;

export class TreeModelHelpers implements SimulatorModel {
  private readonly decisions = new Map<string, HelperSource>();
  private readonly scratch: Simulator;
  private trials: DerivedHelpers | undefined;
  private engineHelpers: DerivedHelpers | undefined;

  /** `id` names the tree, the profile and the headers' content. */
  constructor(readonly source: DerivedSource, readonly id: string) {
    this.scratch = new Simulator(source.profile);
  }

  get profile(): Profile {
    return this.source.profile;
  }

  simulator(profile: Profile, alg: BoolAlgebra): Simulator | undefined {
    return profile.name === this.source.profile.name ? new TreeSimulator(this, alg) : undefined;
  }

  /**
   * The derived helpers every function's simulator runs: one per model (tree, profile, headers),
   * since a helper's definition and its compiled form do not depend on the solver. The helpers
   * chosen read no unnamed bit: those are 0, not unknowns of the caller's solver.
   */
  get engine(): DerivedHelpers {
    const set = this.scratch.set;
    this.engineHelpers ??= new DerivedHelpers(this.source, set.layout, (name) => set.row(name)?.kind, 'zero');
    return this.engineHelpers;
  }

  /** Every built-in modifier, predicate and in-place primitive of the profile, with how it is modelled on this tree. */
  helpers(): ReadonlyMap<string, HelperSource> {
    for (const name of this.scratch.set.names()) {
      const kind = this.scratch.set.row(name)?.kind;
      if (kind === 'modifier' || kind === 'predicate' || kind === 'inplace') this.decide(name);
    }
    return new Map([...this.decisions].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Whether the engine uses the tree's definition of `name`, else why not (decided once, in a solver of its own). */
  decide(name: string): HelperSource {
    let decision = this.decisions.get(name);
    if (!decision) {
      decision = this.judge(name);
      this.decisions.set(name, decision);
    }
    return decision;
  }

  private judge(name: string): HelperSource {
    const set = this.scratch.set;
    const builtin = set.get(name);
    const kind = set.row(name)?.kind;
    // one solver for every trial: the entries' unknowns are shared, the helpers' definitions read once
    const alg = this.scratch.alg;
    this.trials ??= new DerivedHelpers(this.source, set.layout, (n) => set.row(n)?.kind);
    const helpers = this.trials;
    if (!builtin || !kind) return this.judgeUntabled(name, helpers, alg);
    if (kind === 'inplace') return this.inPlaceTrial(builtin, helpers, alg);
    if (kind !== 'modifier' && kind !== 'predicate') return { derived: false, reason: helpers.whyNotDerived(name, kind, alg) };
    const derived = helpers.get(name);
    if (typeof derived === 'string') return { derived: false, reason: derived };
    const visible = builtin.params.filter((p) => !p.implicit);
    if (visible.length !== derived.params.length) return { derived: false, reason: `the built-in takes ${visible.length} arguments, the definition (${where(derived)}) ${derived.params.length}` };
    if (visible.filter((p) => p.kind === 'entry').length > 1) return { derived: false, reason: 'compares two whole entries, which the model holds only as fields' };
    return this.trial(derived, kind, helpers, alg);
  }

  /**
   * The trial of an in-place primitive: its definition runs on a slot holding an unknown entry of
   * every form a word carries (entries and protections passed likewise, a VMA's facts), and the
   * slot afterwards and what it returns read no bit the model does not name. Else the row, with
   * what the definition does that the evaluator refuses.
   */
  private inPlaceTrial(builtin: CompiledHelper, helpers: DerivedHelpers, alg: BoolAlgebra): HelperSource {
    const definition = this.source.lookup(builtin.name);
    if (!definition) return { derived: false, reason: this.source.why(builtin.name) ?? `${builtin.name} is not defined in the headers read` };
    const visible = builtin.params.filter((p) => !p.implicit);
    const at = `${definition.at.file}:${definition.at.line}`;
    // a batch form the tables alias to a one-entry row (modify_prot_start_ptes → ptep_modify_prot_start) takes a count the row does not
    if (visible.length !== definition.params.length) return { derived: false, reason: `an in-place primitive; the built-in takes ${visible.length} arguments, the definition (${at}) ${definition.params.length}` };
    const odd = visible.find((p) => !IN_PLACE_PARAMS.has(p.kind));
    if (odd) return { derived: false, reason: `an in-place primitive that takes ${odd.name} (${odd.kind}), which the engine does not hand a definition` };
    const layout = this.scratch.set.layout;
    const forms = encodedForms(this.source.profile.arch, builtin.level);
    // each entry's unknowns under a name of its own (no dot: the unnamed bits of a word are named after it, `set_ptes_slot.bit12`)
    const owner = (what: string) => `${builtin.name}_${what}`;
    try {
      const slot = freshValue(alg, layout, owner('slot'), builtin.level, { forms });
      const args = visible.map((p) => p.kind === 'entry' ? freshValue(alg, layout, owner(p.name), builtin.level, { forms })
        : p.kind === 'prot' ? freshValue(alg, layout, owner(p.name), builtin.level, { kind: 'prot', forms: ['present', 'protnone'] })
        : p.kind === 'vma' ? symbolicFacts(alg, 'vma', this.source.profile)
        : p.kind === 'bool' ? alg.variable(owner(p.name))
        : undefined);
      const run = helpers.runInPlace(alg, builtin.name, builtin.level, slot, args, visible);
      const read = [...run.slot.bits, ...(run.returned === undefined ? [] : typeof run.returned === 'number' ? [run.returned] : run.returned.bits)];
      const entries = new Set([owner('slot'), ...visible.filter((p) => p.kind === 'entry' || p.kind === 'prot').map((p) => owner(p.name))]);
      const unnamed = [...new Set(alg.support(read).map((v) => UNNAMED_BIT.exec(v)).filter((m) => m !== null && entries.has(m[1]!)).map((m) => Number(m![2])))].sort((a, b) => a - b);
      if (unnamed.length > 0) return { derived: false, reason: `an in-place primitive whose slot or result reads ${bitRuns(unnamed)} of an entry, which the model does not name (${at})` };
    } catch (error) {
      if (error instanceof DerivedHelperError) return { derived: false, reason: `an in-place primitive; its definition cannot be evaluated: ${error.message}` };
      if (error instanceof BddLimitError) return { derived: false, reason: `too large to evaluate (${error.message})` };
      throw error;
    }
    return { derived: true, definition: definition.at };
  }

  /**
   * A helper the tables do not have (`pte_sw_mkyoung`, a generic fallback the tree adds): its
   * definition is the model when it is a modifier or predicate of one entry the engine can hand
   * it; elsewhere the call stays unknown.
   */
  private judgeUntabled(name: string, helpers: DerivedHelpers, alg: BoolAlgebra): HelperSource {
    const definition = this.source.lookup(name);
    if (!definition) return { derived: false, reason: `${name} is no helper of the tables, and the tree does not define it` };
    if (definition.form === 'macro') return { derived: false, reason: `${name} is no helper of the tables; its definition (${definition.at.file}:${definition.at.line}) is a macro, whose arguments have no types to tell an entry by` };
    const entries = definition.params.filter((p) => levelOfType(p.type) !== undefined);
    if (entries.length !== 1) return { derived: false, reason: `${name} is no helper of the tables, and takes ${entries.length} entries (${definition.at.file}:${definition.at.line}): only helpers of one entry are derived` };
    const returns = definition.returnType;
    const isPredicate = returns.kind === 'int' && returns.width <= 32;
    if (!isPredicate && levelOfType(returns) === undefined) return { derived: false, reason: `${name} is no helper of the tables, and returns neither an entry nor a truth value (${definition.at.file}:${definition.at.line})` };
    const derived = helpers.get(name);
    if (typeof derived === 'string') return { derived: false, reason: derived };
    return this.trial(derived, derived.def.kind, helpers, alg);
  }

  /** The trial run: the definition on unknown entries of every form a word carries reads only the bits the model names. */
  private trial(derived: DerivedHelper, kind: HelperKind, helpers: DerivedHelpers, alg: BoolAlgebra): HelperSource {
    const odd = derived.params.find((p) => !DERIVABLE_PARAMS.has(p.kind));
    if (odd) return { derived: false, reason: `takes ${odd.name} (${odd.kind}), which the engine does not hand a definition` };
    try {
      const args = trialArgs(alg, this.scratch.set.layout, derived, this.source.profile);
      const carried = alg.andAll(derived.params.filter((p) => p.kind === 'entry' || p.kind === 'prot').map((p) => helpers.carries(alg, args[p.name] as EntryValue, derived.level, derived.name)));
      const result = (kind === 'predicate' ? [derived.test(alg, args)] : [...derived.apply(alg, args).bits]).map((bit) => alg.and(carried, bit));
      const unnamed = [...new Set(alg.support(result).map((v) => UNNAMED_BIT.exec(v)?.[2]).filter((bit) => bit !== undefined).map(Number))].sort((a, b) => a - b);
      if (unnamed.length > 0) return { derived: false, reason: `its result reads ${bitRuns(unnamed)} of the entry, which the model does not name (${where(derived)})` };
    } catch (error) {
      if (error instanceof BddLimitError) return { derived: false, reason: `too large to evaluate (${error.message})` };
      return { derived: false, reason: (error as Error).message };
    }
    return { derived: true, definition: derived.definition.at };
  }
}

/** `bit 1`, `bits 12–57, 59` */
function bitRuns(bits: readonly number[]): string {
  return `bit${bits.length > 1 ? 's' : ''} ${numberRuns(bits).join(', ')}`;
}

/** The runs of consecutive numbers in `values` (sorted here): `['1', '12–57', '59']`. */
export function numberRuns(values: readonly number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return runs;
}

const where = (helper: DerivedHelper) => `${helper.definition.at.file}:${helper.definition.at.line}`;

/** Unknown arguments for a trial run: each entry in every form a word encodes, each protection present or PROT_NONE, the VMA's flags and any bool free. */
function trialArgs(alg: BoolAlgebra, layout: Layout, helper: DerivedHelper, profile: Profile): ArgMap {
  const args: Record<string, ArgMap[string]> = {};
  for (const p of helper.params) {
    args[p.name] = p.kind === 'entry' ? freshValue(alg, layout, p.name, helper.level, { forms: readsCarryFlags(helper.name) ? nonPresentForms(helper.level, profile) : encodedForms(profile.arch, helper.level) })
      : p.kind === 'prot' ? freshValue(alg, layout, p.name, helper.level, { kind: 'prot', forms: ['present', 'protnone'] })
      : p.kind === 'vma' ? symbolicFacts(alg, 'vma', profile)
      : alg.variable(p.name);
  }
  return args;
}

/** The engine's simulator on a tree: the derived helpers the model decided on, the built-in rows for the rest. */
export class TreeSimulator extends Simulator {
  private readonly derived: DerivedHelpers;
  private readonly hybrids = new Map<string, CompiledHelper>();

  constructor(readonly model: TreeModelHelpers, alg: BoolAlgebra) {
    super(model.profile, alg);
    this.derived = model.engine;
  }

  override has(name: string): boolean {
    return super.has(name) || this.model.decide(name).derived;
  }

  override helper(name: string): CompiledHelper {
    const tabled = super.has(name);
    if (!this.model.decide(name).derived) return super.helper(name);
    let hybrid = this.hybrids.get(name);
    if (!hybrid) {
      const builtin = tabled ? super.helper(name) : undefined;
      if (builtin?.def.kind === 'inplace') hybrid = this.inPlaceHybrid(builtin);
      else {
        const derived = this.derived.get(name) as DerivedHelper;
        hybrid = this.hybrid(builtin ?? unknownElsewhere(derived, this.set.layout), derived);
      }
      this.hybrids.set(name, hybrid);
    }
    return hybrid;
  }

  /**
   * An in-place primitive: the row's install kind, events (flushes) and previous value, with the
   * slot afterwards and the returned value from the definition where the slot and every entry
   * argument are in a form a word carries, and from the row elsewhere.
   */
  private inPlaceHybrid(builtin: CompiledHelper): CompiledHelper {
    const visible = builtin.params.filter((p) => !p.implicit);
    const entries = visible.filter((p) => p.kind === 'entry' || p.kind === 'prot').map((p) => p.name);
    const memo = new Map<string, InPlaceResult>();
    const definition = this.model.source.lookup(builtin.name)!;
    return {
      ...builtin,
      effectText: `${builtin.effectText} (on this tree: the definition at ${definition.at.file}:${definition.at.line})`,
      applyInPlace: (alg, slot, args) => {
        const k = `${describe(slot)}|${visible.map((p) => describe(args[p.name])).join('|')}`;
        let out = memo.get(k);
        if (!out) {
          const row = builtin.applyInPlace(alg, slot, args);
          const where = alg.andAll([this.encoded(alg, slot, builtin.level, builtin.name), ...entries.map((name) => this.encoded(alg, args[name] as EntryValue | undefined, builtin.level, builtin.name))]);
          const tree = where === alg.FALSE ? undefined : attempt(() => this.derived.runInPlace(alg, builtin.name, builtin.level, slot, visible.map((p) => args[p.name]), visible));
          out = tree ? { ...row, slot: selectValue(alg, where, retyped(tree.slot, slot), row.slot), returned: joinReturned(alg, where, tree.returned, row.returned) } : row;
          memo.set(k, out);
        }
        return out;
      },
    };
  }

  /**
   * The built-in helper's interface (parameters, laws it keeps) running the definition where
   * every entry argument is in a form its word carries, and the built-in row elsewhere.
   */
  private hybrid(builtin: CompiledHelper, derived: DerivedHelper): CompiledHelper {
    const visible = builtin.params.filter((p) => !p.implicit);
    const entries = visible.filter((p) => p.kind === 'entry' || p.kind === 'prot').map((p) => p.name);
    const renamed = (args: ArgMap): ArgMap => Object.fromEntries(derived.params.map((p, i) => [p.name, args[visible[i]!.name]]));
    const memo = new Map<string, EntryValue | Bool>();
    const key = (args: ArgMap) => visible.map((p) => describe(args[p.name])).join('|');
    const encoded = (alg: BoolAlgebra, args: ArgMap): Bool => alg.andAll(entries.map((name) => this.encoded(alg, args[name] as EntryValue | undefined, builtin.level, derived.name)));
    return {
      ...builtin,
      effectText: `${builtin.effectText} (on this tree: ${derived.effectText})`,
      apply: (alg, args) => {
        const k = key(args);
        let out = memo.get(k) as EntryValue | undefined;
        if (!out) {
          const where = encoded(alg, args);
          const fromTree = where === alg.FALSE ? undefined : attempt(() => derived.apply(alg, renamed(args)));
          const fromRow = where === alg.TRUE && fromTree ? undefined : builtin.apply(alg, args);
          const like = entries.length > 0 ? (args[entries[0]!] as EntryValue) : undefined;
          const tree = fromTree && like ? retyped(fromTree, like) : fromTree;
          out = tree ? (fromRow ? selectValue(alg, where, tree, fromRow) : tree) : fromRow!;
          memo.set(k, out);
        }
        return out;
      },
      test: (alg, args) => {
        const k = key(args);
        let out = memo.get(k) as Bool | undefined;
        if (out === undefined) {
          const where = encoded(alg, args);
          const fromTree = where === alg.FALSE ? alg.FALSE : attempt(() => derived.test(alg, renamed(args)));
          out = fromTree === undefined ? builtin.test(alg, args) : alg.ite(where, fromTree, where === alg.TRUE ? alg.FALSE : builtin.test(alg, args));
          memo.set(k, out);
        }
        return out;
      },
    };
  }

  private encoded(alg: BoolAlgebra, value: EntryValue | undefined, level: Level, name: string): Bool {
    return value && 'bits' in value ? this.derived.carries(alg, value, level, name) : alg.FALSE;
  }
}

/**
 * The stand-in for the built-in row of a helper the tables do not have: on an entry whose form
 * no word carries (swap, none …) its result is unknown — a fresh value, or a fresh truth value.
 */
function unknownElsewhere(derived: DerivedHelper, layout: Layout): CompiledHelper {
  let calls = 0;
  return {
    ...derived,
    apply: (alg) => freshValue(alg, layout, `${derived.name}#${++calls}`, derived.level),
    test: (alg) => alg.variable(`${derived.name}#${++calls}`),
  };
}

/** The definition's result, or none when this call's arguments are not what it takes (an argument the engine knows nothing of): then the row answers. */
function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof DerivedHelperError) return undefined;
    throw error;
  }
}

/** What an in-place primitive returns: the definition's where it answered, the row's elsewhere (a value of another shape stays the row's). */
function joinReturned(alg: BoolAlgebra, where: Bool, tree: EntryValue | Bool | undefined, row: EntryValue | Bool | undefined): EntryValue | Bool | undefined {
  if (tree === undefined || row === undefined) return row;
  if (typeof tree === 'number' && typeof row === 'number') return alg.ite(where, tree, row);
  if (typeof tree === 'object' && typeof row === 'object') return selectValue(alg, where, retyped(tree, row), row);
  return row;
}

/** A result of the definition of the kind of the value it modified (a protection stays one). */
function retyped(value: EntryValue, like: EntryValue): EntryValue {
  return like.kind === value.kind ? value : { ...value, kind: like.kind };
}

/** A memo key for an argument: a value's bits are BDD nodes, equal exactly when the values are. */
function describe(arg: ArgMap[string]): string {
  if (arg === undefined) return '-';
  if (typeof arg === 'number') return `b${arg}`;
  if ('bits' in arg) return `${arg.kind}:${arg.bits.join(',')}`;
  return `f${factsId(arg)}`;
}

const factIds = new WeakMap<object, number>();
let nextFactId = 0;
function factsId(facts: object): number {
  let id = factIds.get(facts);
  if (id === undefined) {
    id = ++nextFactId;
    factIds.set(facts, id);
  }
  return id;
}
