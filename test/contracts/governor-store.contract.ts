import type { GovernorStore } from '../../src/budget/governor-store';
import { nextUtcMidnightMs } from '../../src/time/calendar';
import { MAX_RETRY_AFTER_MS } from '../../src/zoom/retry-after';

/** 3 calls a second, counted over 1.017 s (the margin of a 1 s window is a sixtieth of it). */
const BUDGET = { limit: 3, windowMs: 1_000 };
const SPAN_MS = 1_017;
/** Clock resolution between the test and the store (Redis's TIME, rounded to 0.001 ms in scripts). */
const SLACK_MS = 5;

/**
 * A wait measured from a window that opened at `since` (the test's clock): the time that passed since then, however
 * long a loaded machine took, comes off it, so the check is exact without asserting how fast anything ran.
 */
function expectWait(waitMs: number, fromOpening: number, since: number): void {
  expect(waitMs).toBeLessThanOrEqual(fromOpening + SLACK_MS);
  expect(waitMs).toBeGreaterThanOrEqual(fromOpening - (Date.now() - since) - SLACK_MS);
}
let tickets = 0;
const ticket = (): string => `contract:${process.pid}:${(tickets += 1)}`;

/** What every governor store must do, whichever clock it keeps. `fresh` gives a store with no state. */
export function governorStoreContract(name: string, fresh: () => Promise<GovernorStore>): void {
  describe(`${name} (governor store contract)`, () => {
    it('grants the whole budget at once, then refuses with the wait until the oldest call leaves the window', async () => {
      const store = await fresh();
      const request = { label: 'heavy' as const, budget: BUDGET, maxWaitMs: 0, dailyLimit: 0 };
      const opened = Date.now();
      const answers = [await store.reserve({ ...request, ticket: ticket() }), await store.reserve({ ...request, ticket: ticket() }), await store.reserve({ ...request, ticket: ticket() })];
      expect(answers.map(({ granted, waitMs }) => ({ granted, waitMs }))).toEqual([{ granted: true, waitMs: 0 }, { granted: true, waitMs: 0 }, { granted: true, waitMs: 0 }]);
      const refusal = await store.reserve({ ...request, ticket: ticket(), maxWaitMs: 500 });
      expect(refusal).toMatchObject({ granted: false, reason: 'window' });
      expectWait(refusal.waitMs, SPAN_MS, opened);
      expect((await store.usage('heavy', BUDGET)).inWindow).toBe(3);
    });

    it('queues a call for the slot the oldest frees, and refuses one whose queue is longer than its wait', async () => {
      const store = await fresh();
      const budget = { limit: 2, windowMs: 1_000 };
      const request = { label: 'heavy' as const, budget, maxWaitMs: 2_000, dailyLimit: 0 };
      const opened = Date.now();
      await store.reserve({ ...request, ticket: ticket() });
      await store.reserve({ ...request, ticket: ticket() });
      const third = await store.reserve({ ...request, ticket: ticket() });
      const fourth = await store.reserve({ ...request, ticket: ticket() });
      expect(third.granted && fourth.granted).toBe(true);
      expectWait(third.waitMs, SPAN_MS, opened);
      expectWait(fourth.waitMs, SPAN_MS, opened);
      const fifth = await store.reserve({ ...request, ticket: ticket() });
      expect(fifth).toMatchObject({ granted: false, reason: 'queue' });
      expectWait(fifth.waitMs, 2 * SPAN_MS, opened);
      expect((await store.usage('heavy', budget)).inWindow).toBe(4);
    });

    it('counts a call settled as sent from the moment it is over, and gives back the slot of one never sent', async () => {
      const store = await fresh();
      const one = { limit: 1, windowMs: 1_000 };
      const slow = ticket();
      await store.reserve({ label: 'heavy', budget: one, ticket: slow, maxWaitMs: 0, dailyLimit: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const over = Date.now();
      await store.settle('heavy', one, slow, true);
      const next = await store.reserve({ label: 'heavy', budget: one, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
      // A span from the end of the slow call, not from its reservation 300 ms earlier.
      expect(next).toMatchObject({ granted: false, reason: 'window' });
      expectWait(next.waitMs, SPAN_MS, over);
      const unsent = ticket();
      await store.reserve({ label: 'medium', budget: one, ticket: unsent, maxWaitMs: 0, dailyLimit: 0 });
      await store.settle('medium', one, unsent, false);
      await expect(store.reserve({ label: 'medium', budget: one, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 })).resolves.toMatchObject({ granted: true, waitMs: 0 });
    });

    it('counts a call still out after its slot left the span (a slow answer) from when it says so', async () => {
      const store = await fresh();
      // 200 ms and a margin of 3 ms: the slot has left the span by the time the call says it is still out, 300 ms later.
      const short = { limit: 2, windowMs: 200 };
      const late = ticket();
      await store.reserve({ label: 'heavy', budget: short, ticket: late, maxWaitMs: 0, dailyLimit: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Meanwhile another call is granted, and the window drops the slot that left its span.
      const told = Date.now();
      await expect(store.reserve({ label: 'heavy', budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 })).resolves.toMatchObject({ granted: true });
      await store.settle('heavy', short, late, true);
      const next = await store.reserve({ label: 'heavy', budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
      expect(next).toMatchObject({ granted: false, reason: 'window' });
      expectWait(next.waitMs, 203, told);
    });

    it('confirms a queued call against the calls sent, counted from when they were over', async () => {
      const store = await fresh();
      const one = { limit: 1, windowMs: 1_000 };
      const first = ticket();
      const queued = ticket();
      await store.reserve({ label: 'heavy', budget: one, ticket: first, maxWaitMs: 0, dailyLimit: 0 });
      const slot = await store.reserve({ label: 'heavy', budget: one, ticket: queued, maxWaitMs: 2_000, dailyLimit: 0 });
      expect(slot.granted).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const over = Date.now();
      await store.settle('heavy', one, first, true);
      // The first call was over 300 ms after its slot: the queued one now waits a span from then.
      expectWait(await store.confirm('heavy', one, queued), SPAN_MS, over);
      const alone = ticket();
      await store.reserve({ label: 'medium', budget: one, ticket: alone, maxWaitMs: 0, dailyLimit: 0 });
      expect(await store.confirm('medium', one, alone)).toBe(0);
    });

    it('keeps a held call counted past its slot\'s span, from the moment it was held', async () => {
      const store = await fresh();
      const short = { limit: 1, windowMs: 200 };
      const waiting = ticket();
      await store.reserve({ label: 'heavy', budget: short, ticket: waiting, maxWaitMs: 0, dailyLimit: 0 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const held = Date.now();
      await store.hold('heavy', short, waiting);
      // 300 ms after its slot, past the 203 ms span: still counted, as it was held 150 ms ago.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const next = await store.reserve({ label: 'heavy', budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
      expect(next).toMatchObject({ granted: false, reason: 'window' });
      expectWait(next.waitMs, 203, held);
      // Never sent after all: its slot is given back.
      await store.settle('heavy', short, waiting, false);
      await expect(store.reserve({ label: 'heavy', budget: short, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 })).resolves.toMatchObject({ granted: true });
    });

    it('lets a queued call go at its slot though a call queued behind it is overdue too: that one has not gone', async () => {
      const store = await fresh();
      // 200 ms and a margin of 3 ms: one call every 203 ms.
      const short = { limit: 1, windowMs: 200 };
      const [first, second, third] = [ticket(), ticket(), ticket()];
      const request = { label: 'heavy' as const, budget: short, maxWaitMs: 1_000, dailyLimit: 0 };
      await store.reserve({ ...request, ticket: first });
      await store.settle('heavy', short, first, true);
      expect((await store.reserve({ ...request, ticket: second })).waitMs).toBeGreaterThan(0);
      expect((await store.reserve({ ...request, ticket: third })).waitMs).toBeGreaterThan(0);
      // Both slots are past (as when a loaded process wakes late): the first to ask goes, the other waits a span after it.
      await new Promise((resolve) => setTimeout(resolve, 450));
      const went = Date.now();
      expect(await store.confirm('heavy', short, second)).toBe(0);
      expectWait(await store.confirm('heavy', short, third), 203, went);
    });

    it('keeps labels apart', async () => {
      const store = await fresh();
      const one = { limit: 1, windowMs: 1_000 };
      await store.reserve({ label: 'heavy', budget: one, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 });
      await expect(store.reserve({ label: 'medium', budget: one, ticket: ticket(), maxWaitMs: 0, dailyLimit: 0 })).resolves.toMatchObject({ granted: true, waitMs: 0 });
    });

    it('holds a paused label back for the pause, saying so', async () => {
      const store = await fresh();
      const paused = Date.now();
      await store.pause('resource-intensive', 5_000);
      const answer = await store.reserve({ label: 'resource-intensive', budget: BUDGET, ticket: ticket(), maxWaitMs: 1_000, dailyLimit: 0 });
      expect(answer).toMatchObject({ granted: false, reason: 'paused' });
      expectWait(answer.waitMs, 5_000, paused);
      expectWait(await store.pausedFor('resource-intensive'), 5_000, paused);
      expect(await store.pausedFor('heavy')).toBe(0);
    });

    it('cuts a pause longer than a day and an hour to that (found by review: 20 digits of Retry-After paused a label for good)', async () => {
      const store = await fresh();
      await store.pause('resource-intensive', 1e23);
      const left = await store.pausedFor('resource-intensive');
      expect(left).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
      expect(left).toBeGreaterThan(MAX_RETRY_AFTER_MS - 60_000);
    });

    it('counts the daily cap across labels and refuses until midnight UTC', async () => {
      const store = await fresh();
      const big = { limit: 1_000, windowMs: 1_000 };
      await store.reserve({ label: 'heavy', budget: big, ticket: ticket(), maxWaitMs: 1_000, dailyLimit: 2 });
      await store.reserve({ label: 'resource-intensive', budget: big, ticket: ticket(), maxWaitMs: 1_000, dailyLimit: 2 });
      const refusal = await store.reserve({ label: 'heavy', budget: big, ticket: ticket(), maxWaitMs: 1_000, dailyLimit: 2 });
      expect(refusal).toMatchObject({ granted: false, reason: 'daily' });
      const untilMidnight = nextUtcMidnightMs(Date.now()) - Date.now();
      expect(Math.abs(refusal.waitMs - untilMidnight)).toBeLessThanOrEqual(1_000);
      expect((await store.usage('heavy', big)).dailyUsed).toBe(2);
    });

    it('gives back the count towards the daily cap of a call granted and never sent, and only of such a call', async () => {
      const store = await fresh();
      const big = { limit: 1_000, windowMs: 1_000 };
      const request = { label: 'heavy' as const, budget: big, maxWaitMs: 0, dailyLimit: 2 };
      const [sent, unsent] = [ticket(), ticket()];
      await expect(store.reserve({ ...request, ticket: sent })).resolves.toMatchObject({ granted: true });
      await expect(store.reserve({ ...request, ticket: unsent })).resolves.toMatchObject({ granted: true });
      await expect(store.reserve({ ...request, ticket: ticket() })).resolves.toMatchObject({ granted: false, reason: 'daily' });
      // Refused while it waited, or no socket: Zoom never saw it.
      await store.settle('heavy', big, unsent, false);
      await store.settle('heavy', big, sent, true);
      // A second settle of a call is nothing more to give back.
      await store.settle('heavy', big, unsent, false);
      expect((await store.usage('heavy', big)).dailyUsed).toBe(1);
      await expect(store.reserve({ ...request, ticket: ticket() })).resolves.toMatchObject({ granted: true });
      await expect(store.reserve({ ...request, ticket: ticket() })).resolves.toMatchObject({ granted: false, reason: 'daily' });
    });

    it('raises the daily count to the floor a caller knows was spent today', async () => {
      const store = await fresh();
      const big = { limit: 1_000, windowMs: 1_000 };
      await expect(store.reserve({ label: 'heavy', budget: big, ticket: ticket(), maxWaitMs: 0, dailyLimit: 10, dailyFloor: 9 })).resolves.toMatchObject({ granted: true });
      await expect(store.reserve({ label: 'heavy', budget: big, ticket: ticket(), maxWaitMs: 0, dailyLimit: 10 })).resolves.toMatchObject({ granted: false, reason: 'daily' });
      expect((await store.usage('heavy', big)).dailyUsed).toBe(10);
    });
  });
}
