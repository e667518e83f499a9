// In-memory caches that must not grow without end.

/**
 * A Map that keeps at most `limit` entries: storing a key makes it the newest, and storing one
 * more than the limit forgets the one stored longest ago (a Map iterates in insertion order).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value!);
    return this;
  }
}
