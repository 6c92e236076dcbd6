// Profiles: architecture × kernel version × config, chosen by name
// (`x86_64`, `x86_64@6.1`, `arm64 +NUMA_BALANCING`, `x86_64 -X86_USER_SHADOW_STACK`).
// Which symbols exist from which version is data (CONFIG_SYMBOLS below);
// docs/profiles.md gives the evidence for every boundary.

export type ArchName = 'x86_64' | 'arm64' | 'generic';
export const ARCH_NAMES: readonly ArchName[] = ['x86_64', 'arm64', 'generic'];

/** A kernel version x.y; patch levels are ignored. */
export interface Version {
  readonly major: number;
  readonly minor: number;
}

export const OLDEST_VERSION: Version = { major: 3, minor: 10 };
export const NEWEST_MAJOR = 7;
/** The version a profile name without `@x.y` means: the tree SEMANTICS.md was written against. */
export const DEFAULT_VERSION: Version = { major: 6, minor: 19 };

export interface Profile {
  /** Canonical name, e.g. `x86_64@6.19`, `arm64@6.19 -HAVE_ARCH_USERFAULTFD_WP`. */
  readonly name: string;
  readonly arch: ArchName;
  readonly version: Version;
  /** Enabled config symbols and CPU features, without the CONFIG_ prefix. */
  readonly config: ReadonlySet<string>;
}

interface SymbolInfo {
  readonly archs: readonly ArchName[];
  /** First version where the symbol exists (inclusive). */
  readonly since?: string;
  /** Per-architecture first versions, where they differ from `since`. */
  readonly sinceByArch?: Partial<Record<ArchName, string>>;
  /** Enabled unless a profile removes it. */
  readonly defaultOn: boolean;
  readonly what: string;
}

const ALL: readonly ArchName[] = ARCH_NAMES;

/** Config symbols and CPU features the model reads (SEMANTICS §4.5). */
export const CONFIG_SYMBOLS: Readonly<Record<string, SymbolInfo>> = {
  MEM_SOFT_DIRTY: { archs: ['x86_64', 'generic'], since: '3.11', defaultOn: true, what: 'soft-dirty bits and VM_SOFTDIRTY (needs HAVE_ARCH_SOFT_DIRTY: x86 here)' },
  HAVE_ARCH_USERFAULTFD_WP: { archs: ['x86_64', 'arm64', 'generic'], since: '5.7', sinceByArch: { arm64: '6.10' }, defaultOn: true, what: 'uffd-wp bits in present and swap entries, VM_UFFD_WP' },
  PTE_MARKER_UFFD_WP: { archs: ALL, since: '5.19', defaultOn: true, what: 'uffd-wp PTE markers (file-backed uffd-wp)' },
  X86_USER_SHADOW_STACK: { archs: ['x86_64'], since: '6.6', defaultOn: true, what: 'VM_SHADOW_STACK and the shadow-stack branch of pte_mkwrite' },
  X86_FEATURE_SHSTK: { archs: ['x86_64'], since: '6.6', defaultOn: true, what: 'CPU has CET shadow stacks: pte_shstk() can be true' },
  NUMA_BALANCING: { archs: ALL, defaultOn: true, what: 'pte_protnone() is real; MM_CP_PROT_NUMA' },
  TRANSPARENT_HUGEPAGE: { archs: ALL, defaultOn: true, what: 'PMD leaves (THP)' },
  HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: { archs: ['x86_64'], defaultOn: true, what: 'PUD leaves (DAX/pfnmap)' },
  ARCH_ENABLE_THP_MIGRATION: { archs: ALL, defaultOn: true, what: 'PMD migration entries' },
  MIGRATION: { archs: ALL, defaultOn: true, what: 'migration entries' },
  MIGRATION_ENTRY_AD: { archs: ALL, since: '6.1', defaultOn: true, what: 'migration entries carry young/dirty (migration_entry_supports_ad())' },
  DEVICE_PRIVATE: { archs: ALL, defaultOn: true, what: 'device-private and device-exclusive entries' },
  MEMORY_FAILURE: { archs: ALL, defaultOn: true, what: 'hwpoison entries' },
  ARCH_SUPPORTS_PMD_PFNMAP: { archs: ['x86_64', 'arm64'], defaultOn: true, what: 'special PMDs (pmd_mkspecial)' },
  ARCH_SUPPORTS_PUD_PFNMAP: { archs: ['x86_64'], defaultOn: true, what: 'special PUDs (pud_mkspecial)' },
};

export class ProfileError extends Error {}

const ARCH_ALIASES: Readonly<Record<string, ArchName>> = {
  x86_64: 'x86_64',
  'x86-64': 'x86_64',
  x86: 'x86_64',
  amd64: 'x86_64',
  arm64: 'arm64',
  aarch64: 'arm64',
  generic: 'generic',
};

