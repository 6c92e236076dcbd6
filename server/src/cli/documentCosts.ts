// How long each checked document took to analyse, kept in the cache directory: the workers take
// the costliest first, so that no large file starts last and leaves one worker running alone
// (the serial tail). A document is known by its path and text; one not measured yet is
// estimated from its length. Best effort, as the rest of the cache: a file that cannot be read
// or written is no estimate.

import { join } from 'node:path';
import { contentHash } from '../lowering';
import { readJsonFile, writeJsonFile } from './jsonFile';

/** Milliseconds of analysis per character of a document never measured (mm/ of 6.19, cold, one core). */
const MS_PER_CHARACTER = 0.025;

export interface DocumentCosts {
  /** The expected analysis time of a document, in milliseconds. */
  estimate(document: { readonly path: string; readonly text: string }): number;
  /** A document took `ms`: kept when more than it took before (a result read from the cache says nothing of the analysis). */
  record(document: { readonly path: string; readonly text: string }, ms: number): void;
  /** Keeps what was recorded for the next run. */
  save(): void;
}

export function documentCosts(directory: string | undefined): DocumentCosts {
  const file = directory && join(directory, 'costs.json');
  const costs = readCosts(file);
  // what this run's documents took: documents of earlier runs that are gone are not kept
  const kept: Record<string, number> = {};
  const keyOf = (document: { readonly path: string; readonly text: string }) => contentHash(document.path, document.text);
  let changed = false;
  return {
    estimate(document) {
      const key = keyOf(document);
      if (costs[key] === undefined) return document.text.length * MS_PER_CHARACTER;
      kept[key] = costs[key];
      return costs[key];
    },
    record(document, ms) {
      const key = keyOf(document);
      if ((costs[key] ?? 0) >= ms) return;
      costs[key] = kept[key] = Math.round(ms);
      changed = true;
    },
    save() {
      if (!file || !changed) return;
      try {
        writeJsonFile(file, kept);
      } catch {
        // no estimates next time
      }
    },
  };
}

function readCosts(file: string | undefined): Record<string, number> {
  const read = file ? readJsonFile(file) : undefined;
  return read && typeof read === 'object' ? (read as Record<string, number>) : {};
}
