import { LuaScript } from '../redis/lua-script';
import { RedisConnection, RedisSubscription, redisKey } from '../redis/redis-connection';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';

/**
 * PUBLISH from the node that serves the channel's hash slot (the account's: the channel is named in its
 * namespace). On a cluster a plain PUBLISH goes to any node and reaches the others over the cluster bus,
 * so two changes published in turn through two nodes could arrive in the other order; one node keeps
 * them in order. KEYS: the channel. ARGV: the message.
 */
const PUBLISH = new LuaScript(`return redis.call('PUBLISH', KEYS[1], ARGV[1])`);

/**
 * Redis pub/sub: a change published on one instance reaches the subscribers of all, this one's
 * included (through Redis, like everyone's). A failed publish is thrown: the fallback wrapper
 * (event-bus.fallback.ts) delivers it locally.
 */
export class RedisEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly channel: string;
  private readonly subscription: RedisSubscription;

  constructor(
    private readonly connection: RedisConnection,
    /** The account's namespace and this seam's noun (seams.ts). */
    namespace: string,
  ) {
    this.channel = redisKey(namespace, 'changes');
    this.subscription = connection.subscribe(this.channel, (message) => this.receive(message));
  }

  /** Resolves once the subscription is in place (tests wait for it before publishing). */
  whenSubscribed(): Promise<void> {
    return this.subscription.ready;
  }

  async publish(change: LiveChange): Promise<void> {
    await this.connection.run('live.publish', (client) => PUBLISH.run(client, [this.channel], [JSON.stringify(change)]));
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscription.close();
  }

  private receive(message: string): void {
    let change: LiveChange;
    try {
      change = JSON.parse(message) as LiveChange;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(change);
  }
}
