// A cache whose entries live as long as someone uses them. Each owner (an open document) says,
// after each run, which keys that run used; an entry no owner uses any more is kept among a few
// spares (an undo brings it back) and then dropped. So the server holds what its open documents
// are made of and little else, however many edits it has seen. Entries stored without an owner
// (the CLI's) are spares from the start, and the spares are a plain bounded cache.

import { Lru } from './lru';

interface Held<V> {
  readonly value: V;
  readonly owners: Set<string>;
}

export class RetainedCache<V> {
  private readonly held = new Map<string, Held<V>>();
  private readonly spares: Lru<string, V>;
  /** Per owner, the keys it holds: those of its last finished run and of any run since. */
  private readonly keysOf = new Map<string, Set<string>>();

  /** `spares`: how many unused entries to keep (between this and twice as many). */
  constructor(spares: number) {
    this.spares = new Lru(spares);
  }

  /** The entry, if kept; with `owner`, that owner now holds it. */
  get(key: string, owner?: string): V | undefined {
    const held = this.held.get(key);
    if (held) {
      if (owner !== undefined) this.hold(owner, key, held);
      return held.value;
    }
    const spare = this.spares.get(key);
    if (spare !== undefined && owner !== undefined) this.hold(owner, key, { value: spare, owners: new Set() });
    return spare;
  }

  set(key: string, value: V, owner?: string): void {
    if (owner === undefined) {
      const held = this.held.get(key);
      if (held) this.held.set(key, { value, owners: held.owners });
      else this.spares.set(key, value);
      return;
    }
    this.hold(owner, key, { value, owners: this.held.get(key)?.owners ?? new Set() });
  }

  /** After a finished run of `owner`: it holds only `used` now; entries nobody holds become spares. */
  retain(owner: string, used: ReadonlySet<string>): void {
    const keys = this.keysOf.get(owner);
    if (!keys) return;
    for (const key of keys) {
      if (used.has(key)) continue;
      keys.delete(key);
      this.letGo(owner, key);
    }
    if (keys.size === 0) this.keysOf.delete(owner);
  }

  /** The owner is gone (its document closed). */
  release(owner: string): void {
    this.retain(owner, new Set());
  }

  /** Entries some owner holds (for tests and logs). */
  get heldCount(): number {
    return this.held.size;
  }

  private hold(owner: string, key: string, held: Held<V>): void {
    held.owners.add(owner);
    this.held.set(key, held);
    this.spares.delete(key);
    let keys = this.keysOf.get(owner);
    if (!keys) this.keysOf.set(owner, (keys = new Set()));
    keys.add(key);
  }

  private letGo(owner: string, key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    held.owners.delete(owner);
    if (held.owners.size > 0) return;
    this.held.delete(key);
    this.spares.set(key, held.value);
  }
}
