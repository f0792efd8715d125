import { ZoomBudgetError } from '../../src/zoom/errors';
import { RateGovernor, windowMarginMs } from '../../src/zoom/rate-governor';
import { FakeTimers } from '../fake-timers';

function governor(limit: number, maxWaitMs: number) {
  const timers = new FakeTimers();
  return { timers, governor: new RateGovernor({ 'resource-intensive': { limit, windowMs: 60_000 } }, maxWaitMs, timers) };
}

describe('RateGovernor', () => {
  it('sends up to the limit at once', async () => {
    const { governor: g } = governor(3, 0);
    await expect(Promise.all([g.acquire('resource-intensive'), g.acquire('resource-intensive'), g.acquire('resource-intensive')])).resolves.toEqual([0, 0, 0]);
    expect(g.snapshot('resource-intensive')).toEqual({ limit: 3, used: 3, queued: 0, pausedForMs: 0 });
  });

  it('refuses at once, with the honest wait, when the next slot is beyond the deadline', async () => {
    const { governor: g, timers } = governor(2, 5_000);
    await g.acquire('resource-intensive');
    await timers.advance(10_000);
    await g.acquire('resource-intensive');
    const refusal = await g.acquire('resource-intensive').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ZoomBudgetError);
    // The first call frees its slot a minute (plus margin) after it was sent, 10 s ago.
    expect((refusal as ZoomBudgetError).retryAfterMs).toBe(51_000);
    expect(g.nextSlotIn('resource-intensive')).toBe(51_000);
  });

  it('queues calls within the deadline and sends them when slots free, never more than the limit per window', async () => {
    const { governor: g, timers } = governor(2, 200_000);
    const sent: number[] = [];
    const calls = [0, 1, 2, 3, 4].map(() => g.acquire('resource-intensive').then(() => sent.push(timers.now())));
    await timers.advance(0);
    expect(sent).toHaveLength(2);
    expect(g.snapshot('resource-intensive').queued).toBe(3);
    await timers.advance(200_000);
    await Promise.all(calls);
    const start = sent[0];
    expect(sent.map((at) => at - start)).toEqual([0, 0, 61_000, 61_000, 122_000]);
  });

  it('holds back a call already queued when Zoom says to pause', async () => {
    const { governor: g, timers } = governor(2, 120_000);
    await g.acquire('resource-intensive');
    await g.acquire('resource-intensive');
    let sentAt: number | undefined;
    const queued = g.acquire('resource-intensive').then(() => (sentAt = timers.now()));
    await timers.advance(1_000);
    const pausedAt = timers.now();
    g.pause('resource-intensive', pausedAt + 90_000);
    await timers.advance(120_000);
    await queued;
    // Its slot was 61 s after the first calls; the pause, set later, still holds it until it ends.
    expect(sentAt).toBe(pausedAt + 90_000);
  });

  it('counts a call that waited out a pause at the time it is really sent', async () => {
    const { governor: g, timers } = governor(2, 120_000);
    const start = timers.now();
    const sent: number[] = [];
    const send = () => g.acquire('resource-intensive').then(() => sent.push(timers.now() - start));
    await Promise.all([send(), send()]);
    const queued = send();
    await timers.advance(60_000);
    g.pause('resource-intensive', timers.now() + 5_000);
    await timers.advance(2_000);
    const later = send();
    await timers.advance(1_000);
    const latest = send();
    await timers.advance(70_000);
    await Promise.all([queued, later, latest]);
    // Never more than two sends in any 61 s: the third and fourth go when the pause ends, the fifth a window after them.
    expect(sent).toEqual([0, 0, 65_000, 65_000, 126_000]);
  });

  it('refuses a queued call when the pause outlasts its deadline, and gives its slot back', async () => {
    const { governor: g, timers } = governor(2, 70_000);
    await g.acquire('resource-intensive');
    await g.acquire('resource-intensive');
    const refused = g.acquire('resource-intensive').catch((error: unknown) => error);
    await timers.advance(1_000);
    g.pause('resource-intensive', timers.now() + 300_000);
    await timers.advance(60_000);
    expect(await refused).toMatchObject({ reason: 'paused' });
    // The first two calls have left the window by now; the refused call's slot must not linger in it.
    expect(g.snapshot('resource-intensive')).toMatchObject({ used: 0, queued: 0 });
  });

  it('keeps a margin of a sixtieth of the window, at least 250 ms', () => {
    expect(windowMarginMs(60_000)).toBe(1_000);
    expect(windowMarginMs(1_000)).toBe(250);
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
});
