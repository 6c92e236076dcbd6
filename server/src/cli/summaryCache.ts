// Summaries kept on disk between runs of `mmlens check`, under the user's cache directory:
// `$MMLENS_CACHE_DIR`, else `$XDG_CACHE_HOME/mmlens`, else `~/.cache/mmlens`. A summary's key
// says everything it depends on (summaryStore.ts); the directory is also named by the build of
// mmlens that wrote it, so a new engine never reads an old one's summaries. Best effort: a
// cache that cannot be read or written is skipped, never an error.

import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSummary, IrFunction } from '../../../simulator/src';
import type { LoweringBacking } from '../analysis/workspaceFunctions';
import type { AnalysisBacking, StoredAnalysis } from '../analysis/functionCache';
import type { FileResultBacking, StoredFileResult } from '../analysis/fileResults';
import type { RootAnalysis, SummaryBacking } from '../analysis/treeSummaries';
import { readJsonFile, writeJsonFile } from './jsonFile';
import { analysisClaims } from './analysisClaims';

/** The cache directory for what this build writes (`build` identifies the engine). */
export function cacheDirectory(build: string, env: NodeJS.ProcessEnv = process.env): string {
  const root = env['MMLENS_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'mmlens');
  return join(root, 'check', build);
}

/** An identity of the running build: a hash of the bundle's own text. */
export function buildIdentity(bundlePath: string): string {
  try {
    return createHash('sha256').update(readFileSync(bundlePath)).digest('hex').slice(0, 16);
  } catch {
    return 'unknown-build';
  }
}

/** JSON files named by key, two-level, written whole and renamed so that a reader never sees half of one. */
function jsonFiles<T>(directory: string): { read(key: string): T | undefined; write(key: string, value: T): void } {
  let usable = true;
  const pathOf = (key: string) => join(directory, key.slice(0, 2), `${key}.json`);
  return {
    read(key) {
      return usable ? (readJsonFile(pathOf(key)) as T | undefined) : undefined;
    },
    write(key, value) {
      if (!usable) return;
      try {
        writeJsonFile(pathOf(key), value);
      } catch {
        usable = false;
      }
    },
  };
}

/** Summaries of functions of the tree, and their analyses as roots, kept on disk. */
export function summaryBacking(directory: string): SummaryBacking {
  const summaries = jsonFiles<FunctionSummary | null>(join(directory, 'summaries'));
  const roots = withSummaries<RootAnalysis>(join(directory, 'roots'));
  return {
    read: summaries.read,
    write: summaries.write,
    readRoot: (key) => roots.read(rootFileKey(key)),
    writeRoot: (key, analysed) => roots.write(rootFileKey(key), analysed),
    claims: analysisClaims(claimsDirectory(directory)),
  };
}

/**
 * The claims of this run's workers (threads of this process): a run killed halfway leaves its
 * claims where no later run looks.
 */
function claimsDirectory(directory: string): string {
  return join(directory, 'claims', String(process.pid));
}

/** Removes this run's claims directory (best effort). */
export function removeClaims(directory: string): void {
  rmSync(claimsDirectory(directory), { recursive: true, force: true });
}

/** A root's key names the checked files (they decide where findings go): hashed into a file name. */
function rootFileKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whole function analyses of the checked files, kept on disk. */
export function analysisBacking(directory: string): AnalysisBacking {
  return withSummaries<StoredAnalysis>(join(directory, 'analyses'));
}

/** Definitions of the tree, lowered, kept on disk. */
export function loweringBacking(directory: string): LoweringBacking {
  return jsonFiles<IrFunction | null>(join(directory, 'lowerings'));
}

/** Whole results of checked files, kept on disk. */
export function fileResultBacking(directory: string): FileResultBacking {
  return jsonFiles<StoredFileResult>(join(directory, 'files'));
}

/** JSON files of results that may have no summary (kept as null: JSON has no undefined). */
function withSummaries<T extends { readonly summary: FunctionSummary | undefined }>(directory: string): { read(key: string): T | undefined; write(key: string, value: T): void } {
  const files = jsonFiles<Omit<T, 'summary'> & { readonly summary: FunctionSummary | null }>(directory);
  return {
    read: (key) => {
      const stored = files.read(key);
      return stored ? ({ ...stored, summary: stored.summary ?? undefined } as unknown as T) : undefined;
    },
    write: (key, value) => files.write(key, { ...value, summary: value.summary ?? null }),
  };
}
