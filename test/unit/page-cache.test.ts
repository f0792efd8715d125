import { GatewayMetrics } from '../../src/metrics';
import { MemoryPageStore } from '../../src/cache/page-store.memory';
import { CallBudget, CallCapReached } from '../../src/sessions/call-budget';
import { FreshnessPolicy, SessionPageCache, heldBytes, pageStoreTtlMs, pageTtlMs } from '../../src/sessions/page-cache';
import { ZoomBudgetError, ZoomHttpError } from '../../src/zoom/errors';
import { FetchedSessionPage, SessionPageQuery, sessionPageKey, sessionWindowKey } from '../../src/sessions/session-pages';
import { SessionType } from '../../src/sessions/session-type.enum';
import type { WireSessionPage } from '../../src/zoom/wire';

const POLICY: FreshnessPolicy = { liveTtlMs: 30_000, recentTtlMs: 60_000, pastTtlMs: 3_600_000, staleMaxMs: 0 };
const october: SessionPageQuery = { type: SessionType.PAST, window: { from: '2026-10-01', to: '2026-10-31' }, pageToken: '' };
/** A page as the source hands it over, stamped with when Zoom answered it: the tests' noon. */
const page = (nextPageToken: string, bytes = 100): FetchedSessionPage => ({ pageSize: 300, nextPageToken, sessions: [], trackingId: undefined, bytes, fetchedAt: Date.parse('2026-11-27T12:00:00Z') });

describe('pageTtlMs', () => {
  it('keeps pages of windows that ended before today long', () => {
    expect(pageTtlMs(october, page(''), '2026-11-27', POLICY)).toBe(3_600_000);
  });
  it('keeps pages of a window that includes today short', () => {
    expect(pageTtlMs({ ...october, window: { from: '2026-11-01', to: '2026-11-27' } }, page(''), '2026-11-27', POLICY)).toBe(60_000);
  });
  it('keeps live pages shortest', () => {
    expect(pageTtlMs({ ...october, type: SessionType.LIVE }, page(''), '2026-11-27', POLICY)).toBe(30_000);
  });
  it('keeps a page whose next token is needed only while that token lives, less a minute', () => {
    expect(pageTtlMs(october, page('next'), '2026-11-27', POLICY)).toBe(14 * 60_000);
    expect(pageTtlMs({ ...october, type: SessionType.LIVE }, page('next'), '2026-11-27', POLICY)).toBe(30_000);
  });
});

describe('heldBytes', () => {
  it('charges a page what it holds in memory: a fixed part and 2.2 bytes per byte Zoom sent', () => {
    expect(heldBytes(0)).toBe(16_384);
    expect(heldBytes(100_000)).toBe(236_384);
  });
});

describe('MemoryPageStore', () => {
  it('expires entries and evicts the least recently used past its bounds', async () => {
    let now = 0;
    const store = new MemoryPageStore<string>({ maxEntries: 2, maxBytes: 1_000, now: () => now });
    await store.set('a', 'A', { ttlMs: 100, bytes: 10 });
    await store.set('b', 'B', { ttlMs: 1_000, bytes: 10 });
    expect(await store.get('a')).toBe('A');
    await store.set('c', 'C', { ttlMs: 1_000, bytes: 10 });
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('A');
    now = 100;
    expect(await store.get('a')).toBeUndefined();
    expect(store.size()).toEqual({ entries: 1, bytes: 10 });
    await store.set('big', 'X', { ttlMs: 1_000, bytes: 995 });
    expect(store.size()).toEqual({ entries: 1, bytes: 995 });
    await store.set('huge', 'Y', { ttlMs: 1_000, bytes: 1_001 });
    expect(await store.get('huge')).toBeUndefined();
  });
});

describe('MemoryPageStore.delete', () => {
  it('forgets one page and its bytes, and takes a key it never held', async () => {
    const store = new MemoryPageStore<string>({ maxEntries: 5, maxBytes: 1_000, now: () => 0 });
    await store.set('a', 'A', { ttlMs: 1_000, bytes: 10 });
    await store.set('b', 'B', { ttlMs: 1_000, bytes: 20 });
    await store.delete('a');
    await store.delete('never-stored');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe('B');
    expect(store.size()).toEqual({ entries: 1, bytes: 20 });
  });
});

