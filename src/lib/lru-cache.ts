// A cache of at most `max` entries that forgets the least recently used first: a Map iterates in
// insertion order, so a hit is re-inserted at the end and the first key is the one to drop.
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  /** The value kept for `key` (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `value` as the most recently used, dropping the least recently used when full. */
  set(key: K, value: V): void {
    if (!this.#entries.delete(key) && this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
