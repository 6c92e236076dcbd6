// The helper set of one profile: the arch table over the common rows,
// filtered by version and config, expanded per level, compiled on first use.
// A row that calls a helper the profile lacks is left out when the set is
// built (its callers too), so nothing fails later for want of a callee.

import { ARM64 } from '../arch/arm64';
import { COMMON_HELPERS } from '../arch/common';
import { GENERIC } from '../arch/generic';
import { X86_64 } from '../arch/x86_64';
import { LEVELS, SOFTLEAF_FIELDS, type Level } from '../model/forms';
import { buildLayout, type Layout } from '../model/layout';
import { compareVersions, formatVersion, inVersionRange, isEnabled, tableVersion, whyDisabled, type ArchName, type Profile } from '../model/profile';
import { compileHelper, type CompileEnv, type CompiledHelper } from './compile';
import { rowCallees } from './dependencies';
import { parseParams, type ArchTable, type BitDef, type HelperDef } from './types';

export const ARCH_TABLES: Readonly<Record<ArchName, ArchTable>> = { x86_64: X86_64, arm64: ARM64, generic: GENERIC };

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...Object.values(ARCH_TABLES).flatMap((t) => t.bits.map((b) => b.name)),
  ...SOFTLEAF_FIELDS,
]);

interface Candidate {
  readonly def: HelperDef;
  readonly name: string;
  readonly level: Level;
  readonly since?: string;
  readonly until?: string;
  readonly fromArch: boolean;
}

function levelOf(name: string, def: HelperDef): Level {
  if (def.levels && !def.name.includes('{l}')) return def.levels[0]!;
  if (/pud/.test(name)) return 'pud';
  if (/pmd/.test(name)) return 'pmd';
  return 'pte';
}

function expand(def: HelperDef, fromArch: boolean): Candidate[] {
  const templated = def.name.includes('{l}');
  const levels = templated ? (def.levels ?? LEVELS) : [undefined];
  const result: Candidate[] = [];
  for (const l of levels) {
    const name = l ? def.name.replace(/\{l\}/g, l) : def.name;
    const level = l ?? levelOf(name, def);
    const base = { def, level, fromArch };
    result.push({ ...base, name, ...(def.since ? { since: def.since } : {}), ...(def.until ? { until: def.until } : {}) });
    for (const alias of def.aliases ?? []) {
      if (templated && levelOf(alias.name, def) !== level) continue;
      result.push({ ...base, name: alias.name, ...(alias.since ? { since: alias.since } : {}), ...(alias.until ? { until: alias.until } : {}) });
    }
  }
  return result;
}

function bitPresent(bit: BitDef, profile: Profile): boolean {
  return inVersionRange(profile.version, bit.since, bit.until) && (bit.needs === undefined || isEnabled(profile, bit.needs));
}

