// Evaluates the hazard rules of a profile on symbolic states and transitions.
// A hit carries the condition under which the rule fires; the caller conjoins
// its path condition and asks the solver for a witness. Which rules apply at
// which level is decided once per profile: a rule for another architecture,
// one that needs a config symbol the profile lacks, or one whose condition
// calls a helper the profile does not define is inapplicable there, with the reason.

import type { Assignment, Bool, BoolAlgebra } from '../sym';
import type { FactSource } from '../model/context';
import { MIGRATION_FORMS, type Level } from '../model/forms';
import { isEnabled, whyDisabled } from '../model/profile';
import { formatConcrete, type EntryValue } from '../model/value';
import type { CompiledHelper } from '../helpers/compile';
import { conditionCallees } from '../helpers/dependencies';
import type { HelperSet } from '../helpers/registry';
import type { InstallKind } from '../helpers/types';
import { RULES, type RuleDef, type RuleKind } from './catalogue';
import { READ_INVARIANTS, type InvariantDef } from './invariants';

export interface RuleHit {
  readonly rule: RuleDef;
  readonly level: Level;
  /** Where the rule fires; never FALSE in a returned hit. */
  readonly condition: Bool;
}

/** Whether a rule can fire at one level on the checker's profile. */
export interface RuleApplicability {
  readonly rule: RuleDef;
  readonly level: Level;
  /** Why it cannot; undefined when it applies. */
  readonly reason?: string;
}

interface ApplicableRule {
  readonly rule: RuleDef;
  readonly condition: string;
  readonly key: string;
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

/** What else a transition rule knows of an install, besides its kind. */
export interface InstallFacts {
  /** The slot was cleared since the old value was live (ptep_get_and_clear, then a store). */
  readonly afterClear?: boolean;
  /**
   * Bits the new entry lacks because the code cleared them on purpose, each under a condition:
   * `cleaned` ({l}_mkclean: its dirt was meant to go), `uffd_wp_cleared`, `soft_dirty_cleared`
   * ({l}_swp_clear_uffd_wp …).
   */
  readonly cleared?: ReadonlyMap<string, Bool>;
  /**
   * `uffd_wp_requested`: the condition under which the code was asked to write-protect every
   * entry it changes for userfaultfd (change_protection()'s MM_CP_UFFD_WP).
   */
  readonly uffdWpRequested?: Bool;
}

/** How an install writes (one fact per kind), `after_clear`, the bits cleared on purpose, and uffd-wp asked for. */
function installFacts(alg: BoolAlgebra, install: InstallKind, facts: InstallFacts): FactSource {
  const which = INSTALL_FACT[install];
  return {
    fact: (name) => {
      if (name === 'uffd_wp_requested') return facts.uffdWpRequested ?? alg.FALSE;
      const cleared = facts.cleared?.get(name);
      return cleared ?? alg.constant(name === which || (name === 'after_clear' && !!facts.afterClear));
    },
  };
}

/** A folio nothing is known about: facts are fresh unknowns `folio.<fact>`. */
function anyFolio(alg: BoolAlgebra): FactSource {
  return { fact: (name) => alg.variable(`folio.${name}`, 'context') };
}

export class HazardChecker {
  private readonly conditions = new Map<string, CompiledHelper>();
  private readonly invariants = new Map<string, readonly CompiledHelper[]>();
  /** Every (rule, level) of the catalogue, with why not where the rule cannot fire. */
  readonly applicability: readonly RuleApplicability[];
  private readonly applicable: ReadonlyMap<string, readonly ApplicableRule[]>;

  constructor(
    readonly set: HelperSet,
    readonly catalogue: readonly RuleDef[] = RULES,
  ) {
    const table = ruleTableFor(set, catalogue);
    this.applicability = table.applicability;
    this.applicable = table.applicable;
  }

  /** Rules that can fire on this profile (at one level at least). */
  rules(kind?: RuleKind): RuleDef[] {
    const rules = new Set(this.applicability.filter((a) => a.reason === undefined && (kind === undefined || a.rule.kind === kind)).map((a) => a.rule));
    return [...rules];
  }

