import type { Timers } from '../src/time/timers';

/** Timers whose clock moves only when a test says so; sleepers wake in time order. */
export class FakeTimers implements Timers {
  private ms = 1_000_000;
  private sleepers: { at: number; wake: () => void }[] = [];
  readonly slept: number[] = [];

  now = (): number => this.ms;

  sleep = (ms: number): Promise<void> => {
    this.slept.push(ms);
    return new Promise((resolve) => this.sleepers.push({ at: this.ms + ms, wake: resolve }));
  };

  /** Moves the clock and wakes every sleeper due by then, letting each run before the next. */
  async advance(ms: number): Promise<void> {
    // Calls started just before (through an async store, say) get to register their sleep first.
    await new Promise((resolve) => setImmediate(resolve));
    const target = this.ms + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.ms = next.at;
      next.wake();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.ms = target;
    // Let whatever the last wake-up (or none) set in motion run before the test looks.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
