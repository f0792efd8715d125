import { RateBudget, RateGovernor, RateLabel, windowMarginMs } from '../../src/budget/rate-governor';
import { ZoomBudgetError } from '../../src/zoom/errors';
import { nextUtcMidnightMs } from '../../src/time/calendar';
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

describe('windowMarginMs', () => {
  it('keeps a margin of a sixtieth of the window, at least 1 ms', () => {
    expect(windowMarginMs(60_000)).toBe(1_000);
    expect(windowMarginMs(3_000)).toBe(50);
    expect(windowMarginMs(1_000)).toBe(17);
    expect(windowMarginMs(20)).toBe(1);
  });

  it('finds Zoom\'s daily reset at the next midnight UTC', () => {
    expect(nextUtcMidnightMs(Date.parse('2026-12-01T09:30:00Z'))).toBe(Date.parse('2026-12-02T00:00:00Z'));
  });
});

describe('RateGovernor', () => {
  it('sends a whole window\'s budget at once, then each call as the oldest frees its slot, never more than the limit in a window', async () => {
    const { governor: g, timers } = governor(20, 300_000);
    const start = timers.now();
    const sent: number[] = [];
    const calls = Array.from({ length: 60 }, () => g.acquire('resource-intensive').then(() => sent.push(timers.now() - start)));
    await timers.advance(0);
    expect(sent).toEqual(Array.from({ length: 20 }, () => 0));
    expect((await g.snapshot('resource-intensive')).queued).toBe(40);
    await timers.advance(300_000);
    await Promise.all(calls);
    expect(sent.slice(19, 22)).toEqual([0, 61_000, 61_000]);
    expect(sent[59]).toBe(122_000);
    expect(mostInAnySpan(sent, 61_000)).toBe(20);
  });

  it('sends a Heavy label\'s 40 a second together, never more than 40 in any 1.017 s', async () => {
    const { governor: g, timers } = governor(20, 10_000, 0, { heavy: { limit: 40, windowMs: 1_000 } });
    const start = timers.now();
    const sent: number[] = [];
    const calls = Array.from({ length: 200 }, () => g.acquire('heavy').then(() => sent.push(timers.now() - start)));
    await timers.advance(10_000);
    await Promise.all(calls);
    expect(mostInAnySpan(sent, 1_017)).toBe(40);
    expect(sent[199]).toBe(4 * 1_017);
  });

  it('refuses at once, saying the window is spent, with the wait until the oldest call frees its slot', async () => {
    const { governor: g, timers } = governor(2, 5_000);
    await g.acquire('resource-intensive');
    await timers.advance(10_000);
    await g.acquire('resource-intensive');
    const refusal = await g.acquire('resource-intensive').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ZoomBudgetError);
    // The first call went 10 s ago; it leaves the 61 s span in 51 s.
    expect(refusal).toMatchObject({ reason: 'window', retryAfterMs: 51_000 });
    expect(g.nextSlotIn('resource-intensive')).toBe(51_000);
  });

  it('refuses a call whose queue is longer than the wait, saying so', async () => {
    const { governor: g, timers } = governor(1, 5_000);
    await g.acquire('resource-intensive');
    await timers.advance(58_000);
    const queued = g.acquire('resource-intensive');
    await timers.advance(0);
    const refusal = await g.acquire('resource-intensive').catch((error: unknown) => error);
    // The queued call goes at 61 s; the next could go 61 s after it.
    expect(refusal).toMatchObject({ reason: 'queue', retryAfterMs: 64_000 });
    await timers.advance(3_000);
    await expect(queued).resolves.toMatchObject({ waitedMs: 3_000 });
  });

  it('holds back a call already queued when Zoom says to pause, and sends it when the pause ends', async () => {
    const { governor: g, timers } = governor(1, 120_000);
    await g.acquire('resource-intensive');
    let sentAt: number | undefined;
    const queued = g.acquire('resource-intensive').then(() => (sentAt = timers.now()));
    await timers.advance(1_000);
    const pausedAt = timers.now();
    g.pause('resource-intensive', pausedAt + 90_000);
    await timers.advance(120_000);
    await queued;
    // Its slot was 61 s after the first call; the pause, set later, holds it until it ends.
    expect(sentAt).toBe(pausedAt + 90_000);
  });

  it('refuses a queued call when the pause outlasts its deadline', async () => {
    const { governor: g, timers } = governor(1, 70_000);
    await g.acquire('resource-intensive');
    const refused = g.acquire('resource-intensive').catch((error: unknown) => error);
    await timers.advance(1_000);
    g.pause('resource-intensive', timers.now() + 300_000);
    await timers.advance(70_000);
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
    await expect(waiting).resolves.toMatchObject({ waitedMs: 500 });
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
    await expect(g.acquire('medium')).resolves.toMatchObject({ waitedMs: 0 });
    expect((await g.snapshot('heavy')).dailyUsed).toBe(3);
  });
});