  /**
   * Why rule `id` cannot fire on this profile: one reason, or reasons per level
   * when it applies at some levels only. Undefined when it applies everywhere
   * it is defined, or when there is no such rule.
   */
  whyInapplicable(id: string): string | undefined {
    const rows = this.applicability.filter((a) => a.rule.id === id);
    const refused = rows.filter((a) => a.reason !== undefined);
    if (refused.length === 0) return undefined;
    const reasons = [...new Set(refused.map((a) => a.reason!))];
    if (refused.length === rows.length && reasons.length === 1) return reasons[0];
    const levels = (among: readonly RuleApplicability[]) => [...new Set(among.map((a) => a.level))].join('/');
    const applied = rows.filter((a) => a.reason === undefined);
    const why = reasons.map((reason) => `at ${levels(refused.filter((a) => a.reason === reason))}: ${reason}`);
    return [...(applied.length > 0 ? [`applies at ${levels(applied)}`] : []), ...why].join('; ');
  }

  checkState(alg: BoolAlgebra, level: Level, entry: EntryValue, context: EntryContext): RuleHit[] {
    return this.evaluate(alg, 'state', level, { [level]: entry, vma: context.vma, folio: context.folio ?? anyFolio(alg) });
  }

  checkTransition(alg: BoolAlgebra, level: Level, old: EntryValue, next: EntryValue, install: InstallKind, context: EntryContext, facts: InstallFacts = {}): RuleHit[] {
    return this.evaluate(alg, 'transition', level, {
      old,
      new: next,
      how: installFacts(alg, install, facts),
      vma: context.vma,
      folio: context.folio ?? anyFolio(alg),
    });
  }

  /** The laws of a helper row (keeps: dirty, not-write …) on one application. */
  checkHelper(alg: BoolAlgebra, helper: CompiledHelper, input: EntryValue, output: EntryValue): RuleHit[] {
    const laws = new Set(helper.keeps);
    return this.evaluate(alg, 'helper', helper.level, { old: input, new: output }).filter((hit) => hit.rule.law && laws.has(hit.rule.law));
  }

  /** At an unlock, page copy or free: facts downgrade_unflushed, flush_pending, mmap_write_locked, page_cache_folio_locked. */
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
    return alg.andAll([...hits.map((hit) => alg.not(hit.condition)), this.invariantOf(alg, 'read', level, entry, context), this.uffdWpScope(alg, entry, context), this.softleafInvariant(alg, entry, context)]);
  }

  /** What the kernel guarantees of an entry the code asks vm_normal_page() about, besides what holds at every read. */
  lookupInvariant(alg: BoolAlgebra, level: Level, entry: EntryValue, context: EntryContext): Bool {
    return this.invariantOf(alg, 'page-lookup', level, entry, context);
  }

  /** What the kernel keeps of an entry whose page frame the code found to be the zero page's. */
  zeroPfnInvariant(alg: BoolAlgebra, level: Level, entry: EntryValue, context: EntryContext): Bool {
    return this.invariantOf(alg, 'zero-pfn', level, entry, context);
  }

  private invariantOf(alg: BoolAlgebra, at: InvariantDef['at'], level: Level, entry: EntryValue, context: EntryContext): Bool {
    const args = { [level]: entry, vma: context.vma, folio: context.folio ?? anyFolio(alg) };
    return alg.andAll(this.invariantsAt(at, level).map((never) => alg.not(never.test(alg, args))));
  }

  /** The catalogue's invariants assumed `at`, at a level, compiled; one the profile cannot state (a helper it lacks) is left out. */
  private invariantsAt(at: InvariantDef['at'], level: Level): readonly CompiledHelper[] {
    const key = `${at}#${level}`;
    let compiled = this.invariants.get(key);
    if (!compiled) {
      compiled = READ_INVARIANTS.filter((inv) => inv.at === at && inv.levels.includes(level) && (!inv.archs || inv.archs.includes(this.set.profile.arch)) && conditionCallees(inv.never, level).every((name) => this.set.has(name))).map((inv) =>
        this.set.compileCondition(inv.id, level, PARAMS.state, inv.never, inv.source),
      );
      this.invariants.set(key, compiled);
    }
    return compiled;
  }

