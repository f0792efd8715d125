import { ZoomBudgetError } from '../../src/zoom/errors';
import { nextUtcMidnightMs } from '../../src/time/calendar';
import { pacingOf } from '../../src/zoom/pacing';
import { RateBudget, RateGovernor, RateLabel, windowMarginMs } from '../../src/zoom/rate-governor';
import { FakeTimers } from '../fake-timers';

function governor(limit: number, maxWaitMs: number, dailyLimit = 0, extra: Partial<Record<RateLabel, RateBudget>> = {}) {
  const timers = new FakeTimers();
  return { timers, governor: new RateGovernor({ budgets: { 'resource-intensive': { limit, windowMs: 60_000 }, ...extra }, maxWaitMs, timers, dailyLimit }) };
}

/** The most sends that fall in any span of `spanMs`. */
function mostInAnySpan(sent: readonly number[], spanMs: number): number {
  let most = 0;
  for (let first = 0; first < sent.length; first += 1) {
    let last = first;
    while (last < sent.length && sent[last] - sent[first] < spanMs) last += 1;
    most = Math.max(most, last - first);
  }
  return most;
}

describe('pacingOf', () => {
  it('spreads a budget over its margined window after a burst of a tenth', () => {
    expect(pacingOf({ limit: 20, windowMs: 60_000 })).toEqual({ burst: 2, intervalMs: 3_210.527 });
    expect(pacingOf({ limit: 40, windowMs: 1_000 })).toEqual({ burst: 4, intervalMs: 29.73 });
    expect(pacingOf({ limit: 2, windowMs: 60_000 })).toEqual({ burst: 1, intervalMs: 30_500 });
  });

  it('keeps a margin of a sixtieth of the window, at least 250 ms or a tenth of a short window', () => {
    expect(windowMarginMs(60_000)).toBe(1_000);
    expect(windowMarginMs(3_000)).toBe(250);
    expect(windowMarginMs(1_000)).toBe(100);
  });

  it('finds Zoom\'s daily reset at the next midnight UTC', () => {
    expect(nextUtcMidnightMs(Date.parse('2026-12-01T09:30:00Z'))).toBe(Date.parse('2026-12-02T00:00:00Z'));
  });
});

describe('RateGovernor', () => {
  it('sends the burst at once and paces the rest evenly, never more than the limit in a window', async () => {
    const { governor: g, timers } = governor(20, 300_000);
    const start = timers.now();
    const sent: number[] = [];
    const calls = Array.from({ length: 60 }, () => g.acquire('resource-intensive').then(() => sent.push(timers.now() - start)));
    await timers.advance(0);
    expect(sent).toEqual([0, 0]);
    expect((await g.snapshot('resource-intensive')).queued).toBe(58);
    await timers.advance(300_000);
    await Promise.all(calls);
    expect(sent.slice(0, 5).map((at) => Math.round(at))).toEqual([0, 0, 3_211, 6_421, 9_632]);
    expect(mostInAnySpan(sent, 61_000)).toBe(20);
  });

  it('paces a Heavy label at 40 a second without ever exceeding 40 in a second', async () => {
    const { governor: g, timers } = governor(20, 10_000, 0, { heavy: { limit: 40, windowMs: 1_000 } });
    const start = timers.now();
    const sent: number[] = [];
    const calls = Array.from({ length: 200 }, () => g.acquire('heavy').then(() => sent.push(timers.now() - start)));
    await timers.advance(10_000);
    await Promise.all(calls);
    expect(mostInAnySpan(sent, 1_100)).toBe(40);
    // 200 calls in about six seconds: the margin costs a tenth of the rate, not more.
    expect(Math.round(sent[199])).toBe(Math.round(196 * 29.73));
  });

  it('refuses at once, with the honest wait, when the next slot is beyond the deadline', async () => {
    const { governor: g, timers } = governor(2, 5_000);
    await g.acquire('resource-intensive');
    await timers.advance(10_000);
    const refusal = await g.acquire('resource-intensive').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ZoomBudgetError);
    // One call every 30.5 s: the first went 10 s ago.
    expect(refusal).toMatchObject({ reason: 'budget', retryAfterMs: 20_500 });
    expect(g.nextSlotIn('resource-intensive')).toBe(20_500);
  });

  it('holds back a call already queued when Zoom says to pause, and sends it when the pause ends', async () => {
    const { governor: g, timers } = governor(2, 120_000);
    await g.acquire('resource-intensive');
    let sentAt: number | undefined;
    const queued = g.acquire('resource-intensive').then(() => (sentAt = timers.now()));
    await timers.advance(1_000);
    const pausedAt = timers.now();
    g.pause('resource-intensive', pausedAt + 90_000);
    await timers.advance(120_000);
    await queued;
    // Its slot was 30.5 s after the first call; the pause, set later, holds it until it ends.
    expect(sentAt).toBe(pausedAt + 90_000);
  });

  it('refuses a queued call when the pause outlasts its deadline', async () => {
    const { governor: g, timers } = governor(2, 70_000);
    await g.acquire('resource-intensive');
    const refused = g.acquire('resource-intensive').catch((error: unknown) => error);
    await timers.advance(1_000);
    g.pause('resource-intensive', timers.now() + 300_000);
    await timers.advance(60_000);
    expect(await refused).toMatchObject({ reason: 'paused' });
    expect(await g.snapshot('resource-intensive')).toMatchObject({ queued: 0 });
  });

  it('holds every call back while Zoom said to pause', async () => {
    const { governor: g, timers } = governor(10, 1_000);
    g.pause('resource-intensive', timers.now() + 30_000);
    const refusal = await g.acquire('resource-intensive').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'paused', retryAfterMs: 30_000 });
    await timers.advance(29_500);
    const waiting = g.acquire('resource-intensive');
    await timers.advance(500);
    await expect(waiting).resolves.toBe(500);
  });

  it('counts Heavy and Resource-intensive calls against one daily cap, refused until midnight UTC', async () => {
    const { governor: g, timers } = governor(100, 1_000, 3, { heavy: { limit: 40, windowMs: 1_000 }, medium: { limit: 100, windowMs: 60_000 } });
    await g.acquire('resource-intensive');
    await g.acquire('heavy');
    await g.acquire('medium');
    await g.acquire('heavy');
    const refusal = await g.acquire('heavy').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'daily', retryAfterMs: nextUtcMidnightMs(timers.now()) - timers.now() });
    await expect(g.acquire('resource-intensive')).rejects.toMatchObject({ reason: 'daily' });
    // Medium has no daily cap.
    await expect(g.acquire('medium')).resolves.toBe(0);
    expect((await g.snapshot('heavy')).dailyUsed).toBe(3);
  });
});
