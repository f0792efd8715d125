import pino from 'pino';
import { Registry } from 'prom-client';
import { MemoryEventBus } from '../../src/live/event-bus.memory';
import { parseZoomEvent } from '../../src/live/live-event';
import { LiveFeed } from '../../src/live/live-feed';
import { MemoryLiveGeneration } from '../../src/live/live-generation.memory';
import { LiveMetrics } from '../../src/live/live-metrics';
import { liveRoutedPages } from '../../src/live/live-pages';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { MemoryReconcileLease } from '../../src/live/reconcile-lease.memory';
import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import { CallBudget } from '../../src/sessions/call-budget';
import { SessionType } from '../../src/sessions/session-type.enum';
import type { SimSession } from '../../src/simulator/dataset';
import { sessionEvent } from '../../src/simulator/webhooks';
import type { Day } from '../../src/time/calendar';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('LIVE pages built from the live state', () => {
  it('outlive neither the read they were built from: a change no bus announced (another instance\'s replay) shows within a second', async () => {
    let clock = NOW;
    const now = () => clock;
    const state = new MemoryLiveState(now);
    const feed = new LiveFeed({
      mode: 'webhooks', state, dedup: new MemoryWebhookDedup(now), bus: new MemoryEventBus(), generation: new MemoryLiveGeneration(), lease: new MemoryReconcileLease(now),
      listLive: async () => ({ sessions: [], complete: true, pages: 1 }), pollLive: async () => [], reconcileMs: 60_000, pollMs: 60_000, subscriberBuffer: 256,
      now, logger: pino({ level: 'silent' }), metrics: new LiveMetrics(new Registry()),
    });
    await feed.reconcile();
    const session = { id: 'replayed==', session_name: 'Replayed', start_time: '2026-11-27T11:00:00Z' } as SimSession;
    expect(await feed.receive(sessionEvent('session.started', session, NOW - 60_000))).toBe('applied');
    const pages = liveRoutedPages({ load: async () => Promise.reject(new Error('LIVE must come from the state')), forget: async () => undefined }, feed);
    const query = { type: SessionType.LIVE, window: { from: '2026-11-27' as Day, to: '2026-11-27' as Day }, pageToken: '' };
    const ids = async () => (await pages.load(query, new CallBudget(10))).sessions.map((each) => each.id);
    expect(await ids()).toEqual(['replayed==']);
    // Another instance applies again the end it took before the state was lost: the state changes, the bus says nothing.
    const ended = parseZoomEvent(sessionEvent('session.ended', session, NOW - 30_000));
    if (typeof ended === 'string') throw new Error(ended);
    await state.apply(ended);
    clock = NOW + 1_500;
    expect(await ids()).toEqual([]);
    await feed.close();
  });
});
