import { RedisConnection, RedisSubscription, redisKey } from '../redis/redis-connection';

/**
 * "This key was just filled", from the instance that called Zoom to every instance waiting for
 * its entry: a waiter is woken when the entry lands instead of polling Redis for it. One channel
 * and one subscribed connection per process, whatever the number of stores. A notice can be lost
 * (Redis restarting): waiters still look again after a bound of their own (fill-wait.ts).
 */
export class FillNotices {
  readonly channel: string;
  /** Waiters by stored key; a waiter is removed when woken or when its wait runs out. */
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly subscription: RedisSubscription;

  constructor(connection: RedisConnection, namespace: string) {
    this.channel = redisKey(namespace, 'filled');
    this.subscription = connection.subscribe(this.channel, (key) => this.wake(key));
  }

  /** Resolves once the subscription is in place (tests wait for it). */
  whenSubscribed(): Promise<void> {
    return this.subscription.ready;
  }

  /**
   * Resolves when `key` (a store's Redis key) is noticed filled, or after `ms`. Register before
   * looking at the store, so that a fill landing in between is not missed.
   */
  wait(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.waiters.get(key);
      if (waiting === undefined) {
        waiting = new Set();
        this.waiters.set(key, waiting);
      }
      const done = (): void => {
        clearTimeout(timer);
        const set = this.waiters.get(key);
        set?.delete(done);
        if (set?.size === 0) this.waiters.delete(key);
        resolve();
      };
      // A waiter that found its entry without the notice leaves this behind: it must not hold the process open.
      const timer = setTimeout(done, ms);
      timer.unref();
      waiting.add(done);
    });
  }

  close(): void {
    this.subscription.close();
    for (const waiting of [...this.waiters.values()]) for (const done of [...waiting]) done();
  }

  private wake(key: string): void {
    const waiting = this.waiters.get(key);
    if (waiting === undefined) return;
    for (const done of [...waiting]) done();
  }
}
