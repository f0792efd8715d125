import type { Logger } from 'pino';
import type { RedisClient } from './redis-client';

/** How long one read waits for a new entry before it asks again (the reader's connection is its own). */
export const STREAM_READ_BLOCK_MS = 5_000;
/** A read that failed (Redis away) is tried again this much later; the connection reconnects by itself meanwhile. */
const READ_RETRY_MS = 250;
/** Entries taken per read at most: a reader behind catches up in reads of this many. */
const ENTRIES_PER_READ = 500;

/** One stream followed; `ready` resolves once the reader knows where the stream stood (or gave up trying for now). */
export interface StreamFollower {
  readonly ready: Promise<void>;
  close(): void;
}

/**
 * Follows a Redis stream from where it stood when asked, entry after entry (the `m` field of each).
 * Across a lost connection it goes on from the last entry it read, so nothing added meanwhile is
 * missed, as long as the stream still holds it (a pub/sub channel drops whatever is published while
 * its subscriber is away). A stream that restarted empty is read from its first new entry: their
 * ids come from Redis's clock, later than any read before.
 */
export function followStream(reader: RedisClient, stream: string, onEntry: (message: string) => void, logger: Logger): StreamFollower {
  let closed = false;
  let lastId: string | undefined;
  const locate = async (): Promise<void> => {
    const [top] = await reader.xrevrange(stream, '+', '-', 'COUNT', 1);
    lastId ??= top?.[0] ?? '0-0';
  };
  const ready = locate().catch((error: unknown) => logger.debug({ err: error }, 'Redis stream not located yet'));
  const loop = async (): Promise<void> => {
    await ready;
    while (!closed) {
      try {
        if (lastId === undefined) await locate();
        const reply = await reader.xread('COUNT', ENTRIES_PER_READ, 'BLOCK', STREAM_READ_BLOCK_MS, 'STREAMS', stream, lastId ?? '0-0');
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const at = fields.indexOf('m');
            if (at >= 0 && at % 2 === 0 && at + 1 < fields.length) onEntry(fields[at + 1]);
          }
        }
      } catch (error) {
        if (closed) return;
        logger.debug({ err: error }, 'Redis stream read failed; reading again from the last entry');
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS).unref());
      }
    }
  };
  void loop();
  return {
    ready,
    close: () => {
      closed = true;
      reader.disconnect();
    },
  };
}
