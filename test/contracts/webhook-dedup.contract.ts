import type { WebhookDedup } from '../../src/live/webhook-dedup';

/** What every webhook dedup must do. `fresh` gives one that keeps keys `ttlMs`; `expire` lets time pass on its clock. */
export function webhookDedupContract(name: string, fresh: (ttlMs: number) => Promise<WebhookDedup>, expire: (ms: number) => Promise<void>): void {
  describe(`${name} (webhook dedup contract)`, () => {
    it('sees a key first once, then again only after its TTL', async () => {
      const dedup = await fresh(200);
      expect(await dedup.firstSeen('["USER_JOINED",1,"s","u"]')).toBe(true);
      expect(await dedup.firstSeen('["USER_JOINED",1,"s","u"]')).toBe(false);
      expect(await dedup.firstSeen('["USER_JOINED",2,"s","u"]')).toBe(true);
      await expire(300);
      expect(await dedup.firstSeen('["USER_JOINED",1,"s","u"]')).toBe(true);
    });

    it('lets exactly one of many concurrent takers through', async () => {
      const dedup = await fresh(10_000);
      const answers = await Promise.all(Array.from({ length: 20 }, () => dedup.firstSeen('same')));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('sees a forgotten key first again: an event kept for later is not taken for its own duplicate', async () => {
      const dedup = await fresh(10_000);
      expect(await dedup.firstSeen('kept')).toBe(true);
      await dedup.forget('kept');
      expect(await dedup.firstSeen('kept')).toBe(true);
      expect(await dedup.firstSeen('kept')).toBe(false);
      await dedup.forget('never-seen');
    });
  });
}