  /**
   * A migration entry stands for the entry it replaced (H-MIGRATION-ENTRY-TYPE):
   * write or read-exclusive only for an exclusive page if anonymous; a write
   * entry was writable, so it carries no uffd-wp, lives in a VM_WRITE VMA, is
   * dirty where the VMA wants write notification and, while soft-dirty is
   * tracked, carries soft-dirty (H-SOFTDIRTY-CARRY); one that records dirt has a dirty folio.
   */
  softleafInvariant(alg: BoolAlgebra, entry: EntryValue, context: EntryContext): Bool {
    const bit = (name: string) => this.bit(alg, entry, name);
    const folio = context.folio ?? anyFolio(alg);
    const tracking = isEnabled(this.set.profile, 'MEM_SOFT_DIRTY') ? alg.not(context.vma.fact('VM_SOFTDIRTY')) : alg.FALSE;
    const vma = (name: string) => context.vma.fact(name);
    return alg.andAll([
      alg.implies(alg.and(alg.or(bit('mig_w'), bit('mig_re')), folio.fact('anon')), folio.fact('exclusive')),
      alg.implies(bit('mig_w'), alg.not(bit('swp_uw'))),
      // it replaced a writable entry, which only a VM_WRITE VMA holds, and in a VMA that wants
      // write notification only dirty (try_to_migrate_one records the dirt where it can)
      alg.implies(bit('mig_w'), vma('VM_WRITE')),
      this.set.layout.indexOf('mig_d') !== undefined ? alg.implies(alg.and(bit('mig_w'), vma('writenotify')), bit('mig_d')) : alg.TRUE,
      // try_to_migrate_one() marks the folio dirty before it records the dirt in the entry; the
      // folio stays locked, its dirt moving with it to the new folio, until the entry is removed
      alg.implies(alg.and(alg.orAll(MIGRATION_FORMS.map(bit)), bit('mig_d')), folio.fact('dirty')),
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
    for (const { rule, condition, key } of this.applicable.get(`${kind}#${level}`) ?? []) {
      let compiled = this.conditions.get(key);
      if (!compiled) {
        compiled = this.set.compileCondition(rule.id, level, PARAMS[kind], condition, rule.semantics.join(', '));
        this.conditions.set(key, compiled);
      }
      const value = compiled.test(alg, args);
      if (value !== alg.FALSE) hits.push({ rule, level, condition: value });
    }
    return hits;
  }
}

interface RuleTable {
  readonly applicability: readonly RuleApplicability[];
  /** By `kind#level`: the rules that apply there, with their condition text. */
  readonly applicable: ReadonlyMap<string, readonly ApplicableRule[]>;
}

const ruleTables = new WeakMap<HelperSet, Map<readonly RuleDef[], RuleTable>>();

/** Decided once per profile (helper set) and catalogue. */
function ruleTableFor(set: HelperSet, catalogue: readonly RuleDef[]): RuleTable {
  let perCatalogue = ruleTables.get(set);
  if (!perCatalogue) {
    perCatalogue = new Map();
    ruleTables.set(set, perCatalogue);
  }
  let table = perCatalogue.get(catalogue);
  if (table) return table;
  const applicability: RuleApplicability[] = [];
  const applicable = new Map<string, ApplicableRule[]>();
  catalogue.forEach((rule, index) => {
    for (const level of rule.levels) {
      const condition = conditionAt(rule, level);
      if (condition === undefined) continue;
      const reason = whyRuleCannotFire(set, rule, level, condition);
      applicability.push(reason === undefined ? { rule, level } : { rule, level, reason });
      if (reason !== undefined) continue;
      const key = `${rule.kind}#${level}`;
      applicable.set(key, [...(applicable.get(key) ?? []), { rule, condition, key: `${rule.id}#${index}#${level}` }]);
    }
  });
  table = { applicability, applicable };
  perCatalogue.set(catalogue, table);
  return table;
}

function whyRuleCannotFire(set: HelperSet, rule: RuleDef, level: Level, condition: string): string | undefined {
  const profile = set.profile;
  if (rule.archs && !rule.archs.includes(profile.arch)) return `${rule.archs.join(' and ')} only`;
  for (const symbol of rule.needs ?? []) {
    const off = whyDisabled(profile, symbol);
    if (off !== undefined) return `needs CONFIG_${symbol} (${off})`;
  }
  const missing = conditionCallees(condition, level).find((name) => !set.has(name));
  if (missing !== undefined) return set.needs(missing);
  return undefined;
}

/** A rule's condition at one level, or undefined where it has none. */
export function conditionAt(rule: RuleDef, level: Level): string | undefined {
  return typeof rule.condition === 'string' ? rule.condition : rule.condition[level];
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

/** `mmlens rules --profile P`: which rules apply on the profile, and why the others do not. */
export function formatRuleApplicability(checker: HazardChecker): string[] {
  const ids = [...new Set(checker.applicability.map((a) => a.rule.id))];
  const refused = ids.filter((id) => checker.whyInapplicable(id) !== undefined);
  const applying = ids.filter((id) => checker.rules().some((r) => r.id === id));
  return [
    `${checker.set.profile.name}: ${applying.length} of ${ids.length} rules apply`,
    ...refused.map((id) => `  ${id.padEnd(24)} ${checker.whyInapplicable(id)}`),
  ];
}