function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export class HelperSet {
  readonly layout: Layout;
  readonly table: ArchTable;
  private readonly active = new Map<string, Candidate>();
  private readonly inactive = new Map<string, Candidate[]>();
  /** Rows in range whose effect calls a helper this profile lacks: name → that helper. */
  private readonly unmet = new Map<string, string>();
  private readonly compiled = new Map<string, CompiledHelper>();
  private readonly conditions = new Map<string, CompiledHelper>();
  private readonly compileEnv: CompileEnv;

  constructor(readonly profile: Profile) {
    this.table = ARCH_TABLES[profile.arch];
    this.layout = buildLayout(
      this.table.bits.filter((b) => bitPresent(b, profile)).map((b) => b.name),
      this.table.softleafBits.filter((b) => bitPresent(b, profile)).map((b) => b.name),
    );
    this.compileEnv = { layout: this.layout, profile, knownFields: KNOWN_FIELDS, lookup: (callee) => this.get(callee) };
    const all = [...COMMON_HELPERS.flatMap((d) => expand(d, false)), ...this.table.helpers.flatMap((d) => expand(d, true))];
    const archNames = new Set(all.filter((c) => c.fromArch && inVersionRange(profile.version, c.since, c.until)).map((c) => c.name));
    for (const candidate of all) {
      const inRange = inVersionRange(profile.version, candidate.since, candidate.until);
      const overridden = !candidate.fromArch && archNames.has(candidate.name);
      if (!inRange || overridden) {
        if (!overridden) this.inactive.set(candidate.name, [...(this.inactive.get(candidate.name) ?? []), candidate]);
        continue;
      }
      const existing = this.active.get(candidate.name);
      if (existing) {
        throw new Error(`${profile.name}: two rows define ${candidate.name} (${existing.def.section}; ${candidate.def.section})`);
      }
      if (candidate.def.needs && candidate.def.absent === 'undefined' && !isEnabled(profile, candidate.def.needs)) {
        this.inactive.set(candidate.name, [...(this.inactive.get(candidate.name) ?? []), candidate]);
        continue;
      }
      this.active.set(candidate.name, candidate);
    }
    this.dropRowsWithMissingCallees();
  }

  /** Until nothing changes: a row that calls a helper not in the set leaves it. */
  private dropRowsWithMissingCallees(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, candidate] of this.active) {
        if (this.isStub(candidate)) continue; // a stub runs none of its effect
        const missing = rowCallees(candidate.def, candidate.level).find((callee) => !this.active.has(callee));
        if (missing === undefined) continue;
        this.active.delete(name);
        this.unmet.set(name, missing);
        changed = true;
      }
    }
  }

  private isStub(candidate: Candidate): boolean {
    return candidate.def.needs !== undefined && !isEnabled(this.profile, candidate.def.needs);
  }

  /** The helper, compiled for this profile, or undefined when the profile does not have it. */
  get(name: string): CompiledHelper | undefined {
    const hit = this.compiled.get(name);
    if (hit) return hit;
    const candidate = this.active.get(name);
    if (!candidate) return undefined;
    const params = parseParams(candidate.def.params.replace(/\{l\}/g, candidate.level));
    const helper = compileHelper(candidate.def, name, candidate.level, params, this.compileEnv);
    this.compiled.set(name, helper);
    return helper;
  }

  /**
   * Compiles a predicate written in the table language against this profile (rule conditions),
   * once per profile: every analysis has its own solver, but compiled helpers are solver-free.
   */
  compileCondition(name: string, level: Level, params: string, condition: string, section: string): CompiledHelper {
    return this.compileRow('predicate', name, level, params, condition, section);
  }

  /** Compiles statements of the table language as a modifier of its first value parameter (scenario operations), once per profile. */
  compileEffect(name: string, level: Level, params: string, effect: string, section: string): CompiledHelper {
    return this.compileRow('modifier', name, level, params, effect, section);
  }

  private compileRow(kind: 'predicate' | 'modifier', name: string, level: Level, params: string, effect: string, section: string): CompiledHelper {
    const key = `${kind}|${name}|${level}|${params}|${effect}`;
    let compiled = this.conditions.get(key);
    if (!compiled) {
      const def: HelperDef = { name, kind, params, effect, section, summary: name };
      compiled = compileHelper(def, name, level, parseParams(params.replace(/\{l\}/g, level)), this.compileEnv);
      this.conditions.set(key, compiled);
    }
    return compiled;
  }

  has(name: string): boolean {
    return this.active.has(name);
  }

  /** The table row that defines `name` here (an alias shares its row). */
  row(name: string): HelperDef | undefined {
    return this.active.get(name)?.def;
  }

  /** Every helper name this profile defines. */
  names(): string[] {
    return [...this.active.keys()].sort();
  }

  /**
   * Why `name` is not a helper here: not applicable to the architecture, or
   * defined in other kernel versions, or missing a config symbol, or calling
   * a helper that is missing for one of these reasons. Undefined when the
   * model has never heard of it.
   */
  whyMissing(name: string): string | undefined {
    if (this.active.has(name)) return undefined;
    for (const entry of this.table.notApplicable) {
      const patterns = entry.name.includes('{l}') ? (entry.levels ?? LEVELS).map((l) => entry.name.replace(/\{l\}/g, l)) : [entry.name];
      if (patterns.some((p) => matchesPattern(p, name))) return `not on ${this.profile.arch}: ${entry.reason}`;
    }
    if (this.unmet.has(name)) return this.needs(this.unmet.get(name)!);
    const others = this.inactive.get(name);
    if (!others || others.length === 0) return undefined;
    const needing = others.find((c) => c.def.needs && !isEnabled(this.profile, c.def.needs) && inVersionRange(this.profile.version, c.since, c.until));
    if (needing) return `needs CONFIG_${needing.def.needs} (${whyDisabled(this.profile, needing.def.needs!)})`;
    const spans = mergeSpans(others).map(([since, until]) => versionSpan(since, until));
    return `${spans.join('; ')}, not in ${formatVersion(this.profile.version)}`;
  }

  /**
   * Why something that calls `name` cannot be used here: "needs pte_savedwrite (defined from
   * 4.11 until 6.2, not in 4.3)", following callees that are missing in turn
   * ("needs numa_fault_restores_write → pte_savedwrite (…)").
   */
  needs(name: string): string {
    const chain = [name];
    while (this.unmet.has(chain[chain.length - 1]!)) chain.push(this.unmet.get(chain[chain.length - 1]!)!);
    const last = chain[chain.length - 1]!;
    return `needs ${chain.join(' → ')} (${this.whyMissing(last) ?? 'not modelled'})`;
  }
}

type Span = readonly [since: string | undefined, until: string | undefined];

const OPEN_START = '0.0';

/** The version ranges of a name's rows, adjacent ones joined: [6.0, 6.2) and [6.2, …) are [6.0, …). */
function mergeSpans(rows: readonly { since?: string; until?: string }[]): Span[] {
  const key = (v: string | undefined) => tableVersion(v ?? OPEN_START);
  const sorted = [...rows].sort((a, b) => compareVersions(key(a.since), key(b.since)));
  const merged: [string | undefined, string | undefined][] = [];
  for (const row of sorted) {
    const last = merged[merged.length - 1];
    if (last && last[1] !== undefined && (row.since === undefined || compareVersions(key(row.since), key(last[1])) <= 0)) {
      if (row.until === undefined || compareVersions(key(row.until), key(last[1])) > 0) last[1] = row.until;
      continue;
    }
    if (last && last[1] === undefined) continue;
    merged.push([row.since, row.until]);
  }
  return merged;
}

/** "defined from 4.11", "defined until 6.19", "defined from 4.11 until 6.2" ([since, until)). */
function versionSpan(since: string | undefined, until: string | undefined): string {
  if (since && until) return `defined from ${since} until ${until}`;
  if (since) return `defined from ${since}`;
  return until ? `defined until ${until}` : 'defined in every version';
}

const cache = new Map<string, HelperSet>();

/** The (cached) helper set of a profile. */
export function helperSetFor(profile: Profile): HelperSet {
  let set = cache.get(profile.name);
  if (!set) {
    set = new HelperSet(profile);
    cache.set(profile.name, set);
  }
  return set;
}
