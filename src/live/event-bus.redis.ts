import { LuaScript } from '../redis/lua-script';
import { RedisConnection, type RedisSubscription, redisKey } from '../redis/redis-connection';
import type { StreamFollower } from '../redis/stream-reader';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';

/**
 * Changes the stream keeps, about: enough for a reader to catch up after its connection was lost for
 * seconds (reconnects come within 2 s) at hundreds of changes a second, at a few MB of Redis memory.
 */
export const STREAM_CHANGES_KEPT = 10_000;
/** A stream nothing was added to for this long is dropped: readers go on from their last entry, which later entries follow. */
export const STREAM_IDLE_TTL_MS = 60 * 60_000;

/**
 * Marks a change published on the channel as one the stream carries too: an instance of this release takes it
 * from the stream and leaves the channel's copy; one of the release before, which knows only the channel, reads it
 * there (the mark is a field it ignores).
 */
const ON_THE_STREAM_TOO = 'onTheStreamToo';

/**
 * Appends a change (`m`) to the account's stream, trimmed to about ARGV[2] entries, kept ARGV[3] ms after the
 * last, and publishes it on the channel of the same name for instances of the release before (pub/sub), so a rolling
 * upgrade loses no change between the two. One key, so one node of a cluster orders every change. KEYS: the stream.
 * ARGV: the message, the length, the TTL, the message marked ON_THE_STREAM_TOO.
 */
const APPEND = new LuaScript(`local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[1], ARGV[4])
return id`);

/**
 * A Redis stream: a change published on one instance reaches the subscribers of all, this one's
 * included (through Redis, like everyone's), in the order Redis took them. Each instance reads on
 * from the last change it read, so one whose reading connection was lost for a moment (Redis
 * restarted, the connection cut alone) still gets what was added meanwhile, where a pub/sub
 * channel dropped it. A failed publish is thrown: the fallback wrapper (event-bus.fallback.ts)
 * delivers it locally and publishes it again later.
 */
export class RedisEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly stream: string;
  private readonly follower: StreamFollower;
  /** The channel the release before publishes on: its changes reach this instance there. */
  private readonly previousRelease: RedisSubscription;

  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    namespace: string,
  ) {
    this.stream = redisKey(namespace, 'changes');
    this.follower = connection.follow(this.stream, (message) => this.receive(message));
    this.previousRelease = connection.subscribe(this.stream, (message) => this.receive(message, true));
  }

  /** Resolves once the reader knows where the stream stands: what is published from then on reaches it. */
  async whenSubscribed(): Promise<void> {
    await Promise.all([this.follower.ready, this.previousRelease.ready]);
  }

  async publish(change: LiveChange): Promise<void> {
    const marked = JSON.stringify({ ...change, [ON_THE_STREAM_TOO]: true });
    await this.connection.run('live.publish', (client) => APPEND.run(client, [this.stream], [JSON.stringify(change), STREAM_CHANGES_KEPT, STREAM_IDLE_TTL_MS, marked]));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.follower.close();
    this.previousRelease.close();
  }

  private receive(message: string, fromChannel = false): void {
    let change: LiveChange;
    try {
      change = JSON.parse(message) as LiveChange;
    } catch {
      return;
    }
    if (fromChannel && ON_THE_STREAM_TOO in change) return;
    for (const listener of this.listeners) listener(change);
  }
}
