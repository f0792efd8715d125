import { GatewayMetrics } from '../../src/metrics';
import type { PageStore } from '../../src/cache/page-store';
import { MemoryPageStore } from '../../src/cache/page-store.memory';
import { SharedCache } from '../../src/cache/shared-cache';
import { CallBudget, CallCapReached } from '../../src/sessions/call-budget';
import type { ZoomCallObserver } from '../../src/budget/zoom-caller';

interface Answer {
  trackingId: string | undefined;
  value: number;
}

const options = { ttlMs: () => 60_000, bytes: () => 10 };

describe('SharedCache (answers from inside sessions)', () => {
  let now = 0;
  const store = () => new MemoryPageStore<Answer>({ maxEntries: 10, maxBytes: 1_000, now: () => now });

  it('serves a stored answer without a call, and spends budget only on calls', async () => {
    const calls = new SharedCache<Answer>({ store: store(), metrics: new GatewayMetrics() });
    const budget = new CallBudget(5);
    let made = 0;
    // As the Zoom caller does: every attempt that reached Zoom is told to the observer.
    const fetch = async (observer: ZoomCallObserver) => {
      const answer = { trackingId: `t${++made}`, value: made };
      observer.sent(answer.trackingId);
      return answer;
    };
    expect(await calls.load('k', fetch, budget, options)).toEqual({ trackingId: 't1', value: 1 });
    expect(await calls.load('k', fetch, budget, options)).toEqual({ trackingId: 't1', value: 1 });
    expect([made, budget.calls, budget.trackingIds]).toEqual([1, 1, ['t1']]);
    now += 60_001;
    expect(await calls.load('k', fetch, budget, options)).toEqual({ trackingId: 't2', value: 2 });
  });

  it('shares one call between concurrent loads, and asks again when told to be fresh', async () => {
    const calls = new SharedCache<Answer>({ store: store(), metrics: new GatewayMetrics() });
    let made = 0;
    const fetch = () => new Promise<Answer>((resolve) => setTimeout(() => resolve({ trackingId: undefined, value: ++made }), 5));
    const [a, b] = await Promise.all([calls.load('k', fetch, new CallBudget(5), options), calls.load('k', fetch, new CallBudget(5), options)]);
    expect([a.value, b.value, made]).toEqual([1, 1, 1]);
    expect((await calls.load('k', fetch, new CallBudget(5), { ...options, fresh: true })).value).toBe(2);
    expect((await calls.load('k', fetch, new CallBudget(5), options)).value).toBe(2);
  });

  it('treats a failing store as a miss and keeps answering', async () => {
    const broken: PageStore<Answer> = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')), delete: () => Promise.reject(new Error('down')) };
    const calls = new SharedCache<Answer>({ store: broken, metrics: new GatewayMetrics() });
    expect((await calls.load('k', async () => ({ trackingId: undefined, value: 7 }), new CallBudget(5), options)).value).toBe(7);
  });

  it('refuses a call past the cap before making it', async () => {
    const calls = new SharedCache<Answer>({ store: store(), metrics: new GatewayMetrics() });
    let made = 0;
    await expect(calls.load('k', async () => ({ trackingId: undefined, value: ++made }), new CallBudget(0), options)).rejects.toBeInstanceOf(CallCapReached);
    expect(made).toBe(0);
  });

  it('refreshes a value clients keep using before it expires, serving the old one meanwhile, on a budget of its own, once', async () => {
    const calls = new SharedCache<Answer>({ store: store(), metrics: new GatewayMetrics() });
    let made = 0;
    const pending: Array<() => void> = [];
    let started: () => void = () => undefined;
    const fetch = () =>
      new Promise<Answer>((resolve) => {
        pending.push(() => resolve({ trackingId: undefined, value: ++made }));
        started();
      });
    const nextFetch = () => new Promise<void>((resolve) => (started = resolve));
    const fresh = (answer: Answer & { at?: number }) => answer.value > 0;
    const refreshBudgets: CallBudget[] = [];
    // Due once for the first copy only, as the page cache's once-per-copy rule says.
    let tried = false;
    const due = () => now >= 48_000 && !tried && (tried = true);
    const asking = { ...options, isFresh: fresh, refreshAhead: { due, budget: () => { const budget = new CallBudget(1); refreshBudgets.push(budget); return budget; } } };
    now = 0;
    const firstBegun = nextFetch();
    const first = calls.load('k', fetch, new CallBudget(5), asking);
    await firstBegun;
    pending.shift()?.();
    expect((await first).value).toBe(1);
    now = 40_000;
    expect((await calls.load('k', fetch, new CallBudget(5), asking)).value).toBe(1);
    expect(made).toBe(1);
    // Within the last fifth of its freshness: served at once, and refreshed behind the clients, once.
    now = 50_000;
    const refreshBegun = nextFetch();
    // A request with no call left is still served, and its allowance is not touched by the refresh.
    const spentRequest = new CallBudget(0);
    expect((await calls.load('k', fetch, spentRequest, asking)).value).toBe(1);
    expect((await calls.load('k', fetch, new CallBudget(5), asking)).value).toBe(1);
    await refreshBegun;
    expect(pending).toHaveLength(1);
    expect(refreshBudgets).toHaveLength(1);
    pending.shift()?.();
    for (let tick = 0; tick < 10; tick += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(made).toBe(2);
    expect((await calls.load('k', fetch, new CallBudget(5), asking)).value).toBe(2);
  });

  it('answers a load that joins a failing refresh with the stale value when the failure allows it', async () => {
    class ZoomDown extends Error {}
    const calls = new SharedCache<Answer>({ store: store(), metrics: new GatewayMetrics(), staleOnFailure: (error) => error instanceof ZoomDown });
    now = 0;
    await calls.load('j', async () => ({ trackingId: undefined, value: 1 }), new CallBudget(5), options);
    let fail: (error: Error) => void = () => undefined;
    const failing = () => new Promise<Answer>((_, reject) => (fail = reject));
    const stale = { ...options, isFresh: () => false };
    // The first load refreshes the stale value; the second joins that call; Zoom then fails: both get the stale value.
    const one = calls.load('j', failing, new CallBudget(5), stale);
    for (let tick = 0; tick < 5; tick += 1) await new Promise((resolve) => setImmediate(resolve));
    const two = calls.load('j', failing, new CallBudget(5), stale);
    for (let tick = 0; tick < 5; tick += 1) await new Promise((resolve) => setImmediate(resolve));
    fail(new ZoomDown('down'));
    expect((await one).value).toBe(1);
    expect((await two).value).toBe(1);
  });

  it('looks for a newer shared copy before calling Zoom when its in-process copy is past its freshness', async () => {
    const local = store();
    await local.set('n', { trackingId: undefined, value: 1 }, { ttlMs: 60_000, bytes: 10 });
    const newer: Answer = { trackingId: undefined, value: 2 };
    const tiered: PageStore<Answer> = { get: (key) => local.get(key), getShared: async () => newer, set: (key, value, entry) => local.set(key, value, entry), delete: (key) => local.delete(key) };
    const calls = new SharedCache<Answer>({ store: tiered, metrics: new GatewayMetrics() });
    let made = 0;
    const answer = await calls.load('n', async () => ({ trackingId: undefined, value: 10 + ++made }), new CallBudget(5), { ...options, isFresh: (value) => value.value >= 2 });
    expect(answer.value).toBe(2);
    expect(made).toBe(0);
  });
});
