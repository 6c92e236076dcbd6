// A stable hash of what a summary says, for the keys of its callers' analyses: a caller is
// analysed again when a callee's summary changed, not whenever the callee's text did (an edit
// that leaves the summary as it was re-analyses that function alone). Two summaries with the
// same content have the same fingerprint however they were made: analysed now, read back from
// disk (where the formulas' node array is a plain list), or moved by whole lines.

import type { FunctionSummary } from '../../../simulator/src';

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

/** Two 32-bit multiplicative lanes over the structure (as contentHash over text), without writing the structure out as text. */
class StructureHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;
  /** Whether a line counted from the row was seen. */
  placed = false;

  /** `row`: what this function's lines count from; undefined within another file's object (its lines stay as they are). */
  value(value: unknown, row: number | undefined): void {
    if (value === null || value === undefined) return this.word(value === null ? 1 : 2);
    switch (typeof value) {
      case 'number':
        return this.number(value);
      case 'string':
        return this.text(value);
      case 'boolean':
        return this.word(value ? 3 : 4);
      case 'object':
        break;
      default:
        return this.text(String(value));
    }
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const list = value as ArrayLike<unknown>;
      this.word(5);
      this.word(list.length);
      for (let i = 0; i < list.length; i++) this.value(list[i], row);
      return;
    }
    const own = typeof (value as { file?: unknown }).file === 'string' ? undefined : row;
    this.word(6);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      this.text(key);
      if (key === 'line' && typeof item === 'number') {
        this.number(item - (own ?? 0));
        if (own !== undefined) this.placed = true;
      } else this.value(item, own);
    }
    this.word(7);
  }

  digest(): string {
    let h1 = this.h1 ^ (this.h1 >>> 16);
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    let h2 = Math.imul(this.h2 ^ (this.h2 >>> 16), 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }

  private number(n: number): void {
    if (Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) {
      this.word(8);
      this.word(n);
    } else this.text(String(n));
  }

  private text(text: string): void {
    this.word(9);
    this.word(text.length);
    for (let i = 0; i < text.length; i++) this.word(text.charCodeAt(i));
  }

  private word(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ w, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 15;
  }
}
