// A stable hash of plain data (analysis results, summaries, IR) walked as a structure, without
// writing it out as text first; typed arrays and plain lists of the same numbers hash alike.

import { HashLanes } from '../lowering/contentHash';

/** contentHash's two lanes over the structure, without writing the structure out as text. */
export class StructureHash extends HashLanes {
  /** `positions`: `rows` counts lines from a row (summaryFingerprint); `none` leaves every position out, and the IR's hash of its text (irShape). */
  constructor(private readonly positions: 'rows' | 'none' = 'rows') {
    super();
  }

  /** Whether a line counted from the row was seen. */
  placed = false;

  /** `row`: what this function's lines count from; undefined within another file's object (its lines stay as they are). */
  value(value: unknown, row: number | undefined): void {
    if (value === null || value === undefined) return this.mix(value === null ? 1 : 2);
    switch (typeof value) {
      case 'number':
        return this.number(value);
      case 'string':
        return this.text(value);
      case 'boolean':
        return this.mix(value ? 3 : 4);
      case 'object':
        break;
      default:
        return this.text(String(value));
    }
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const list = value as ArrayLike<unknown>;
      this.mix(5);
      this.mix(list.length);
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        // the bulk of a summary: its formulas' nodes
        if (typeof item === 'number' && (item | 0) === item) this.mix(item);
        else this.value(item, row);
      }
      return;
    }
    const own = typeof (value as { file?: unknown }).file === 'string' ? undefined : row;
    this.mix(6);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (this.positions === 'none' && (((key === 'line' || key === 'character') && typeof item === 'number') || key === 'contentHash')) continue;
      this.text(key);
      if (key === 'line' && typeof item === 'number') {
        this.number(item - (own ?? 0));
        if (own !== undefined) this.placed = true;
      } else this.value(item, own);
    }
    this.mix(7);
  }

  private number(n: number): void {
    if (Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) {
      this.mix(8);
      this.mix(n);
    } else this.text(String(n));
  }

  private text(text: string): void {
    this.mix(9);
    this.mix(text.length);
    for (let i = 0; i < text.length; i++) this.mix(text.charCodeAt(i));
  }
}
