import pino from 'pino';
import { until } from '../contracts/event-bus.contract';
import { Registry } from 'prom-client';
import { MemoryEventBus } from '../../src/live/event-bus.memory';
import { LiveFeed, LiveFeedOptions } from '../../src/live/live-feed';
import { LiveMetrics } from '../../src/live/live-metrics';
import { MemoryLiveGeneration } from '../../src/live/live-generation.memory';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { MemoryReconcileLease } from '../../src/live/reconcile-lease.memory';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';

/** A feed on memory seams; `overrides` share seams between two feeds, or set a clock or a listener. */
function feed(buffer: number, overrides: Partial<LiveFeedOptions> = {}): LiveFeed {
  return new LiveFeed({
    mode: 'webhooks',
    state: new MemoryLiveState(),
    dedup: new MemoryWebhookDedup(),
    bus: new MemoryEventBus(),
    generation: new MemoryLiveGeneration(),
    lease: new MemoryReconcileLease(),
    listLive: async () => ({ sessions: [], complete: true, pages: 1 }),
    pollLive: async () => [],
    reconcileMs: 60_000,
    pollMs: 60_000,
    subscriberBuffer: buffer,
    now: () => 1764578400000,
    logger: pino({ level: 'silent' }),
    metrics: new LiveMetrics(new Registry()),
    ...overrides,
  });
}

const started = (n: number) => ({ event: 'session.started', event_ts: 1764578400000 + n, payload: { object: { id: `s${n}`, session_name: 'x' } } });

describe('LiveFeed subscribers', () => {
  it('drops a subscriber that falls a whole buffer behind, and only it', async () => {
    const live = feed(3);
    const dropped: string[] = [];
    const slow = live.subscribe({}, () => dropped.push('slow'));
    const fast = live.subscribe({}, () => dropped.push('fast'));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const change of fast) {
        seen.push(change.sessionId);
        if (seen.length === 10) break;
      }
    })();
    for (let n = 0; n < 10; n += 1) {
      await live.receive(started(n));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await reading;
    expect(dropped).toEqual(['slow']);
    expect(seen).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']);
    // The dropped subscriber's iteration ends, its buffer freed.
    expect(slow.size).toBe(0);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(live.subscriberCount).toBe(0);
    await live.close();
  });

  it('drops a subscriber that stays full though no later change concerns it, so the others are not held back', async () => {
    const live = feed(3);
    const dropped: string[] = [];
    // Filtered to one session, it takes that session's three changes and never reads; nothing else concerns it.
    const quiet = live.subscribe({ sessionId: 's0' }, () => dropped.push('quiet'));
    const all = live.subscribe({}, () => dropped.push('all'));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const change of all) {
        seen.push(`${change.sessionId} ${change.type}`);
        if (seen.length === 13) break;
      }
    })();
    const joined = (n: number) => ({ event: 'session.user_joined', event_ts: 1764578400000 + 100 + n, payload: { object: { id: 's0', user: { id: `u${n}`, name: `User ${n}`, participant_uuid: `p${n}`, join_time: '2025-12-01T08:40:00Z' } } } });
    for (const body of [started(0), joined(1), joined(2)]) expect(await live.receive(body)).toBe('applied');
    await until(() => quiet.full);
    for (let n = 1; n <= 10; n += 1) expect(await live.receive(started(n))).toBe('applied');
    // Held behind the full subscriber for at most a second, not a second each.
    await reading;
    expect(dropped).toEqual(['quiet']);
    expect(seen.slice(3)).toEqual(Array.from({ length: 10 }, (_, n) => `s${n + 1} SESSION_STARTED`));
    expect(live.subscriberCount).toBe(0);
    await live.close();
  }, 5_000);

  it('tells apart what it took: applied, duplicate, stale, ignored', async () => {
    const live = feed(10);
    await live.reconcile();
    expect(await live.receive(started(1))).toBe('applied');
    expect(await live.receive(started(1))).toBe('duplicate');
    expect(await live.receive({ event: 'session.ended', event_ts: 1764578400000 + 50, payload: { object: { id: 's2' } } })).toBe('applied');
    expect(await live.receive({ event: 'session.started', event_ts: 1764578400000 + 10, payload: { object: { id: 's2' } } })).toBe('stale');
    expect(await live.receive({ event: 'session.recording_paused', event_ts: 1, payload: { object: { id: 's2' } } })).toBe('ignored');
    expect((await live.liveSessions()).map((record) => record.id)).toEqual(['s1']);
    await live.close();
  });

  it('ends every subscriber on close', async () => {
    const live = feed(10);
    const queue = live.subscribe({ types: new Set([SessionEventType.SESSION_ENDED]) }, () => undefined);
    const next = queue.next();
    await live.close();
    expect(await next).toEqual({ value: undefined, done: true });
  });
});

