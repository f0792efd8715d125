/**
 * Remembers a pure function of one key, up to `max` keys; when full it starts over. The keys it
 * is used with (days, month sums, query arguments) are few and recur on every request, so an
 * LRU would buy nothing, and a client sending endless new keys only costs itself the memo.
 */
export function remember<K, V>(compute: (key: K) => V, max: number): (key: K) => V {
  const known = new Map<K, { value: V }>();
  return (key) => {
    const hit = known.get(key);
    if (hit) return hit.value;
    const value = compute(key);
    if (known.size >= max) known.clear();
    known.set(key, { value });
    return value;
  };
}
