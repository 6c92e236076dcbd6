// Which analyses a worker is running now, as files of the cache directory: the workers of a check
// reach the same costly callees of the tree at about the same time (the zap_* and reclaim
// functions from different files), and without a claim each analysed them itself. A worker that
// finds a claim waits for the result instead of repeating the work. Best effort, as the rest of
// the cache: a claim that cannot be made is no claim, and one left behind by a worker that died
// is stale after a while (the CLI keeps each run's claims apart, summaryCache.ts).

import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisClaims } from '../analysis/treeSummaries';

/** Longer than any analysis runs (its clock stops it at 30 s): a claim this old was left behind. */
const STALE_MS = 120_000;
const POLL_MS = 20;

export function analysisClaims(directory: string, staleMs = STALE_MS): AnalysisClaims {
  const pathOf = (key: string) => join(directory, key);
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  /** How long ago the claim was made, or undefined when there is none. */
  const age = (key: string): number | undefined => {
    try {
      return Date.now() - statSync(pathOf(key)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const release = (key: string) => {
    try {
      unlinkSync(pathOf(key));
    } catch {
      // gone already
    }
  };
  const create = (key: string): 'made' | 'taken' | 'failed' => {
    try {
      closeSync(openSync(pathOf(key), 'wx'));
      return 'made';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'taken' : 'failed';
    }
  };
  let usable = true;
  return {
    claim(key) {
      if (!usable) return true;
      let made = create(key);
      if (made === 'failed') {
        try {
          mkdirSync(directory, { recursive: true });
        } catch {
          // the claim fails again below
        }
        made = create(key);
      }
      if (made === 'taken' && (age(key) ?? 0) > staleMs) {
        release(key);
        made = create(key);
      }
      if (made === 'failed') usable = false;
      return made !== 'taken';
    },
    release,
    waitFor(key) {
      for (let waited = age(key); waited !== undefined && waited <= staleMs; waited = age(key)) Atomics.wait(sleep, 0, 0, POLL_MS);
    },
  };
}
