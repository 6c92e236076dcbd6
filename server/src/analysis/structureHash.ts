// A stable hash of plain data (analysis results, summaries, IR) walked as a structure, without
// writing it out as text first; typed arrays and plain lists of the same numbers hash alike.

/** Two 32-bit multiplicative lanes over the structure (as contentHash over text), without writing the structure out as text. */
export class StructureHash {
  /** `positions`: `rows` counts lines from a row (summaryFingerprint); `none` leaves every position out, and the IR's hash of its text (irShape). */
  constructor(private readonly positions: 'rows' | 'none' = 'rows') {}

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
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        // the bulk of a summary: its formulas' nodes
        if (typeof item === 'number' && (item | 0) === item) this.word(item);
        else this.value(item, row);
      }
      return;
    }
    const own = typeof (value as { file?: unknown }).file === 'string' ? undefined : row;
    this.word(6);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (this.positions === 'none' && (((key === 'line' || key === 'character') && typeof item === 'number') || key === 'contentHash')) continue;
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
