// Where the model changes with the kernel version, read from the tables
// themselves (rows' and aliases' since/until, entry bits, CONFIG_SYMBOLS), and
// what changes there: helpers that appear, disappear or change meaning, entry
// bits, config symbols, rules that start or stop applying. The test that runs
// every example on every version and the boundary section of docs/profiles.md
// both come from here, so a new boundary in a table is covered by both.

import { COMMON_HELPERS } from './arch/common';
import { conditionCallees, rowCallees } from './helpers/dependencies';
import { ARCH_TABLES, helperSetFor, type HelperSet } from './helpers/registry';
import { HazardChecker, conditionAt } from './hazards/check';
import { RULES, type RuleDef } from './hazards/catalogue';
import { FORM_VERSIONS, LEGAL_FORMS, LEVELS, formExists, type Level } from './model/forms';
import {
  ARCH_NAMES,
  CONFIG_SYMBOLS,
  DEFAULT_VERSION,
  OLDEST_VERSION,
  compareVersions,
  formatVersion,
  parseProfile,
  tableVersion,
  type ArchName,
  type Version,
} from './model/profile';

function uniqueSorted(versions: readonly Version[]): Version[] {
  const byName = new Map(versions.map((v) => [formatVersion(v), v]));
  return [...byName.values()].sort(compareVersions);
}

/** Every version at which a row, alias, bit or config symbol of `arch` starts or stops. */
export function versionBoundaries(arch: ArchName): Version[] {
  const table = ARCH_TABLES[arch];
  const rows = [...COMMON_HELPERS, ...table.helpers];
  const texts = [
    ...rows.flatMap((row) => [row.since, row.until, ...(row.aliases ?? []).flatMap((alias) => [alias.since, alias.until])]),
    ...[...table.bits, ...table.softleafBits].flatMap((bit) => [bit.since, bit.until]),
    ...FORM_VERSIONS.map((form) => form.since),
    ...Object.values(CONFIG_SYMBOLS)
      .filter((symbol) => symbol.archs.includes(arch))
      .map((symbol) => symbol.sinceByArch?.[arch] ?? symbol.since),
  ];
  return uniqueSorted(texts.filter((t): t is string => t !== undefined).map(tableVersion)).filter((v) => compareVersions(v, OLDEST_VERSION) > 0);
}

/**
 * Versions that between them show every state of the model for `arch`: the
 * oldest modelled version, each boundary (the newest is the last), and the default.
 */
export function modelVersions(arch: ArchName): Version[] {
  return uniqueSorted([OLDEST_VERSION, ...versionBoundaries(arch), DEFAULT_VERSION]);
}

export interface ModelChange {
  readonly arch: ArchName;
  readonly version: Version;
  /** The version compared with (the previous entry of modelVersions). */
  readonly since: Version;
  readonly helpersAdded: readonly string[];
  readonly helpersRemoved: readonly string[];
  /** The same row under a new name (a kernel rename): [old, new]. */
  readonly helpersRenamed: readonly (readonly [string, string])[];
  /** Same name, another row: the helper means something else from here on. */
  readonly helpersChanged: readonly string[];
  readonly bitsAdded: readonly string[];
  readonly bitsRemoved: readonly string[];
  /** Entry forms that exist from here on (`dev_x (pte)`, `mig_r (pmd)`). */
  readonly formsAdded: readonly string[];
  /** Config symbols on by default from here on. */
  readonly configAdded: readonly string[];
  readonly rulesApplying: readonly string[];
  /** With why they stop (`id`, or `id (pud)` when only some levels stop). */
  readonly rulesStopping: readonly { readonly rule: string; readonly reason: string }[];
  /** Rules whose condition reads (through any helper) a helper that changed. */
  readonly rulesChanged: readonly string[];
}

function setAt(arch: ArchName, version: Version): HelperSet {
  return helperSetFor(parseProfile(`${arch}@${formatVersion(version)}`));
}

function applyingRules(checker: HazardChecker): Map<string, Level[]> {
  const byId = new Map<string, Level[]>();
  for (const row of checker.applicability) {
    if (row.reason !== undefined) continue;
    const levels = byId.get(row.rule.id) ?? [];
    if (!levels.includes(row.level)) byId.set(row.rule.id, [...levels, row.level]);
  }
  return byId;
}

