// Where a fix side's file text can come from, and the local cache it is copied into.
// Sources, tried in order: a kernel clone with full history (MMLENS_KERNEL_GIT), then the
// release trees the data names, looked up under MMLENS_KERNEL_TREES and the snapshot
// directory (MMLENS_MIRRORS, default /work/.mirror) as `<owner>+<name>` (a checkout, a
// bare git directory, or one with `repo/` inside). Nothing here is ever committed.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { mainlineOf, type RealFix, type SideName, type TreeSource } from './data';

export interface SourceEnvironment {
  readonly kernelGit?: string;
  readonly treeDirs: readonly string[];
  readonly cacheDir: string;
}

export function sourceEnvironment(env: NodeJS.ProcessEnv = process.env): SourceEnvironment {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  const treeDirs = [env.MMLENS_KERNEL_TREES, env.MMLENS_MIRRORS ?? '/work/.mirror'].filter((d): d is string => !!d);
  return {
    ...(env.MMLENS_KERNEL_GIT ? { kernelGit: env.MMLENS_KERNEL_GIT } : {}),
    treeDirs,
    cacheDir: env.MMLENS_REAL_FIXES_CACHE || join(cacheHome, 'mmlens', 'real-fixes'),
  };
}

/** What the cache records beside each side's file. */
export interface CachedSide {
  /** Human-readable origin: `torvalds/linux <commit>` or `<owner/name>@<release>`. */
  readonly origin: string;
  /** The x.y whose semantics the side is analysed at. */
  readonly version: string;
}

export function sideDir(cacheDir: string, fix: RealFix, side: SideName): string {
  return join(cacheDir, fix.id, side);
}

export function cachedFilePath(cacheDir: string, fix: RealFix, side: SideName): string {
  return join(sideDir(cacheDir, fix, side), fix.path);
}

export function readCachedSide(cacheDir: string, fix: RealFix, side: SideName): { text: string; meta: CachedSide } | undefined {
  const file = cachedFilePath(cacheDir, fix, side);
  const metaFile = join(sideDir(cacheDir, fix, side), 'source.json');
  if (!existsSync(file) || !existsSync(metaFile)) return undefined;
  try {
    return { text: readFileSync(file, 'utf8'), meta: JSON.parse(readFileSync(metaFile, 'utf8')) as CachedSide };
  } catch {
    return undefined;
  }
}

function gitShow(gitDir: string, rev: string, path: string): string | undefined {
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${rev}:${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function gitDirOf(dir: string): string | undefined {
  for (const candidate of [join(dir, '.git'), dir]) {
    if (existsSync(join(candidate, 'HEAD')) && existsSync(join(candidate, 'objects'))) return candidate;
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The text of `path` in one release tree, from the first place that has that tree. */
export function readFromTree(treeDirs: readonly string[], tree: TreeSource, path: string): string | undefined {
  const local = tree.repository.replace('/', '+');
  const inside = `${tree.prefix ?? ''}${path}`;
  for (const base of treeDirs) {
    for (const dir of [join(base, local, 'repo'), join(base, local)]) {
      if (!isDirectory(dir)) continue;
      const gitDir = gitDirOf(dir);
      const text = gitDir ? gitShow(gitDir, tree.ref ?? 'HEAD', inside) : undefined;
      if (text !== undefined) return text;
      const plain = join(dir, inside);
      if (existsSync(plain)) return readFileSync(plain, 'utf8');
    }
  }
  return undefined;
}

export type Resolution = { readonly text: string; readonly meta: CachedSide } | { readonly missing: string };

/** One side's file from the first reachable source, or why none was. */
export function resolveSide(env: SourceEnvironment, fix: RealFix, side: SideName): Resolution {
  const wanted = fix[side];
  if (env.kernelGit) {
    const gitDir = gitDirOf(env.kernelGit);
    const text = gitDir ? gitShow(gitDir, wanted.commit, fix.path) : undefined;
    // fix^ lies in the development of the fix's release, so both sides run at that release
    if (text !== undefined) return { text, meta: { origin: `${fix.repository} ${wanted.commit}`, version: fix.release } };
  }
  for (const tree of wanted.trees) {
    const text = readFromTree(env.treeDirs, tree, fix.path);
    if (text !== undefined) return { text, meta: { origin: `${tree.repository}@${tree.release}`, version: mainlineOf(tree.release) } };
  }
  const tried = [env.kernelGit ? `no ${wanted.commit} in ${env.kernelGit}` : 'MMLENS_KERNEL_GIT unset'];
  tried.push(wanted.trees.length === 0 ? 'no release tree listed' : `none of ${wanted.trees.map((t) => t.repository).join(', ')} under ${env.treeDirs.join(' or ') || '(no tree directory)'}`);
  return { missing: tried.join('; ') };
}

export function writeCachedSide(cacheDir: string, fix: RealFix, side: SideName, text: string, meta: CachedSide): void {
  const file = cachedFilePath(cacheDir, fix, side);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  writeFileSync(join(sideDir(cacheDir, fix, side), 'source.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
