import type { PageCodec } from '../cache/page-store.redis';

/**
 * Answers from inside sessions as Redis holds them: the plain JSON this gateway cached after
 * checking it. Bytes that do not parse to an object (a damaged entry) read as a miss; another
 * release's entries never meet these, since the namespace carries a format version.
 */
export function plainJsonCodec<V extends object>(): PageCodec<V> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => {
      try {
        const value: unknown = JSON.parse(bytes.toString('utf8'));
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as V) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