/** [id, label]: the label is `id`, or `id (pud)` when only some of its levels are concerned. */
function ruleLevels(ids: Map<string, Level[]>, all: Map<string, Level[]>): [string, string][] {
  return [...ids].map(([id, levels]) => [id, levels.length === (all.get(id)?.length ?? levels.length) ? id : `${id} (${levels.join('/')})`]);
}

function levelDifference(a: Map<string, Level[]>, b: Map<string, Level[]>): Map<string, Level[]> {
  const result = new Map<string, Level[]>();
  for (const [id, levels] of a) {
    const missing = levels.filter((l) => !(b.get(id) ?? []).includes(l));
    if (missing.length > 0) result.set(id, missing);
  }
  return result;
}

/** Every helper a name reaches through the calls in its rows. */
function reach(set: HelperSet, names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const work = [...names];
  while (work.length > 0) {
    const name = work.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const row = set.row(name);
    const level = set.get(name)?.level;
    if (row && level) work.push(...rowCallees(row, level));
  }
  return seen;
}

function rulesReading(checker: HazardChecker, changed: ReadonlySet<string>): string[] {
  const ids = new Set<string>();
  for (const row of checker.applicability) {
    if (row.reason !== undefined) continue;
    if ([...reach(checker.set, conditionCallees(conditionAt(row.rule, row.level)!, row.level))].some((name) => changed.has(name))) ids.add(row.rule.id);
  }
  return [...ids];
}

/** The entry forms the profile has, each as `form (level)`. */
function formsOf(set: HelperSet): string[] {
  return LEVELS.flatMap((level) => LEGAL_FORMS[level].filter((form) => formExists(form, level, set.profile)).map((form) => `${form} (${level})`));
}

/** The entry forms `after` has and `before` has not. */
function formsAdded(before: HelperSet, after: HelperSet): string[] {
  const had = new Set(formsOf(before));
  return formsOf(after).filter((f) => !had.has(f));
}

function bitsOf(set: HelperSet): string[] {
  return [...set.layout.archBits, ...set.layout.softleafBits];
}

/** What changes in the model of `arch` (and in the rules of `catalogue`) at each of its versions after the oldest. */
export function modelChanges(arch: ArchName, catalogue: readonly RuleDef[] = RULES): ModelChange[] {
  const versions = modelVersions(arch);
  const changes: ModelChange[] = [];
  for (let i = 1; i < versions.length; i++) {
    const before = setAt(arch, versions[i - 1]!);
    const after = setAt(arch, versions[i]!);
    const names = after.names();
    const changed = names.filter((n) => before.has(n) && before.row(n) !== after.row(n));
    const added = names.filter((n) => !before.has(n));
    const removed = before.names().filter((n) => !after.has(n));
    const renamed = removed.flatMap((old) => added.filter((n) => after.row(n) === before.row(old)).slice(0, 1).map((n) => [old, n] as const));
    const isRenamed = (name: string) => renamed.some(([old, n]) => old === name || n === name);
    const checker = new HazardChecker(after, catalogue);
    const rulesBefore = applyingRules(new HazardChecker(before, catalogue));
    const rulesAfter = applyingRules(checker);
    const applying = ruleLevels(levelDifference(rulesAfter, rulesBefore), rulesAfter).map(([, label]) => label);
    const stopping = ruleLevels(levelDifference(rulesBefore, rulesAfter), rulesBefore);
    const change: ModelChange = {
      arch,
      version: versions[i]!,
      since: versions[i - 1]!,
      helpersAdded: added.filter((n) => !isRenamed(n)),
      helpersRemoved: removed.filter((n) => !isRenamed(n)),
      helpersRenamed: renamed,
      helpersChanged: changed,
      bitsAdded: bitsOf(after).filter((b) => !bitsOf(before).includes(b)),
      bitsRemoved: bitsOf(before).filter((b) => !bitsOf(after).includes(b)),
      formsAdded: formsAdded(before, after),
      configAdded: [...after.profile.config].filter((s) => !before.profile.config.has(s)),
      rulesApplying: applying,
      rulesStopping: stopping.map(([id, label]) => ({ rule: label, reason: checker.whyInapplicable(id) ?? '' })),
      rulesChanged: rulesReading(checker, new Set(changed)).filter((id) => !applying.includes(id)),
    };
    changes.push(change);
  }
  return changes;
}

