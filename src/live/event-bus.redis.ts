import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { DEFAULT_REDIS_CALL_TIMEOUT_MS, bounded } from './bounded';
import type { LiveChange, LiveEventBus } from './live-change';

/** Messages this instance delivered itself while Redis failed, remembered to drop their late echo. */
const LOCAL_DELIVERIES_KEPT = 10_000;

interface Envelope {
  readonly id: string;
  readonly change: LiveChange;
}

/**
 * Redis pub/sub: a change published on one instance reaches the subscribers of all. When Redis
 * fails or is slow, this instance's subscribers still get it, delivered locally.
 */
export class RedisEventBus implements LiveEventBus {
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private readonly subscriber: Redis;
  private readonly instance = randomUUID();
  private readonly deliveredLocally = new Set<string>();
  private sequence = 0;
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly timeoutMs: number = DEFAULT_REDIS_CALL_TIMEOUT_MS,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.channel = `${keyPrefix}live:events`;
    // The subscribing connection waits for Redis however long it takes (ioredis re-subscribes on
    // reconnect); nothing a request waits for goes over it.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', onError);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    this.ready = this.subscriber.subscribe(this.channel).catch(onError);
  }

  private readonly channel: string;

  /** Resolves once the subscription is in place (tests wait for it before publishing). */
  whenSubscribed(): Promise<unknown> {
    return this.ready;
  }

  async publish(change: LiveChange): Promise<void> {
    const envelope: Envelope = { id: `${this.instance}:${++this.sequence}`, change };
    try {
      await bounded(this.redis.publish(this.channel, JSON.stringify(envelope)), this.timeoutMs, 'PUBLISH');
    } catch {
      this.deliveredLocally.add(envelope.id);
      if (this.deliveredLocally.size > LOCAL_DELIVERIES_KEPT) this.deliveredLocally.delete(this.deliveredLocally.values().next().value as string);
      this.deliver(change);
    }
  }

  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (this.deliveredLocally.delete(envelope.id)) return;
    this.deliver(envelope.change);
  }

  private deliver(change: LiveChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
