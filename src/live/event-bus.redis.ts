import { RedisConnection, RedisSubscription, redisKey } from '../redis/redis-connection';
import type { LiveEventBus } from './event-bus';
import type { LiveChange } from './live-change';

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
    await this.connection.run('live.publish', (client) => client.publish(this.channel, JSON.stringify(change)));
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
