/**
 * A map that forgets its least recently used entries beyond `capacity` entries or `maxWeight` in
 * total weight (e.g. bytes). The newest entry is always kept, even when it alone weighs more.
 * Map keeps insertion order: the first key is the least recently used.
 */
export interface LruCache<V> {
  get(key: string): V | undefined;
  /** Adds or replaces an entry (now the most recently used) with its weight (default 0). */
  set(key: string, value: V, weight?: number): void;
  delete(key: string): void;
  keys(): string[];
  readonly size: number;
  /** Sum of the weights of the entries held. */
  readonly weight: number;
}

export function createLruCache<V>(capacity: number, maxWeight = Number.POSITIVE_INFINITY): LruCache<V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`LRU capacity must be a positive integer, got ${capacity}`);
  if (!(maxWeight > 0)) throw new Error(`LRU maxWeight must be positive, got ${maxWeight}`);
  const entries = new Map<string, { value: V; weight: number }>();
  let total = 0;

  function remove(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    total -= entry.weight;
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, weight = 0) {
      remove(key);
      entries.set(key, { value, weight });
      total += weight;
      while (entries.size > 1 && (entries.size > capacity || total > maxWeight)) remove(entries.keys().next().value as string);
    },
    delete: remove,
    keys() {
      return [...entries.keys()];
    },
    get size() {
      return entries.size;
    },
    get weight() {
      return total;
    },
  };
}
