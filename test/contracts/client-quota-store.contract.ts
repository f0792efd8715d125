import { CLIENT_QUOTA_WINDOW_MS, type ClientQuotaStore } from '../../src/budget/client-quota-store';

/** What every client quota store must do. `fresh` gives an empty one; `now` reads the clock it counts days on. */
export function clientQuotaStoreContract(name: string, fresh: () => Promise<ClientQuotaStore>, now: () => Promise<number>): void {
  describe(`${name} (client quota store contract)`, () => {
    it('grants a client its minute, then refuses with the wait until its oldest call is a minute old', async () => {
      const store = await fresh();
      for (let call = 0; call < 3; call += 1) expect(await store.take('key:a', { perMinute: 3, perDay: 0 })).toMatchObject({ granted: true });
      const refused = await store.take('key:a', { perMinute: 3, perDay: 0 });
      expect(refused).toMatchObject({ granted: false, period: 'minute' });
      const wait = refused.granted ? 0 : refused.retryAfterMs;
      expect(wait).toBeGreaterThan(CLIENT_QUOTA_WINDOW_MS - 5_000);
      expect(wait).toBeLessThanOrEqual(CLIENT_QUOTA_WINDOW_MS);
    });

    it('grants a client its day, then refuses until midnight UTC; another client is still served', async () => {
      const store = await fresh();
      for (let call = 0; call < 4; call += 1) expect(await store.take('key:a', { perMinute: 0, perDay: 4 })).toMatchObject({ granted: true });
      const refused = await store.take('key:a', { perMinute: 0, perDay: 4 });
      const at = await now();
      const midnight = (Math.floor(at / 86_400_000) + 1) * 86_400_000;
      expect(refused).toMatchObject({ granted: false, period: 'day' });
      expect(refused.granted ? 0 : refused.retryAfterMs).toBeGreaterThan(midnight - at - 5_000);
      expect(refused.granted ? 0 : refused.retryAfterMs).toBeLessThanOrEqual(midnight - at + 5_000);
      expect(await store.take('addr:192.0.2.1', { perMinute: 0, perDay: 4 })).toMatchObject({ granted: true });
    });

    it('counts nothing against a quota that is off', async () => {
      const store = await fresh();
      for (let call = 0; call < 50; call += 1) expect(await store.take('key:a', { perMinute: 0, perDay: 0 })).toMatchObject({ granted: true });
    });

    it('frees the minute and the day of a call given back (it never reached Zoom), once', async () => {
      const store = await fresh();
      const limits = { perMinute: 2, perDay: 3 };
      const first = await store.take('key:a', limits);
      expect(await store.take('key:a', limits)).toMatchObject({ granted: true });
      expect(await store.take('key:a', limits)).toMatchObject({ granted: false, period: 'minute' });
      if (!first.granted) throw new Error('the first call was refused');
      await first.giveBack();
      // Given back twice: still one call's place, not two.
      await first.giveBack();
      expect(await store.take('key:a', limits)).toMatchObject({ granted: true });
      expect(await store.take('key:a', limits)).toMatchObject({ granted: false, period: 'minute' });
      // The day counted 3 takes and 1 give-back: one call of the day is left, for another minute.
      const other = await store.take('key:b', limits);
      expect(other).toMatchObject({ granted: true });
      if (other.granted) await other.giveBack();
      expect(await store.take('key:a', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: true });
      expect(await store.take('key:a', { perMinute: 0, perDay: 3 })).toMatchObject({ granted: false, period: 'day' });
    });

    it('lets exactly the quota through of many calls at once', async () => {
      const store = await fresh();
      const answers = await Promise.all(Array.from({ length: 20 }, () => store.take('key:burst', { perMinute: 5, perDay: 0 })));
      expect(answers.filter((answer) => answer.granted)).toHaveLength(5);
    });
  });
}
