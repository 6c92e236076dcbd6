// The kernel tree of a check: its root (a top-level Makefile with VERSION and PATCHLEVEL, beside
// arch/ and include/), the version the Makefile names, and the `.config` at the root when there
// is one. Named explicitly (`--tree`, `mmlens.tree`) or found above a checked file. Reads files
// only; each root is read again only when its Makefile or .config changed.

import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_SYMBOLS, parseVersion, type ArchName, type Version } from '../../../simulator/src';

export interface KernelTree {
  readonly root: string;
  /** VERSION.PATCHLEVEL.SUBLEVEL and EXTRAVERSION as the Makefile writes them, e.g. `6.19.9-rc2`. */
  readonly release: string;
  /** x.y, when the model covers it (3.10 … 7.x). */
  readonly version: Version | undefined;
  readonly config?: KernelConfig;
}

export interface KernelConfig {
  readonly path: string;
  /** From CONFIG_X86_64 / CONFIG_ARM64; `generic` for a .config of any other architecture. */
  readonly arch: ArchName;
  /** The profile symbols (CONFIG_SYMBOLS) this .config enables, without CONFIG_; plain data so it can go to a worker. */
  readonly enabled: readonly string[];
}

/** A directory named as a kernel tree is not one. */
export class KernelTreeError extends Error {}

/** Directories every kernel tree has beside its Makefile (a partial checkout keeps at least these). */
const TREE_DIRECTORIES = ['arch', 'include'];
/** The version variables sit in the Makefile's first lines. */
const MAKEFILE_HEAD_BYTES = 4096;

export interface MakefileVersion {
  readonly release: string;
  readonly version: Version | undefined;
}

/** VERSION / PATCHLEVEL / SUBLEVEL / EXTRAVERSION from the head of a top-level kernel Makefile. */
export function parseMakefileVersion(text: string): MakefileVersion | undefined {
  const head = text.slice(0, MAKEFILE_HEAD_BYTES);
  const variable = (name: string) => new RegExp(`^${name}[ \\t]*=[ \\t]*(\\S*)[ \\t]*$`, 'm').exec(head)?.[1];
  const major = variable('VERSION');
  const minor = variable('PATCHLEVEL');
  if (!major || !minor || !/^\d+$/.test(major) || !/^\d+$/.test(minor)) return undefined;
  const sublevel = variable('SUBLEVEL');
  const release = `${major}.${minor}${sublevel && /^\d+$/.test(sublevel) ? `.${sublevel}` : ''}${variable('EXTRAVERSION') ?? ''}`;
  let version: Version | undefined;
  try {
    version = parseVersion(`${major}.${minor}`);
  } catch {
    version = undefined;
  }
  return { release, version };
}

/** `CONFIG_X=y` or `=m` enables X; `# CONFIG_X is not set` and absence leave it off. */
export function parseKernelConfig(text: string, path: string): KernelConfig {
  const on = new Set<string>();
  for (const match of text.matchAll(/^CONFIG_([A-Za-z0-9_]+)=([ym])[ \t]*$/gm)) on.add(match[1]!);
  const arch: ArchName = on.has('X86_64') ? 'x86_64' : on.has('ARM64') ? 'arm64' : 'generic';
  return { path, arch, enabled: Object.keys(CONFIG_SYMBOLS).filter((symbol) => on.has(symbol)) };
}

const read = new Map<string, { readonly stamp: string; readonly tree: KernelTree }>();

function stamp(stats: Stats | undefined): string {
  return stats ? `${stats.mtimeMs}:${stats.size}` : '-';
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The tree rooted at `directory`, or why it is not one. */
function readTree(directory: string): KernelTree | string {
  const root = resolve(directory);
  const makefile = join(root, 'Makefile');
  const configPath = join(root, '.config');
  const makefileStats = statSync(makefile, { throwIfNoEntry: false });
  if (!makefileStats?.isFile()) return `${root} has no Makefile`;
  const missing = TREE_DIRECTORIES.filter((name) => !isDirectory(join(root, name)));
  if (missing.length > 0) return `${root} has no ${missing.join('/ or ')}/ directory beside its Makefile`;
  const configStats = statSync(configPath, { throwIfNoEntry: false });
  const key = `${stamp(makefileStats)} ${stamp(configStats?.isFile() ? configStats : undefined)}`;
  const kept = read.get(root);
  if (kept?.stamp === key) return kept.tree;
  let makefileText: string;
  try {
    makefileText = readFileSync(makefile, 'utf8');
  } catch (error) {
    return `${makefile}: ${(error as Error).message}`;
  }
  const version = parseMakefileVersion(makefileText);
  if (!version) return `${makefile} does not set VERSION and PATCHLEVEL`;
  let config: KernelConfig | undefined;
  if (configStats?.isFile()) {
    try {
      config = parseKernelConfig(readFileSync(configPath, 'utf8'), configPath);
    } catch {
      config = undefined; // unreadable: as if there were none
    }
  }
  const tree: KernelTree = { root, ...version, ...(config ? { config } : {}) };
  read.set(root, { stamp: key, tree });
  return tree;
}

/** The tree at `directory` (from `--tree` or `mmlens.tree`); throws KernelTreeError saying why it is not one. */
export function openKernelTree(directory: string): KernelTree {
  if (!isDirectory(directory)) throw new KernelTreeError(`${directory} is not a directory`);
  const tree = readTree(directory);
  if (typeof tree === 'string') throw new KernelTreeError(`${directory} is not a kernel tree: ${tree}`);
  return tree;
}

/** The innermost kernel tree holding `path` (a file or directory), if any. */
export function findKernelTree(path: string): KernelTree | undefined {
  let directory = resolve(path);
  if (!isDirectory(directory)) directory = dirname(directory);
  for (;;) {
    const tree = readTree(directory);
    if (typeof tree !== 'string') return tree;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}
