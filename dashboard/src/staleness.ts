/**
 * An answer the gateway served from its cache because Zoom could not be asked, as it marks it in
 * the response's `extensions.stale` (a flag, or an object with when the data was fetched).
 */
export interface Staleness {
  readonly stale: boolean;
  /** When the served data was fetched from Zoom, if the gateway said. */
  readonly fetchedAt: string | undefined;
}

export const FRESH: Staleness = { stale: false, fetchedAt: undefined };

export function stalenessOf(extensions: Readonly<Record<string, unknown>> | undefined): Staleness {
  const stale = extensions?.stale;
  if (stale === true) return { stale: true, fetchedAt: undefined };
  if (typeof stale === 'object' && stale !== null) {
    const fetchedAt = 'fetchedAt' in stale && typeof stale.fetchedAt === 'string' ? stale.fetchedAt : undefined;
    return { stale: true, fetchedAt };
  }
  return FRESH;
}
