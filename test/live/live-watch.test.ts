import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { MemoryLiveGeneration } from '../../src/live/live-generation.memory';
import { LiveMetrics } from '../../src/live/live-metrics';
import { LiveWatch } from '../../src/live/live-watch';
import { MemoryReconcileLease } from '../../src/live/reconcile-lease.memory';

const NOW = Date.parse('2026-11-27T12:00:00Z');

/** Instances watching one generation mark, each told by `lost` whether the store counted fewer of its writes. */
function instances(names: readonly string[], generation = new MemoryLiveGeneration()) {
  const lease = new MemoryReconcileLease(() => NOW);
  const counts = { rebuilds: 0, replays: Object.fromEntries(names.map((name) => [name, 0])) as Record<string, number> };
  const lost = Object.fromEntries(names.map((name) => [name, false])) as Record<string, boolean>;
  const watches = Object.fromEntries(
    names.map((name) => [
      name,
      new LiveWatch({
        generation, lease, instance: name, reconcileMs: 60_000, now: () => NOW,
        lostWrites: async () => {
          const was = lost[name];
          lost[name] = false;
          return was;
        },
        reconcile: async () => {
          let mark = await generation.read();
          if (mark === null) {
            counts.rebuilds += 1;
            mark = randomUUID();
            await generation.mark(mark);
          }
          return { complete: true, listed: 0, started: 0, ended: 0, generation: mark };
        },
        replay: async () => {
          counts.replays[name] += 1;
          return 0;
        },
        onStateChanged: () => undefined,
        onFirstWhole: async () => undefined,
        logger: pino({ level: 'silent' }),
        metrics: new LiveMetrics(new Registry()),
      }),
    ]),
  ) as Record<string, LiveWatch>;
  /** One look of `name`'s, and the reconciliation it started. */
  const look = async (name: string): Promise<void> => {
    const watch = watches[name] as unknown as { watch(): Promise<void>; reconciling?: Promise<void> };
    await watch.watch();
    await watch.reconciling;
  };
  return { counts, lost, watches, look, generation };
}

describe('the live watch, when the store went back in time', () => {
  it('rebuilds once for two instances that both lost writes: the later one takes the new mark for the loss it is', async () => {
    const { counts, lost, look } = instances(['a', 'b']);
    await look('a');
    await look('b');
    expect(counts.rebuilds).toBe(1);
    lost.a = true;
    lost.b = true;
    await look('a');
    expect(counts.rebuilds).toBe(2);
    await look('b');
    await look('a');
    expect(counts.rebuilds).toBe(2);
    expect(counts.replays).toEqual({ a: 1, b: 1 });
  });

  it('keeps a loss whose mark could not be forgotten, not whole meanwhile, and forgets it at the next look', async () => {
    const generation = new MemoryLiveGeneration();
    const forget = generation.forget.bind(generation);
    let failures = 1;
    generation.forget = async (id: string) => {
      if (failures-- > 0) throw new Error('Redis live.generation took longer than 200 ms');
      return forget(id);
    };
    const { counts, lost, look, watches } = instances(['a'], generation);
    await look('a');
    expect(counts.rebuilds).toBe(1);
    lost.a = true;
    await look('a');
    expect(watches.a.isWhole).toBe(false);
    await look('a');
    await look('a');
    expect(counts.rebuilds).toBe(2);
    expect(watches.a.isWhole).toBe(true);
  });

  it('gives its writes again when the loss is seen while the mark is already missing', async () => {
    const { counts, lost, look, generation } = instances(['a', 'b']);
    await look('a');
    await look('b');
    // Another instance's loss removed the mark; the lease holder has not rebuilt yet when b sees its own count behind.
    await generation.forget((await generation.read()) as string);
    await look('b');
    expect(counts.replays.b).toBe(1);
    lost.b = true;
    await look('b');
    expect(counts.replays.b).toBe(2);
  });
});
