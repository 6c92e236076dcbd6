// Evaluates the hazard rules of a profile on symbolic states and transitions.
// A hit carries the condition under which the rule fires; the caller conjoins
// its path condition and asks the solver for a witness.

import type { Assignment, Bool, BoolAlgebra } from '../sym';
import type { FactSource } from '../model/context';
import type { Level } from '../model/forms';
import { isEnabled } from '../model/profile';
import { formatConcrete, type EntryValue } from '../model/value';
import type { CompiledHelper } from '../helpers/compile';
import type { HelperSet } from '../helpers/registry';
import type { InstallKind } from '../helpers/types';
import { RULES, type RuleDef, type RuleKind } from './catalogue';

export interface RuleHit {
  readonly rule: RuleDef;
  readonly level: Level;
  /** Where the rule fires; never FALSE in a returned hit. */
  readonly condition: Bool;
}

export interface EntryContext {
  readonly vma: FactSource;
  readonly folio?: FactSource;
}

const PARAMS: Record<RuleKind, string> = {
  state: '{l} vma @folio',
  transition: 'old:entry new:entry how:flags vma addr @folio',
  helper: 'old:entry new:entry',
  tlb: 'tlb:flags',
};

const INSTALL_FACT: Record<InstallKind, string> = {
  store: 'store',
  'atomic-update': 'atomic_update',
  clear: 'clear',
  commit: 'commit',
  establish: 'establish',
  'access-flags': 'access_flags',
  clean: 'clean',
  read: 'read',
};

/** How an install writes (one fact per kind), and `after_clear`: the slot was cleared since the old value was live. */
function installFacts(alg: BoolAlgebra, install: InstallKind, afterClear: boolean): FactSource {
  const which = INSTALL_FACT[install];
  return { fact: (name) => alg.constant(name === which || (name === 'after_clear' && afterClear)) };
}

/** A folio nothing is known about: facts are fresh unknowns `folio.<fact>`. */
function anyFolio(alg: BoolAlgebra): FactSource {
  return { fact: (name) => alg.variable(`folio.${name}`, 'context') };
}

export class HazardChecker {
  private readonly conditions = new Map<string, CompiledHelper>();

  constructor(readonly set: HelperSet) {}

  /** Rules that can fire on this profile. */
  rules(kind?: RuleKind): RuleDef[] {
    const profile = this.set.profile;
    return RULES.filter(
      (rule) =>
        (kind === undefined || rule.kind === kind) &&
        (!rule.archs || rule.archs.includes(profile.arch)) &&
        (rule.needs ?? []).every((symbol) => isEnabled(profile, symbol)),
    );
  }

  checkState(alg: BoolAlgebra, level: Level, entry: EntryValue, context: EntryContext): RuleHit[] {
    return this.evaluate(alg, 'state', level, { [level]: entry, vma: context.vma, folio: context.folio ?? anyFolio(alg) });
  }

  checkTransition(alg: BoolAlgebra, level: Level, old: EntryValue, next: EntryValue, install: InstallKind, context: EntryContext, afterClear = false): RuleHit[] {
    return this.evaluate(alg, 'transition', level, {
      old,
      new: next,
      how: installFacts(alg, install, afterClear),
      vma: context.vma,
      folio: context.folio ?? anyFolio(alg),
    });
  }

  /** The laws of a helper row (keeps: dirty, not-write …) on one application. */
  checkHelper(alg: BoolAlgebra, helper: CompiledHelper, input: EntryValue, output: EntryValue): RuleHit[] {
    const laws = new Set(helper.keeps);
    return this.evaluate(alg, 'helper', helper.level, { old: input, new: output }).filter((hit) => hit.rule.law && laws.has(hit.rule.law));
  }

  /** At an unlock, page copy or free: facts downgrade_unflushed, flush_pending, mmap_write_locked. */
  checkTlb(alg: BoolAlgebra, level: Level, facts: FactSource): RuleHit[] {
    return this.evaluate(alg, 'tlb', level, { tlb: facts });
  }

