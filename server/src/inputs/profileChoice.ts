// Which profile a document is analysed on, and why. The first that speaks wins:
//   @mm profile annotation > --profile / mmlens.profile > the kernel tree (Makefile, .config)
//   > a version in the mail's subject > its base-commit (resolved in a local git tree)
//   > its Date: (the release in development that day) > the default (x86_64@6.19).
// The architecture comes with the source that names it (a .config), else from the checked
// path or the patched paths (`arch/arm64/…`), else x86_64. The annotation is applied by the
// engine per function; `withAnnotations` reports it once the document is analysed.

import { relative } from 'node:path';
import { CONFIG_SYMBOLS, DEFAULT_VERSION, formatVersion, inVersionRange, parseProfile, type Annotation, type ArchName, type Version } from '../../../simulator/src';
import { AUTO_PROFILE } from '../protocol';
import type { MakefileVersion, KernelConfig, KernelTree } from './kernelTree';
import { archOfPaths, type MailHints, type PathArch } from './mailHints';
import { versionInDevelopmentOn } from './releaseDates';

/** Stable keywords (JSON `profileSource`, the status notification). */
export type ProfileSource = 'annotation' | 'flag' | 'setting' | 'tree' | 'subject' | 'base-commit' | 'date' | 'default';

export interface ProfileChoice {
  /** The canonical profile name, e.g. `x86_64@6.1`, `arm64@6.19 -HAVE_ARCH_USERFAULTFD_WP`. */
  readonly profile: string;
  readonly source: ProfileSource;
  /** For people: `from the mail's Date: 2022-12-05`. */
  readonly reason: string;
}

export interface ProfileEvidence {
  /** The profile the user gave; none or `auto` lets the document choose. */
  readonly given?: string;
  readonly givenBy?: 'flag' | 'setting';
  /** The kernel tree of this check (named, or found above the document). */
  readonly tree?: KernelTree;
  /** The checked document's absolute path, when it has one (its `arch/…` part names an architecture). */
  readonly path?: string;
  readonly mail?: MailHints;
  /** Resolves a base-commit to the Makefile version at that commit, when a local repository has it. */
  readonly commitVersion?: (commit: string) => MakefileVersion | undefined;
}

const DEFAULT_ARCH: ArchName = 'x86_64';

/** Profile symbols a .config does not decide: CPU features and run-time conditions, not Kconfig symbols. */
const NOT_KCONFIG: ReadonlySet<string> = new Set(['X86_FEATURE_SHSTK', 'MIGRATION_ENTRY_AD']);

export function isAutoProfile(spec: string | undefined): boolean {
  return spec === undefined || spec.trim().toLowerCase() === AUTO_PROFILE;
}

export function chooseProfile(evidence: ProfileEvidence): ProfileChoice {
  if (!isAutoProfile(evidence.given)) {
    const by = evidence.givenBy ?? 'setting';
    return { profile: parseProfile(evidence.given!).name, source: by, reason: by === 'flag' ? 'from --profile' : 'from the mmlens.profile setting' };
  }
  return fromTree(evidence) ?? fromMail(evidence) ?? fromDefault(evidence);
}

function fromTree({ tree, path }: ProfileEvidence): ProfileChoice | undefined {
  if (!tree?.version) return undefined;
  const fileArch = path ? archOfPaths([relative(tree.root, path).split('\\').join('/')]) : undefined;
  const config = tree.config && (!fileArch || fileArch.arch === tree.config.arch) ? tree.config : undefined;
  const arch = fileArch?.arch ?? config?.arch ?? DEFAULT_ARCH;
  const read = [`Makefile ${tree.release}`, config ? '.config' : tree.config ? `.config ignored: it is for ${tree.config.arch}` : 'no .config'];
  const archReason = fileArch ? `; ${arch} from the path ${fileArch.path}` : '';
  return { profile: profileName(arch, tree.version, config), source: 'tree', reason: `from the kernel tree at ${tree.root}: ${read.join(', ')}${archReason}` };
}

