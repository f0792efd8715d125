import pino from 'pino';
import { Registry } from 'prom-client';
import { MemoryEventBus } from '../../src/live/event-bus.memory';
import { LiveFeed } from '../../src/live/live-feed';
import { MemoryLiveGeneration } from '../../src/live/live-generation.memory';
import type { LiveListing } from '../../src/live/live-list-walk';
import { LiveMetrics } from '../../src/live/live-metrics';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { MemoryReconcileLease } from '../../src/live/reconcile-lease.memory';
import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import { parseZoomEvent } from '../../src/live/live-event';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import type { SimSession } from '../../src/simulator/dataset';
import { sessionEvent, userEvent } from '../../src/simulator/webhooks';
import type { WireSession } from '../../src/zoom/wire';

const NOW = Date.parse('2026-11-27T12:00:00Z');

function listed(n: number): WireSession {
  return {
    id: `s${n}`, session_name: `S${n}`, start_time: '2026-11-27T11:00:00Z', end_time: null, duration: null, user_count: 1,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
  } as WireSession;
}

function feed(listing: () => LiveListing, now: () => number, registry = new Registry(), state = new MemoryLiveState(now)): LiveFeed {
  return new LiveFeed({
    mode: 'webhooks', state, dedup: new MemoryWebhookDedup(now), bus: new MemoryEventBus(),
    generation: new MemoryLiveGeneration(), lease: new MemoryReconcileLease(now),
    listLive: async () => listing(), pollLive: async () => [], reconcileMs: 60_000, pollMs: 60_000, subscriberBuffer: 256,
    now, logger: pino({ level: 'silent' }), metrics: new LiveMetrics(registry),
  });
}

