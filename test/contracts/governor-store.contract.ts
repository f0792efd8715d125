import type { GovernorStore } from '../../src/zoom/governor-store';
import { nextUtcMidnightMs } from '../../src/time/calendar';

/** 10 calls a second: one every 110 ms (a 100 ms margin), a burst of one. */
const BUDGET = { limit: 10, windowMs: 1_000 };
/** Real clocks move between two calls: waits are checked to within this. */
const SLACK_MS = 30;

/** What every governor store must do, whichever clock it keeps. `fresh` gives a store with no state. */
export function governorStoreContract(name: string, fresh: () => Promise<GovernorStore>): void {
  describe(`${name} (governor store contract)`, () => {
    it('paces slots one interval apart and refuses, with the wait, past the deadline', async () => {
      const store = await fresh();
      const request = { label: 'heavy' as const, budget: BUDGET, maxWaitMs: 250, dailyLimit: 0 };
      const answers = [await store.reserve(request), await store.reserve(request), await store.reserve(request), await store.reserve(request)];
      expect(answers.map((answer) => answer.granted)).toEqual([true, true, true, false]);
      const waits = answers.map((answer) => answer.waitMs);
      expect(waits[0]).toBe(0);
      expect(Math.abs(waits[1] - 110)).toBeLessThanOrEqual(SLACK_MS);
      expect(Math.abs(waits[2] - 220)).toBeLessThanOrEqual(SLACK_MS);
      expect(answers[3]).toMatchObject({ granted: false, reason: 'budget' });
      expect(Math.abs(waits[3] - 330)).toBeLessThanOrEqual(SLACK_MS);
    });

    it('keeps labels apart', async () => {
      const store = await fresh();
      await store.reserve({ label: 'heavy', budget: BUDGET, maxWaitMs: 0, dailyLimit: 0 });
      await expect(store.reserve({ label: 'medium', budget: BUDGET, maxWaitMs: 0, dailyLimit: 0 })).resolves.toEqual({ granted: true, waitMs: 0 });
    });

    it('holds a paused label back for the pause, saying so', async () => {
      const store = await fresh();
      await store.pause('resource-intensive', 5_000);
      const answer = await store.reserve({ label: 'resource-intensive', budget: BUDGET, maxWaitMs: 1_000, dailyLimit: 0 });
      expect(answer).toMatchObject({ granted: false, reason: 'paused' });
      expect(Math.abs(answer.waitMs - 5_000)).toBeLessThanOrEqual(SLACK_MS);
      expect(Math.abs((await store.pausedFor('resource-intensive')) - 5_000)).toBeLessThanOrEqual(SLACK_MS);
      expect(await store.pausedFor('heavy')).toBe(0);
    });

    it('counts the daily cap across labels and refuses until midnight UTC', async () => {
      const store = await fresh();
      const big = { limit: 1_000, windowMs: 1_000 };
      await store.reserve({ label: 'heavy', budget: big, maxWaitMs: 1_000, dailyLimit: 2 });
      await store.reserve({ label: 'resource-intensive', budget: big, maxWaitMs: 1_000, dailyLimit: 2 });
      const refusal = await store.reserve({ label: 'heavy', budget: big, maxWaitMs: 1_000, dailyLimit: 2 });
      expect(refusal).toMatchObject({ granted: false, reason: 'daily' });
      const untilMidnight = nextUtcMidnightMs(Date.now()) - Date.now();
      expect(Math.abs(refusal.waitMs - untilMidnight)).toBeLessThanOrEqual(1_000);
      expect((await store.usage('heavy', big)).dailyUsed).toBe(2);
    });

    it('reports the slots committed ahead of now', async () => {
      const store = await fresh();
      for (let call = 0; call < 3; call += 1) await store.reserve({ label: 'heavy', budget: BUDGET, maxWaitMs: 1_000, dailyLimit: 0 });
      expect((await store.usage('heavy', BUDGET)).committed).toBe(3);
    });
  });
}
