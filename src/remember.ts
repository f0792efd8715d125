import { LRUCache } from 'lru-cache';

/**
 * Remembers a pure function of one key, up to `max` keys, the least recently used forgotten
 * first. The keys it is used with (days, month sums, query arguments) are few and recur on every
 * request; a client sending endless new keys only costs itself the memo.
 */
export function remember<K extends object | string | number, V>(compute: (key: K) => V, max: number): (key: K) => V {
  // Boxed: lru-cache keeps no undefined values, and a computed undefined is worth remembering.
  const known = new LRUCache<K, { value: V }>({ max });
  return (key) => {
    const hit = known.get(key);
    if (hit) return hit.value;
    const value = compute(key);
    known.set(key, { value });
    return value;
  };
}
