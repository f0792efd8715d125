/**
 * Concurrent loads of one key share one call, from any number of clients. A call is forgotten
 * when it settles, unless a newer one (a load that had to skip the cache) took its place.
 */
export class SingleFlight<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  joined(key: string): Promise<V> | undefined {
    return this.inFlight.get(key);
  }

  run(key: string, call: () => Promise<V>): Promise<V> {
    const running: Promise<V> = call().finally(() => {
      if (this.inFlight.get(key) === running) this.inFlight.delete(key);
    });
    this.inFlight.set(key, running);
    return running;
  }
}
