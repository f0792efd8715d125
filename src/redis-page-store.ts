import { createHash } from 'node:crypto';
import type { PageStore } from './page-store';
import type { RedisConnection } from './redis/redis-connection';

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
 * can make a page key long, and Redis keys should be short and of one length.
 */
export class RedisPageStore<V> implements PageStore<V> {
  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace (accountNamespace()). */
    private readonly namespace: string,
    private readonly codec: PageCodec<V>,
  ) {}

  isAvailable(): boolean {
    return this.connection.isUp();
  }

  async get(key: string): Promise<V | undefined> {
    return (await this.entry(key))?.value;
  }

  /** The value and its remaining time to live, in one round trip. */
  async entry(key: string): Promise<SharedEntry<V> | undefined> {
    const redisKey = this.redisKey(key);
    const replies = await this.connection.run('pages.get', (client) => client.pipeline().getBuffer(redisKey).pttl(redisKey).exec());
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

  async set(key: string, value: V, { ttlMs }: { ttlMs: number; bytes: number }): Promise<void> {
    const ttl = Math.floor(ttlMs);
    if (ttl <= 0) return;
    const bytes = this.codec.encode(value);
    await this.connection.run('pages.set', (client) => client.set(this.redisKey(key), bytes, 'PX', ttl));
  }

  async delete(key: string): Promise<void> {
    await this.connection.run('pages.delete', (client) => client.del(this.redisKey(key)));
  }

  /** An efficiency lock: the instance that gets it calls Zoom, the others wait for its entry. */
  async tryLock(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.connection.run('pages.lock', (client) => client.set(`${this.redisKey(key)}:fill`, '1', 'PX', ttlMs, 'NX'));
    return reply === 'OK';
  }

  private redisKey(key: string): string {
    return `${this.namespace}page:${createHash('sha256').update(key).digest('base64url')}`;
  }
}