describe('LiveFeed live-set subscribers', () => {
  it('ticks at once, then after changes, keeping only the newest tick while the subscriber is busy', async () => {
    const live = feed(10);
    await live.reconcile();
    const ticks = live.subscribeLiveSet();
    expect(ticks.size).toBe(1);
    await ticks.next();
    for (let n = 0; n < 5; n += 1) await live.receive(started(n));
    expect(ticks.size).toBe(1);
    await ticks.next();
    expect((await live.liveSet()).map((session) => session.id).sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    await ticks.return();
    expect(live.subscriberCount).toBe(0);
    await live.close();
  });
});

/**
 * Two instances on one shared state, as on one Redis, each with a bus that never hears the other (the
 * other's message has not arrived yet), on one clock; `changed` is what the reading one told of.
 */
async function twoInstancesOn(state: MemoryLiveState) {
  const clock = { now: 1764578400000 };
  const shared = { state, generation: new MemoryLiveGeneration(), lease: new MemoryReconcileLease(), dedup: new MemoryWebhookDedup() };
  const changed: string[] = [];
  const receiving = feed(10, { ...shared, now: () => clock.now });
  const reading = feed(10, { ...shared, now: () => clock.now, onListChanged: (session) => changed.push(session.id) });
  await receiving.reconcile();
  await reading.reconcile();
  return { clock, changed, receiving, reading };
}

describe('LiveFeed reading a state another instance writes', () => {
  it('tells of a session that left the state (or came into it) before the bus has told this instance', async () => {
    const { clock, changed, receiving, reading } = await twoInstancesOn(new MemoryLiveState());
    expect(await reading.liveSessions()).toEqual([]);

    expect(await receiving.receive(started(1))).toBe('applied');
    clock.now += 1_000;
    expect((await reading.liveSessions()).map((record) => record.id)).toEqual(['s1']);
    expect(changed).toEqual(['s1']);

    expect(await receiving.receive({ event: 'session.ended', event_ts: clock.now, payload: { object: { id: 's1' } } })).toBe('applied');
    clock.now += 1_000;
    expect(await reading.liveSessions()).toEqual([]);
    expect(changed).toEqual(['s1', 's1']);
    // Nothing came or went since: nothing to tell.
    clock.now += 1_000;
    await reading.liveSessions();
    expect(changed).toEqual(['s1', 's1']);
    await receiving.close();
    await reading.close();
  });

  it('compares only the newest of overlapping reads: an older read that ends last tells of nothing', async () => {
    // A shared state whose reads take their records at once and end when the test lets them.
    const held: (() => void)[] = [];
    let holding = false;
    class HeldState extends MemoryLiveState {
      override async liveSessions() {
        const records = await super.liveSessions();
        if (holding) await new Promise<void>((release) => held.push(release));
        return records;
      }
    }
    const { clock, changed, receiving, reading } = await twoInstancesOn(new HeldState());
    await reading.liveSessions();
    expect(await receiving.receive(started(1))).toBe('applied');
    clock.now += 1_000;
    await reading.liveSessions();
    expect(changed).toEqual(['s1']);

    holding = true;
    clock.now += 1_000;
    const older = reading.liveSessions();
    expect(await receiving.receive({ event: 'session.ended', event_ts: clock.now, payload: { object: { id: 's1' } } })).toBe('applied');
    clock.now += 1_000;
    const newer = reading.liveSessions();
    await until(() => held.length === 2);
    held[1]();
    expect(await newer).toEqual([]);
    expect(changed).toEqual(['s1', 's1']);
    // The older read still holds s1: told, it would say s1 came back, and the next read that it left again.
    held[0]();
    expect((await older).map((record) => record.id)).toEqual(['s1']);
    holding = false;
    clock.now += 1_000;
    expect(await reading.liveSessions()).toEqual([]);
    expect(changed).toEqual(['s1', 's1']);
    await receiving.close();
    await reading.close();
  });
});
