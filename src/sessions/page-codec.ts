import type { PageCodec } from '../cache/page-store.redis';
import type { WireSessionPage } from '../zoom/wire';

/**
 * A Zoom page as Redis holds it: the page this gateway already checked against Zoom's contract,
 * as JSON. Bytes that do not parse as such (another release, a damaged entry) read as a miss.
 */
export const sessionPageCodec: PageCodec<WireSessionPage> = {
  encode: (page) => Buffer.from(JSON.stringify(page)),
  decode: (bytes) => {
    try {
      const value: unknown = JSON.parse(bytes.toString('utf8'));
      if (typeof value !== 'object' || value === null) return undefined;
      const page = value as Partial<WireSessionPage>;
      if (!Array.isArray(page.sessions) || typeof page.nextPageToken !== 'string' || typeof page.bytes !== 'number') return undefined;
      return { pageSize: page.pageSize ?? undefined, nextPageToken: page.nextPageToken, sessions: page.sessions, trackingId: page.trackingId ?? undefined, bytes: page.bytes, fetchedAt: typeof page.fetchedAt === 'number' ? page.fetchedAt : undefined };
    } catch {
      return undefined;
    }
  },
};
