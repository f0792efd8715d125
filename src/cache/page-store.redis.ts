import { createHash } from 'node:crypto';
import { RedisConnection, redisKey } from '../redis/redis-connection';
import type { FillNotices } from './fill-notices';
import { FILL_POLL_MS } from './fill-wait';
import type { FillLock, PageEntry, PageStore } from './page-store';

/** How a value travels to and from Redis; decode returns undefined for bytes it cannot read (a miss). */
export interface PageCodec<V> {
  encode(value: V): Buffer;
  decode(bytes: Buffer): V | undefined;
}

/** A value found in Redis, with how long it has left to live there. */
export interface SharedEntry<V> {
  readonly value: V;
  readonly ttlMs: number;
  readonly bytes: number;
}

/**
 * Pages shared by every instance of one Zoom account. Keys are digested: a client's filter
 * can make a page key long, and Redis keys should be short and of one length. Failures are
 * thrown: the tiered store (page-store.tiered.ts) is what falls back.
 */
export class RedisPageStore<V> implements PageStore<V>, FillLock {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this store's noun (seams.ts). */
    private readonly namespace: string,
    private readonly codec: PageCodec<V>,
    /** Tells waiting instances when an entry lands; without it they poll. */
    private readonly notices?: FillNotices,
  ) {}

  isAvailable(): boolean {
    return this.connection.isUp();
  }

  async get(key: string): Promise<V | undefined> {
    return (await this.entry(key))?.value;
  }

  /** The value and its remaining time to live, in one round trip. */
  async entry(key: string): Promise<SharedEntry<V> | undefined> {
    const pageKey = this.pageKey(key);
    const replies = await this.connection.run('pages.get', (client) => client.pipeline().getBuffer(pageKey).pttl(pageKey).exec());
    const [bytesReply, ttlReply] = replies ?? [];
    // A pipeline resolves with each command's error instead of rejecting: a failed read is a Redis failure, not a miss.
    const failure = bytesReply?.[0] ?? ttlReply?.[0];
    if (failure) throw failure;
    const bytes = bytesReply?.[1];
    const ttlMs = Number(ttlReply?.[1]);
    if (!Buffer.isBuffer(bytes) || !(ttlMs > 0)) return undefined;
    const value = this.codec.decode(bytes);
    return value === undefined ? undefined : { value, ttlMs, bytes: bytes.length };
  }

  async set(key: string, value: V, { ttlMs }: PageEntry): Promise<void> {
    const ttl = Math.floor(ttlMs);
    if (ttl <= 0) return;
    const bytes = this.codec.encode(value);
    const pageKey = this.pageKey(key);
    const { notices } = this;
    if (notices === undefined) {
      await this.connection.run('pages.set', (client) => client.set(pageKey, bytes, 'PX', ttl));
      return;
    }
    // The entry and its notice in one round trip, the notice after the entry.
    const replies = await this.connection.run('pages.set', (client) => client.multi().set(pageKey, bytes, 'PX', ttl).publish(notices.channel, pageKey).exec());
    const failure = replies?.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  }

  /** Until the entry is noticed filled by whichever instance holds the fill lock, or `ms`; without notices, the poll's interval. */
  waitForFill(key: string, ms: number): Promise<void> {
    if (this.notices === undefined) return new Promise((resolve) => setTimeout(resolve, Math.min(ms, FILL_POLL_MS)).unref());
    return this.notices.wait(this.pageKey(key), ms);
  }

  async delete(key: string): Promise<void> {
    await this.connection.run('pages.delete', (client) => client.del(this.pageKey(key)));
  }

  /** An efficiency lock: the instance that gets it calls Zoom, the others wait for its entry. */
  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.connection.run('pages.lock', (client) => client.set(redisKey(this.namespace, 'fill', digest(key)), '1', 'PX', ttlMs, 'NX'));
    return reply === 'OK';
  }

  private pageKey(key: string): string {
    return redisKey(this.namespace, digest(key));
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
