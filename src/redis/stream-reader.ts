import type { Logger } from 'pino';
import type { RedisClient } from './redis-client';

/** How long one read waits for a new entry before it asks again (the reader's connection is its own). */
export const STREAM_READ_BLOCK_MS = 5_000;
/** A read that failed (Redis away) is tried again this much later; the connection reconnects by itself meanwhile. */
const READ_RETRY_MS = 250;
/** Entries taken per read at most: a reader behind catches up in reads of this many. */
const ENTRIES_PER_READ = 500;
/**
 * A reader that could not find where the stream stood when it started (Redis away) starts, once it can, this far
 * back on Redis's clock: what other instances added since Redis came back, within its reconnect delay (2 s at most).
 */
const BLIND_START_LOOKBACK_MS = 3_000;

/** One stream followed; `ready` resolves once the reader knows where the stream stood (or gave up trying for now). */
export interface StreamFollower {
  readonly ready: Promise<void>;
  close(): void;
}

/** Stream ids (`<ms>-<seq>`) in order. */
function idBefore(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs < bMs || (aMs === bMs && aSeq < bSeq);
}

/**
 * Follows a Redis stream from where it stood when asked, entry after entry (the `m` field of each).
 * Across a lost connection it goes on from the last entry it read, so nothing added meanwhile is
 * missed, as long as the stream still holds it (a pub/sub channel drops whatever is published while
 * its subscriber is away). Ids come from Redis's clock: a stream found behind the last id read (Redis
 * restarted empty, or failed over, with a clock behind the old one) is read again from its start,
 * since a read from the last id would skip every new entry.
 */
export function followStream(reader: RedisClient, stream: string, onEntry: (message: string) => void, logger: Logger): StreamFollower {
  let closed = false;
  let lastId: string | undefined;
  let blind = false;
  const top = async (): Promise<string | undefined> => (await reader.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0];
  const locate = async (): Promise<void> => {
    if (!blind) {
      lastId = (await top()) ?? '0-0';
      return;
    }
    const [seconds] = await reader.time();
    lastId = `${Number(seconds) * 1000 - BLIND_START_LOOKBACK_MS}-0`;
  };
  const ready = locate().catch((error: unknown) => {
    blind = true;
    logger.debug({ err: error }, 'Redis stream not located yet');
  });
  /** After a read that found nothing, or failed: a stream behind the last id read is read again from its start. */
  const checkBehind = async (): Promise<void> => {
    if (lastId === undefined) return;
    const newest = await top();
    if (newest !== undefined && idBefore(newest, lastId)) lastId = '0-0';
  };
  const loop = async (): Promise<void> => {
    await ready;
    while (!closed) {
      try {
        if (lastId === undefined) await locate();
        const reply = await reader.xread('COUNT', ENTRIES_PER_READ, 'BLOCK', STREAM_READ_BLOCK_MS, 'STREAMS', stream, lastId ?? '0-0');
        if (reply === null) await checkBehind();
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
        await checkBehind().catch(() => undefined);
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