  /**
   * What the kernel guarantees of an entry read from the page table: none of
   * the rules it keeps fires on it (DESIGN.md "assume the invariants where
   * entries come from; check them where entries go").
   */
  readInvariant(alg: BoolAlgebra, level: Level, entry: EntryValue, context: EntryContext): Bool {
    const hits = this.checkState(alg, level, entry, context).filter((hit) => hit.rule.assumedAtRead);
    return alg.andAll([...hits.map((hit) => alg.not(hit.condition)), this.uffdWpScope(alg, entry, context), this.softleafInvariant(alg, entry, context)]);
  }

  /**
   * A migration entry stands for the entry it replaced (H-MIGRATION-ENTRY-TYPE):
   * write or read-exclusive only for an exclusive page if anonymous; a write
   * entry was writable, so it carries no uffd-wp and, while soft-dirty is
   * tracked, carries soft-dirty (H-SOFTDIRTY-CARRY).
   */
  softleafInvariant(alg: BoolAlgebra, entry: EntryValue, context: EntryContext): Bool {
    const bit = (name: string) => this.bit(alg, entry, name);
    const folio = context.folio ?? anyFolio(alg);
    const tracking = isEnabled(this.set.profile, 'MEM_SOFT_DIRTY') ? alg.not(context.vma.fact('VM_SOFTDIRTY')) : alg.FALSE;
    return alg.andAll([
      alg.implies(alg.and(alg.or(bit('mig_w'), bit('mig_re')), folio.fact('anon')), folio.fact('exclusive')),
      alg.implies(bit('mig_w'), alg.not(bit('swp_uw'))),
      entry.kind === 'entry' ? alg.implies(alg.and(bit('mig_w'), tracking), bit('swp_sd')) : alg.TRUE,
    ]);
  }

  private bit(alg: BoolAlgebra, entry: EntryValue, name: string): Bool {
    const index = this.set.layout.indexOf(name);
    return index === undefined ? alg.FALSE : entry.bits[index]!;
  }

  /** H-UFFDWP-SCOPE: uffd-wp bits (present, swap, marker) exist only in a VM_UFFD_WP VMA. */
  private uffdWpScope(alg: BoolAlgebra, entry: EntryValue, context: EntryContext): Bool {
    const bit = (name: string) => this.bit(alg, entry, name);
    const anyUffd = alg.orAll([bit('UW'), bit('swp_uw'), alg.and(bit('marker'), bit('mk_uw'))]);
    return alg.implies(anyUffd, context.vma.fact('VM_UFFD_WP'));
  }

  private evaluate(alg: BoolAlgebra, kind: RuleKind, level: Level, args: Record<string, EntryValue | FactSource | undefined>): RuleHit[] {
    const hits: RuleHit[] = [];
    this.rules(kind).forEach((rule, index) => {
      if (!rule.levels.includes(level)) return;
      const text = typeof rule.condition === 'string' ? rule.condition : rule.condition[level];
      if (text === undefined) return;
      const key = `${rule.id}#${kind}#${index}#${level}`;
      let compiled = this.conditions.get(key);
      if (!compiled) {
        compiled = this.set.compileCondition(rule.id, level, PARAMS[kind], text, rule.semantics.join(', '));
        this.conditions.set(key, compiled);
      }
      const condition = compiled.test(alg, args);
      if (condition !== alg.FALSE) hits.push({ rule, level, condition });
    });
    return hits;
  }
}

export interface Explanation {
  readonly message: string;
  /** Values of the unknowns that lead to the hazard. */
  readonly witness: Assignment;
}

/**
 * The message of a hit on a path, with the offending value rendered under a
 * witness; undefined when the path condition excludes the hit.
 */
export function explainHit(
  alg: BoolAlgebra,
  set: HelperSet,
  hit: RuleHit,
  pathCondition: Bool,
  shown: EntryValue | undefined,
): Explanation | undefined {
  const witness = alg.witness(alg.and(pathCondition, hit.condition));
  if (!witness) return undefined;
  const rendered = shown ? ` [${formatConcrete(alg, set.layout, shown, witness)}]` : '';
  return { message: `${hit.rule.message.replace(/\{l\}/g, hit.level)}${rendered}`, witness };
}