describe('page keys', () => {
  it('address a page by session type and window, the first unfiltered page by its window alone', () => {
    expect(sessionWindowKey(SessionType.PAST, october.window)).toBe('sessions:past:2026-10-01:2026-10-31:');
    expect(sessionPageKey(october)).toBe('sessions:past:2026-10-01:2026-10-31:["",null,null]');
    expect(sessionPageKey({ ...october, pageToken: 'tok', sessionName: 'a:b' })).toBe('sessions:past:2026-10-01:2026-10-31:["tok",null,"a:b"]');
  });

  it('let MemoryPageStore drop what an event made stale', async () => {
    const store = new MemoryPageStore<string>({ maxEntries: 5, maxBytes: 1_000, now: () => 0 });
    await store.set(sessionPageKey(october), 'page', { ttlMs: 1_000, bytes: 10 });
    await store.delete(sessionPageKey(october));
    await store.delete('absent');
    expect(await store.get(sessionPageKey(october))).toBeUndefined();
    expect(store.size()).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('SessionPageCache', () => {
  function cache(source: (query: SessionPageQuery) => Promise<FetchedSessionPage>) {
    const metrics = new GatewayMetrics();
    const now = () => Date.parse('2026-11-27T12:00:00Z');
    return {
      metrics,
      cache: new SessionPageCache({ source, store: new MemoryPageStore({ maxEntries: 10, maxBytes: 1_000_000, now }), policy: POLICY, now, metrics }),
    };
  }

  it('shares one source call among concurrent loads, then serves from the store', async () => {
    let calls = 0;
    let release: (value: FetchedSessionPage) => void = () => {};
    const { cache: c, metrics } = cache(() => {
      calls += 1;
      return new Promise((resolve) => (release = resolve));
    });
    const loads = Array.from({ length: 5 }, () => c.load(october, new CallBudget(1)));
    await new Promise((resolve) => setImmediate(resolve));
    release(page(''));
    await Promise.all(loads);
    await c.load(october, new CallBudget(0));
    expect(calls).toBe(1);
    expect(await metrics.value(metrics.pageCache, { result: 'miss' })).toBe(1);
    expect(await metrics.value(metrics.pageCache, { result: 'shared' })).toBe(4);
    expect(await metrics.value(metrics.pageCache, { result: 'hit' })).toBe(1);
  });

  it('spends the request\'s call budget only on real calls, and does not cache failures', async () => {
    let calls = 0;
    const { cache: c } = cache(async () => {
      calls += 1;
      if (calls === 1) throw new Error('zoom down');
      return page('');
    });
    const budget = new CallBudget(2);
    await expect(c.load(october, budget)).rejects.toThrow('zoom down');
    await expect(c.load(october, budget)).resolves.toMatchObject(page(''));
    await expect(c.load({ ...october, pageToken: 'other' }, budget)).rejects.toBeInstanceOf(CallCapReached);
    // The source never told the budget of a call that reached Zoom, so none is logged; the cap still counted two.
    expect(budget.calls).toBe(0);
  });

  it('bounds CACHE_MAX_BYTES by what pages hold, not by what Zoom sent', async () => {
    let calls = 0;
    const now = () => Date.parse('2026-11-27T12:00:00Z');
    const store = new MemoryPageStore<WireSessionPage>({ maxEntries: 10, maxBytes: 200_000, now });
    const c = new SessionPageCache({ source: async () => ((calls += 1), page('', 100_000)), store, policy: POLICY, now, metrics: new GatewayMetrics() });
    await c.load(october, new CallBudget(1));
    // 100 KB from Zoom holds about 236 KB in memory: over the 200 KB bound, so it is not kept.
    await c.load(october, new CallBudget(1));
    expect(calls).toBe(2);
    expect(store.size()).toEqual({ entries: 0, bytes: 0 });
  });

  it('serves the last good page, marked stale with its age, when Zoom fails or the budget is spent, but not when Zoom refuses the query', async () => {
    let now = Date.parse('2026-11-27T12:00:00Z');
    const failures: unknown[] = [new ZoomHttpError(503, undefined, 'down'), new ZoomBudgetError('resource-intensive', 30_000, 'window'), new ZoomHttpError(404, 3001, 'gone')];
    let calls = 0;
    const source = async () => {
      calls += 1;
      if (calls === 1) return page('');
      throw failures.shift();
    };
    const metrics = new GatewayMetrics();
    const store = new MemoryPageStore<WireSessionPage>({ maxEntries: 10, maxBytes: 1_000_000, now: () => now });
    const c = new SessionPageCache({ source, store, policy: { ...POLICY, staleMaxMs: 600_000 }, now: () => now, metrics });
    const first = await c.load(october, new CallBudget(5));
    now += 3_600_000 + 90_000;
    const budget = new CallBudget(5);
    await expect(c.load(october, budget)).resolves.toBe(first);
    expect(budget.staleAgeMs).toBe(3_690_000);
    await expect(c.load(october, new CallBudget(5))).resolves.toBe(first);
    await expect(c.load(october, new CallBudget(5))).rejects.toMatchObject({ status: 404 });
    expect(await metrics.value(metrics.pageCache, { result: 'stale' })).toBe(2);
  });
});

describe('pageStoreTtlMs', () => {
  it('keeps a page stale for a while after its freshness, never past the life of its next token', () => {
    expect(pageStoreTtlMs(60_000, page(''), 3_600_000)).toBe(3_660_000);
    expect(pageStoreTtlMs(60_000, page('next'), 3_600_000)).toBe(14 * 60_000);
    expect(pageStoreTtlMs(14 * 60_000, page('next'), 3_600_000)).toBe(14 * 60_000);
  });
});
