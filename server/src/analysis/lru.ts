// A bounded cache that keeps what was used recently: entries live in a current and a previous
// generation; a hit in the previous one moves the entry up, and when the current generation is
// full the previous one is dropped. Unlike a strict LRU, a hit costs one Map lookup.

export class Lru<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  /** Keeps between `capacity` and twice as many entries. */
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  delete(key: K): void {
    this.current.delete(key);
    this.previous.delete(key);
  }
}