function fromMail({ mail, commitVersion }: ProfileEvidence): ProfileChoice | undefined {
  if (!mail) return undefined;
  const arch = mail.patchedArch?.arch ?? DEFAULT_ARCH;
  const suffix = archSuffix(mail.patchedArch);
  const subject = mail.subject?.version;
  if (subject) return { profile: profileName(arch, subject.version), source: 'subject', reason: `from the subject's "${subject.token}"${suffix}` };
  const base = mail.baseCommit ? commitVersion?.(mail.baseCommit) : undefined;
  if (base?.version) return { profile: profileName(arch, base.version), source: 'base-commit', reason: `from the mail's base-commit ${mail.baseCommit!.slice(0, 12)} (Makefile ${base.release} there)${suffix}` };
  const day = mail.date?.day;
  const dated = day ? versionInDevelopmentOn(day) : undefined;
  if (dated?.version) return { profile: profileName(arch, dated.version), source: 'date', reason: `from the mail's Date: ${day}${suffix}` };
  return undefined;
}

function fromDefault({ mail, tree }: ProfileEvidence): ProfileChoice {
  const arch = mail?.patchedArch?.arch ?? DEFAULT_ARCH;
  const unused = [
    tree && !tree.version ? `the kernel tree at ${tree.root} is ${tree.release}, outside the modelled 3.10 … 7.x` : undefined,
    mail?.date ? `the Date: ${mail.date.day ? undatedWhy(mail.date.day) : `"${mail.date.text}" is not a date mmlens reads`}` : undefined,
  ].filter((note) => note !== undefined);
  return {
    profile: profileName(arch, DEFAULT_VERSION),
    source: 'default',
    reason: `the default: no annotation, setting, kernel tree or mail header chose one${archSuffix(mail?.patchedArch)}${unused.map((note) => `; ${note}`).join('')}`,
  };
}

function undatedWhy(day: string): string {
  const dated = versionInDevelopmentOn(day);
  return dated.version ? day : dated.why;
}

function archSuffix(patched: PathArch | undefined): string {
  return patched ? `; ${patched.arch} from the patched path ${patched.path}` : '';
}

/** `arch@x.y`, with a .config's differences from the profile's defaults as +SYMBOL / -SYMBOL. */
function profileName(arch: ArchName, version: Version, config?: KernelConfig): string {
  return parseProfile([`${arch}@${formatVersion(version)}`, ...(config ? configOverrides(config, arch, version) : [])].join(' ')).name;
}

/** The symbols the model knows, set as the .config sets them where that differs from the default. */
export function configOverrides(config: KernelConfig, arch: ArchName, version: Version): string[] {
  const enabled = new Set(config.enabled);
  const overrides: string[] = [];
  for (const [symbol, info] of Object.entries(CONFIG_SYMBOLS)) {
    if (NOT_KCONFIG.has(symbol) || !info.archs.includes(arch) || !inVersionRange(version, info.sinceByArch?.[arch] ?? info.since)) continue;
    if (info.defaultOn && !enabled.has(symbol)) overrides.push(`-${symbol}`);
    if (!info.defaultOn && enabled.has(symbol)) overrides.push(`+${symbol}`);
  }
  return overrides;
}

/**
 * After analysis: an `@mm profile` annotation the functions followed wins. When only some
 * functions follow one, the document's choice stands and the reason says so.
 */
export function withAnnotations(choice: ProfileChoice, annotations: readonly Annotation[], usedProfiles: readonly string[]): ProfileChoice {
  const annotated = annotations.flatMap((a) => {
    if (a.kind !== 'profile') return [];
    try {
      return [{ profile: parseProfile(a.spec).name, line: a.range.start.line + 1 }];
    } catch {
      return []; // reported as an annotation error
    }
  });
  const followed = annotated.find((a) => usedProfiles.length === 0 || usedProfiles.includes(a.profile));
  if (!followed) return choice;
  if (usedProfiles.every((p) => p === followed.profile)) return { profile: followed.profile, source: 'annotation', reason: `from the @mm profile annotation on line ${followed.line}` };
  return { ...choice, reason: `${choice.reason}; functions under the @mm profile annotation on line ${followed.line} use ${followed.profile}` };
}
