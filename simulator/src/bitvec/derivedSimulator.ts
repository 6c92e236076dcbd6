// A Simulator whose helpers are the ones derived from a tree's headers: the laws (laws.ts) and
// anything else written against the Simulator API run on the tree's own definitions. A helper
// the tree does not define, or whose definition the evaluator cannot run, is missing, with the
// reason; the built-in table is never used in its place.

import type { CompiledHelper } from '../helpers/compile';
import { symbolicFacts } from '../model/context';
import type { Layout } from '../model/layout';
import type { Profile } from '../model/profile';
import { freshValue } from '../model/value';
import { Simulator, UnknownHelperError } from '../simulator';
import { createAlgebra, type BoolAlgebra } from '../sym';
import { DerivedHelpers, convertsSwapEntries, nonPresentForms, type DerivedHelper, type DerivedSource } from './derived';

export class DerivedSimulator extends Simulator {
  readonly derived: DerivedHelpers;
  private readonly usable = new Map<string, string | true>();

  constructor(source: DerivedSource, alg: BoolAlgebra = createAlgebra()) {
    super(source.profile as Profile, alg);
    this.derived = new DerivedHelpers(source, this.set.layout, (name) => this.set.row(name)?.kind);
  }

  override helper(name: string): CompiledHelper {
    const reason = this.check(name);
    if (reason !== true) throw new UnknownHelperError(reason);
    return this.derived.get(this.treeName(name)) as DerivedHelper;
  }

  /**
   * The name the tree defines the helper under: its own, or another name of its table row at the
   * same level that the tree defines (6.19's `softleaf_from_pte` for `pte_to_swp_entry`).
   */
  private treeName(name: string): string {
    const source = this.derived.source;
    const row = this.set.row(name);
    if (source.lookup(name) || !row) return name;
    const level = this.set.get(name)?.level;
    return this.set.names().find((other) => other !== name && this.set.row(other) === row && this.set.get(other)?.level === level && source.lookup(other)) ?? name;
  }

  override has(name: string): boolean {
    return this.check(name) === true;
  }

  override whyMissing(name: string): string | undefined {
    const reason = this.check(name);
    return reason === true ? undefined : reason;
  }

  override helperNames(): string[] {
    return super.helperNames().filter((name) => this.has(name));
  }

  /** The derived helper, if it exists and runs on a present entry (tried once). */
  private check(name: string): string | true {
    let known = this.usable.get(name);
    if (known !== undefined) return known;
    const helper = this.derived.get(this.treeName(name));
    if (typeof helper === 'string') known = helper;
    else {
      try {
        // a trial run in a scratch solver, so that the laws' solver stays small
        const scratch = createAlgebra();
        if (helper.params.filter((p) => p.kind === 'entry').length > 1) throw new Error(`${name} compares whole entries; not derived`);
        const args = presentArgs(scratch, this.set.layout, helper, this.profile);
        if (helper.def.kind === 'predicate') helper.test(scratch, args as never);
        else helper.apply(scratch, args as never);
        known = true;
      } catch (error) {
        known = (error as Error).message;
      }
    }
    this.usable.set(name, known);
    return known;
  }
}

/**
 * Unknown arguments for a helper, by name: each entry present (non-present for a conversion of
 * swap entries, and a swap entry value of any non-present form), each protection present or
 * PROT_NONE, the VMA's flags free.
 */
export function presentArgs(alg: BoolAlgebra, layout: Layout, helper: DerivedHelper, profile: Profile): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const forms = convertsSwapEntries(helper.name) ? nonPresentForms(helper.level, profile) : ['present' as const];
  for (const p of helper.params) {
    args[p.name] = p.kind === 'entry' ? freshValue(alg, layout, p.name, helper.level, { forms })
      : p.kind === 'swp' ? freshValue(alg, layout, p.name, helper.level, { kind: 'swp', forms })
      : p.kind === 'prot' ? freshValue(alg, layout, p.name, helper.level, { kind: 'prot', forms: ['present', 'protnone'] })
      : p.kind === 'vma' ? symbolicFacts(alg, 'vma', profile) : undefined;
  }
  return args;
}
