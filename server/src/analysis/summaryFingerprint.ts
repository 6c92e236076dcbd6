// A stable hash of what a summary says, for the keys of its callers' analyses: a caller is
// analysed again when a callee's summary changed, not whenever the callee's text did (an edit
// that leaves the summary as it was re-analyses that function alone). Two summaries with the
// same content have the same fingerprint however they were made: analysed now, read back from
// disk (where the formulas' node array is a plain list), or moved by whole lines.

import type { FunctionSummary } from '../../../simulator/src';
import { StructureHash } from './structureHash';

interface Fingerprint {
  readonly hash: string;
  /** Whether the summary holds lines of its own function's file (a caller's results then carry them, placed relative to it). */
  readonly placed: boolean;
}

const fingerprints = new WeakMap<FunctionSummary, Map<number, Fingerprint>>();

/**
 * The fingerprint of `summary` with its lines counted from `row` (the row its function had when
 * analysed), so that a function moved up or down keeps its fingerprint. Lines of another file
 * (an object with a `file`) are its own and stay as they are. Memoised per summary object.
 */
export function summaryFingerprint(summary: FunctionSummary | undefined, row = 0): string {
  return summary ? fingerprintOf(summary, row).hash : '-';
}

/**
 * What a caller's key says of a callee of its own unit: the callee's summary (analysed at
 * `row`), and where the callee is from the caller (`offset` rows) when the summary holds lines
 * the caller's results would carry — a summary without lines is the same wherever it sits.
 */
export function ownCalleeKey(summary: FunctionSummary | undefined, row: number, offset: number): string {
  if (!summary) return '-';
  const { hash, placed } = fingerprintOf(summary, row);
  return placed ? `${hash}@${offset}` : hash;
}

function fingerprintOf(summary: FunctionSummary, row: number): Fingerprint {
  let byRow = fingerprints.get(summary);
  if (!byRow) fingerprints.set(summary, (byRow = new Map()));
  let fingerprint = byRow.get(row);
  if (!fingerprint) {
    const hash = new StructureHash();
    hash.value(summary, row);
    fingerprint = { hash: hash.digest(), placed: hash.placed };
    byRow.set(row, fingerprint);
  }
  return fingerprint;
}
