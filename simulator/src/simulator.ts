// The convenient front door: one profile, one solver, helpers called by name
// with positional arguments, entries and context made fresh or constant.

import { createAlgebra, type Bool, type BoolAlgebra, type VariablePlacement } from './sym';
import { constantFacts, contextInvariants, symbolicFacts, type FactSource } from './model/context';
import { LEGAL_FORMS, formExists, type Form, type Level } from './model/forms';
import { parseProfile, type Profile } from './model/profile';
import { freshValues, valueOfForm, type EntryValue, type ValueKind } from './model/value';
import type { ArgMap, ArgValue, CompiledHelper, InPlaceResult } from './helpers/compile';
import { helperSetFor, type HelperSet } from './helpers/registry';
import { HazardChecker } from './hazards/check';

export class UnknownHelperError extends Error {}

export class Simulator {
  readonly profile: Profile;
  readonly set: HelperSet;
  readonly hazards: HazardChecker;

  constructor(profile: Profile | string, readonly alg: BoolAlgebra = createAlgebra()) {
    this.profile = typeof profile === 'string' ? parseProfile(profile) : profile;
    this.set = helperSetFor(this.profile);
    this.hazards = new HazardChecker(this.set);
  }

  /** An entry nothing is known about, over unknowns `<name>.<field>`. */
  entry(name: string, level: Level = 'pte', options: { forms?: readonly Form[]; kind?: ValueKind; placement?: VariablePlacement } = {}): EntryValue {
    return this.entries([name], level, options)[0]!;
  }

  /** Entries nothing is known about, their unknowns side by side (freshValues): for entries that will be compared. */
  entries(names: readonly string[], level: Level = 'pte', options: { forms?: readonly Form[]; kind?: ValueKind; placement?: VariablePlacement } = {}): EntryValue[] {
    const forms = (options.forms ?? LEGAL_FORMS[level]).filter((form) => formExists(form, level, this.profile));
    return freshValues(this.alg, this.set.layout, names, level, { ...options, forms: forms.length > 0 ? forms : (options.forms ?? LEGAL_FORMS[level]) });
  }

  /** A present entry over fresh unknowns. */
  presentEntry(name: string, level: Level = 'pte'): EntryValue {
    return this.entry(name, level, { forms: ['present'] });
  }

  /** A value of a known form with every other field clear. */
  ofForm(form: Form, level: Level = 'pte', kind: ValueKind = 'entry'): EntryValue {
    return valueOfForm(this.alg, this.set.layout, kind, level, form);
  }

  /** VMA, folio or mm facts as unknowns `<prefix>.<fact>` (flags the profile lacks read false). */
  facts(prefix: string): FactSource {
    return symbolicFacts(this.alg, prefix, this.profile);
  }

  /** Facts fixed: the listed ones true, all others false. */
  constantFacts(trueFacts: Iterable<string>): FactSource {
    return constantFacts(this.alg, trueFacts);
  }

  /** The relations the kernel keeps between VMA and folio facts. */
  contextInvariants(vma: FactSource, folio?: FactSource): Bool {
    return contextInvariants(this.alg, this.profile, vma, folio);
  }

  helper(name: string): CompiledHelper {
    const helper = this.set.get(name);
    if (!helper) throw new UnknownHelperError(this.set.whyMissing(name) ?? `${name} is not a modelled helper`);
    return helper;
  }

  has(name: string): boolean {
    return this.set.has(name);
  }

  /** Why a helper is missing on this profile (undefined: it is not, or the model never heard of it). */
  whyMissing(name: string): string | undefined {
    return this.set.whyMissing(name);
  }

  /** Every helper this simulator can apply. */
  helperNames(): string[] {
    return this.set.names();
  }

  /** Binds positional arguments to the helper's C parameters; `extra` supplies implicit ones (e.g. folio). */
  bind(helper: CompiledHelper, args: readonly ArgValue[], extra: ArgMap = {}): ArgMap {
    const visible = helper.params.filter((p) => !p.implicit);
    if (args.length > visible.length) {
      throw new UnknownHelperError(`${helper.name} takes ${visible.length} arguments on ${this.profile.name}, got ${args.length}`);
    }
    const bound: Record<string, ArgValue> = { ...extra };
    visible.forEach((param, i) => {
      if (i < args.length) bound[param.name] = args[i];
    });
    return bound;
  }

  /** Applies a modifier or constructor: `sim.apply('pte_mkwrite', pte, vma)`. */
  apply(name: string, ...args: ArgValue[]): EntryValue {
    const helper = this.helper(name);
    return helper.apply(this.alg, this.bind(helper, args));
  }

  /** Evaluates a predicate: `sim.test('pte_write', pte)`. */
  test(name: string, ...args: ArgValue[]): Bool {
    const helper = this.helper(name);
    return helper.test(this.alg, this.bind(helper, args));
  }

  /** Runs an in-place primitive on the slot's current value. */
  applyInPlace(name: string, slot: EntryValue, ...args: ArgValue[]): InPlaceResult {
    const helper = this.helper(name);
    return helper.applyInPlace(this.alg, slot, this.bind(helper, args));
  }
}

/**
 * Where a host's model of the helpers comes from, when not the built-in tables: a simulator on
 * a profile over a given solver, or none (the built-in one is used) when the model is not for
 * that profile. `id` says everything the model's helpers depend on, for cache keys.
 */
export interface SimulatorModel {
  readonly id: string;
  simulator(profile: Profile, alg: BoolAlgebra): Simulator | undefined;
}