export function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!match) throw new ProfileError(`"${text}" is not a kernel version (expected x.y, e.g. 6.1)`);
  const version = { major: Number(match[1]), minor: Number(match[2]) };
  if (compareVersions(version, OLDEST_VERSION) < 0 || version.major > NEWEST_MAJOR) {
    throw new ProfileError(`kernel ${text} is outside the modelled range 3.10 … ${NEWEST_MAJOR}.x`);
  }
  return version;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}`;
}

/** Is `version` in [since, until)? Either bound may be missing. */
export function inVersionRange(version: Version, since?: string, until?: string): boolean {
  if (since !== undefined && compareVersions(version, tableVersion(since)) < 0) return false;
  if (until !== undefined && compareVersions(version, tableVersion(until)) >= 0) return false;
  return true;
}

const versionCache = new Map<string, Version>();
/** A version as the tables write it (`6.2`), not checked against the modelled range. */
export function tableVersion(text: string): Version {
  let v = versionCache.get(text);
  if (!v) {
    const [major, minor] = text.split('.').map(Number);
    v = { major: major!, minor: minor! };
    versionCache.set(text, v);
  }
  return v;
}

function symbolAvailable(symbol: string, arch: ArchName, version: Version): string | undefined {
  const info = CONFIG_SYMBOLS[symbol];
  if (!info) {
    return `unknown config symbol ${symbol} (known: ${Object.keys(CONFIG_SYMBOLS).join(', ')})`;
  }
  if (!info.archs.includes(arch)) return `${symbol} does not exist on ${arch}`;
  const since = info.sinceByArch?.[arch] ?? info.since;
  if (!inVersionRange(version, since)) return `${symbol} exists from kernel ${since} on ${arch}, not in ${formatVersion(version)}`;
  return undefined;
}

/**
 * Parses `arch[@x.y] [+SYM|-SYM]…`. Throws ProfileError with a message fit
 * for the user when the name is not a profile.
 */
export function parseProfile(spec: string): Profile {
  const text = spec.trim();
  const head = /^([A-Za-z0-9_-]+?)(?:@([0-9.]+))?(?=$|[\s+-])/.exec(text);
  if (!head) throw new ProfileError(`"${spec}" is not a profile (expected e.g. x86_64, x86_64@6.1, arm64 +NUMA_BALANCING)`);
  const arch = ARCH_ALIASES[head[1]!.toLowerCase()];
  if (!arch) throw new ProfileError(`unknown architecture "${head[1]}" (known: ${ARCH_NAMES.join(', ')})`);
  const version = head[2] ? parseVersion(head[2]) : DEFAULT_VERSION;
  const config = new Set<string>();
  for (const [symbol, info] of Object.entries(CONFIG_SYMBOLS)) {
    if (info.defaultOn && symbolAvailable(symbol, arch, version) === undefined) config.add(symbol);
  }
  const rest = text.slice(head[0].length);
  const overrides = rest.match(/[+-][A-Za-z0-9_]+|\S+/g) ?? [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const item of overrides) {
    if (!/^[+-]/.test(item)) throw new ProfileError(`"${item}" in profile "${spec}": config overrides look like +SYMBOL or -SYMBOL`);
    const symbol = item.slice(1).replace(/^CONFIG_/, '');
    if (item[0] === '+') {
      const problem = symbolAvailable(symbol, arch, version);
      if (problem) throw new ProfileError(`profile "${spec}": ${problem}`);
      config.add(symbol);
      added.push(symbol);
    } else {
      if (!CONFIG_SYMBOLS[symbol]) throw new ProfileError(`profile "${spec}": ${symbolAvailable(symbol, arch, version)}`);
      config.delete(symbol);
      removed.push(symbol);
    }
  }
  const suffix = [...added.map((s) => `+${s}`), ...removed.map((s) => `-${s}`)].join(' ');
  const name = `${arch}@${formatVersion(version)}${suffix ? ' ' + suffix : ''}`;
  return { name, arch, version, config };
}

export function isEnabled(profile: Profile, symbol: string): boolean {
  return profile.config.has(symbol.replace(/^CONFIG_/, ''));
}

/** Why a config symbol is off on a profile (it does not exist there, or the profile turns it off); undefined when on. */
export function whyDisabled(profile: Profile, symbol: string): string | undefined {
  const bare = symbol.replace(/^CONFIG_/, '');
  if (isEnabled(profile, bare)) return undefined;
  const info = CONFIG_SYMBOLS[bare];
  if (!info) return 'not a modelled config symbol';
  if (!info.archs.includes(profile.arch)) return `not on ${profile.arch}`;
  const since = info.sinceByArch?.[profile.arch] ?? info.since;
  if (!inVersionRange(profile.version, since)) return `defined from ${since} on ${profile.arch}, not in ${formatVersion(profile.version)}`;
  return info.defaultOn ? `turned off by the profile (-${bare})` : `off unless the profile adds +${bare}`;
}
