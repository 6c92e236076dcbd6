// A fast, stable 64-bit hash (two 32-bit FNV-1a-style lanes mixed with Math.imul), as 16 hex
// digits. Used as a cache key; not cryptographic.

/** The two lanes: words mixed in one by one, then finalised into 16 hex digits. */
export class HashLanes {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;

  protected mix(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ w, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 15;
  }

  /** A separator, so that ("ab", "c") and ("a", "bc") differ. */
  protected separate(): void {
    this.h1 = Math.imul(this.h1 ^ 0xffff, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ 0xffff, 0x5bd1e995);
  }

  digest(): string {
    let h1 = this.h1 ^ (this.h1 >>> 16);
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    let h2 = Math.imul(this.h2 ^ (this.h2 >>> 16), 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
}

class TextHash extends HashLanes {
  add(text: string): void {
    for (let i = 0; i < text.length; i++) this.mix(text.charCodeAt(i));
    this.separate();
  }
}

/** The hash of a function's text (and whatever else keys it), part by part. */
export function contentHash(...parts: readonly string[]): string {
  const hash = new TextHash();
  for (const part of parts) hash.add(part);
  return hash.digest();
}