describe('reconciliation', () => {
  it('delivers 3,000 changes to subscribers that read, none overflowing, each ending with the right live set', async () => {
    let listing: LiveListing = { sessions: [], complete: true, pages: 1 };
    const live = feed(() => listing, () => NOW);
    await live.reconcile();
    let dropped = 0;
    const readers = [0, 1, 2].map(async (n) => {
      const queue = live.subscribe({}, () => (dropped += 1));
      const seen = new Set<string>();
      for await (const change of queue) {
        seen.add(change.sessionId);
        // One reader is slower than the burst, but reads.
        if (n === 2 && seen.size % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        if (seen.size === 3_000) break;
      }
      return seen.size;
    });
    listing = { sessions: Array.from({ length: 3_000 }, (_, n) => listed(n)), complete: true, pages: 10 };
    await live.reconcile();
    expect(await Promise.all(readers)).toEqual([3_000, 3_000, 3_000]);
    expect(dropped).toBe(0);
    expect((await live.liveSessions()).length).toBe(3_000);
    await live.close();
  });

  it('still closes a subscriber that does not read, and only it', async () => {
    let listing: LiveListing = { sessions: [], complete: true, pages: 1 };
    const live = feed(() => listing, () => NOW);
    await live.reconcile();
    const dropped: string[] = [];
    live.subscribe({}, () => dropped.push('idle'));
    const reader = live.subscribe({}, () => dropped.push('reader'));
    const reading = (async () => {
      let seen = 0;
      for await (const _change of reader) if (++seen === 1_000) break;
      return seen;
    })();
    listing = { sessions: Array.from({ length: 1_000 }, (_, n) => listed(n)), complete: true, pages: 4 };
    await live.reconcile();
    expect(await reading).toBe(1_000);
    expect(dropped).toEqual(['idle']);
    await live.close();
  });

  it('ends no session for missing from a walk cut short, and counts the walk as partial', async () => {
    let now = NOW;
    const registry = new Registry();
    let listing: LiveListing = { sessions: [listed(1), listed(2)], complete: true, pages: 1 };
    const live = feed(() => listing, () => now, registry);
    await live.reconcile();
    now += 120_000;
    listing = { sessions: [listed(1)], complete: false, stoppedBy: 'error', pages: 1 };
    await live.reconcile();
    now += 1_000;
    expect((await live.liveSessions()).map((record) => record.id).sort()).toEqual(['s1', 's2']);
    const partial = (await registry.getSingleMetric('zoom_live_reconciliations_total')!.get()).values.find((value) => value.labels.outcome === 'partial');
    expect(partial?.value).toBe(1);
    listing = { sessions: [listed(1)], complete: true, pages: 1 };
    await live.reconcile();
    now += 1_000;
    expect((await live.liveSessions()).map((record) => record.id)).toEqual(['s1']);
    await live.close();
  });

  it('shows subscribers no second end of a session whose end they were shown, when a state that went back has it live again', async () => {
    let listing: LiveListing = { sessions: [listed(1)], complete: true, pages: 1 };
    let clock = NOW;
    const state = new MemoryLiveState(() => clock);
    const live = feed(() => listing, () => clock, new Registry(), state);
    const queue = live.subscribe({}, () => undefined);
    await live.reconcile();
    const session = { id: 's1', session_name: 'S1', start_time: '2026-11-27T11:00:00Z' } as SimSession;
    expect(await live.receive(sessionEvent('session.ended', session, NOW - 20 * 60_000))).toBe('applied');
    const seen: string[] = [];
    for await (const change of queue) {
      seen.push(change.type);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([SessionEventType.SESSION_STARTED, SessionEventType.SESSION_ENDED]);
    // The state comes back with the session live (a snapshot from before its end), and Zoom no longer lists it.
    const later = live.subscribe({}, () => undefined);
    const restored = parseZoomEvent(sessionEvent('session.started', session, NOW - 10 * 60_000));
    if (typeof restored === 'string') throw new Error(restored);
    await state.apply(restored);
    listing = { sessions: [], complete: true, pages: 1 };
    clock = NOW + 5 * 60_000;
    await live.reconcile();
    const after: string[] = [];
    const reading = (async () => {
      for await (const change of later) after.push(change.type);
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await live.liveSessions()).map((record) => record.id)).toEqual([]);
    expect(after).toEqual([]);
    await live.close();
    await reading;
  });

  it('ends, and tells every instance of it, a session known from a join alone that Zoom no longer lists', async () => {
    let listing: LiveListing = { sessions: [], complete: true, pages: 1 };
    let clock = NOW;
    const now = () => clock;
    const state = new MemoryLiveState(now);
    const shared = { state, dedup: new MemoryWebhookDedup(now), bus: new MemoryEventBus(), generation: new MemoryLiveGeneration(), lease: new MemoryReconcileLease(now) };
    const make = () =>
      new LiveFeed({
        mode: 'webhooks', ...shared, listLive: async () => listing, pollLive: async () => [], reconcileMs: 60_000, pollMs: 60_000, subscriberBuffer: 256,
        now, logger: pino({ level: 'silent' }), metrics: new LiveMetrics(new Registry()),
      });
    const holder = make();
    const other = make();
    await holder.reconcile();
    await other.reconcile();
    const seen: string[] = [];
    const queue = other.subscribe({}, () => undefined);
    const reading = (async () => {
      for await (const change of queue) seen.push(`${change.type} ${change.sessionId}`);
    })();
    const session = { id: 'joined-only', session_name: 'J', start_time: '2026-11-27T11:59:00Z' } as SimSession;
    expect(await other.receive(userEvent('session.user_joined', session, { id: 'u', name: 'U', participant_uuid: 'pu' }, NOW))).toBe('applied');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await other.liveSessions()).map((record) => record.id)).toEqual(['joined-only']);
    const versionBefore = other.stateVersion;
    // Zoom no longer lists it, and its session.ended never came: the lease holder ends it.
    clock = NOW + 120_000;
    await holder.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(other.stateVersion).toBeGreaterThan(versionBefore);
    expect(seen).toEqual(['USER_JOINED joined-only', 'SESSION_ENDED joined-only']);
    await holder.close();
    await other.close();
    await reading;
  });
});