/** `pte_mkwrite`, `pmd_mkwrite` → `{pte,pmd}_mkwrite`. */
export function groupLevels(names: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const match = /pte|pmd|pud/.exec(name);
    const key = match ? name.replace(match[0], '{l}') : name;
    groups.set(key, [...(groups.get(key) ?? []), match ? match[0] : name]);
  }
  const order = (level: string) => (LEVELS as readonly string[]).indexOf(level);
  return [...groups].map(([key, levels]) => {
    if (levels.length === 1 || !key.includes('{l}')) return key.replace('{l}', levels[0]!);
    return key.replace('{l}', `{${[...levels].sort((a, b) => order(a) - order(b)).join(',')}}`);
  });
}

function isEmpty(change: ModelChange): boolean {
  return [change.helpersAdded, change.helpersRemoved, change.helpersRenamed, change.helpersChanged, change.bitsAdded, change.bitsRemoved, change.formsAdded, change.configAdded, change.rulesApplying, change.rulesStopping].every((list) => list.length === 0);
}

function describeChange(change: ModelChange): string {
  const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
  const parts: string[] = [];
  if (change.configAdded.length > 0) parts.push(`config on: ${change.configAdded.join(', ')}`);
  if (change.bitsAdded.length > 0) parts.push(`bits new: ${change.bitsAdded.join(', ')}`);
  if (change.bitsRemoved.length > 0) parts.push(`bits gone: ${change.bitsRemoved.join(', ')}`);
  if (change.formsAdded.length > 0) parts.push(`entry forms new: ${change.formsAdded.join(', ')}`);
  if (change.helpersAdded.length > 0) parts.push(`helpers new: ${code(groupLevels(change.helpersAdded))}`);
  if (change.helpersRemoved.length > 0) parts.push(`helpers gone: ${code(groupLevels(change.helpersRemoved))}`);
  if (change.helpersRenamed.length > 0) parts.push(`helpers renamed: ${change.helpersRenamed.map(([old, n]) => `\`${old}\` → \`${n}\``).join(', ')}`);
  if (change.helpersChanged.length > 0) parts.push(`helpers that change meaning: ${code(groupLevels(change.helpersChanged))}`);
  if (change.rulesApplying.length > 0) parts.push(`rules that start to apply: ${change.rulesApplying.join(', ')}`);
  if (change.rulesStopping.length > 0) parts.push(`rules that stop applying: ${change.rulesStopping.map((r) => `${r.rule} (${r.reason})`).join(', ')}`);
  if (change.rulesChanged.length > 0) parts.push(`rules that read a changed helper: ${change.rulesChanged.join(', ')}`);
  return parts.join('; ');
}

/** The boundary section of docs/profiles.md: per version, what changes on each architecture (identical changes merged). */
export function formatModelChanges(): string {
  const byVersion = new Map<string, { version: Version; archsByText: Map<string, ArchName[]> }>();
  for (const arch of ARCH_NAMES) {
    for (const change of modelChanges(arch)) {
      if (isEmpty(change)) continue;
      const key = formatVersion(change.version);
      const entry = byVersion.get(key) ?? { version: change.version, archsByText: new Map() };
      const text = describeChange(change);
      entry.archsByText.set(text, [...(entry.archsByText.get(text) ?? []), arch]);
      byVersion.set(key, entry);
    }
  }
  const sections = [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
  const initial = ARCH_NAMES.map((arch) => {
    const set = setAt(arch, OLDEST_VERSION);
    const checker = new HazardChecker(set);
    const notApplying = [...new Set(checker.applicability.filter((a) => a.reason !== undefined).map((a) => a.rule.id))];
    const rules = notApplying.map((id) => `  * ${id} — ${checker.whyInapplicable(id)}`);
    return [`* **${arch}**: ${set.names().length} helpers; bits ${bitsOf(set).join(', ')}; rules that do not apply${rules.length > 0 ? ':' : ': none.'}`, ...rules];
  });
  return [
    `### ${formatVersion(OLDEST_VERSION)} (the oldest modelled version)`,
    '',
    ...initial.flat(),
    ...sections.flatMap((s) => ['', `### ${formatVersion(s.version)}`, '', ...[...s.archsByText].map(([text, archs]) => `* **${archs.join(', ')}** — ${text}.`)]),
  ].join('\n');
}
