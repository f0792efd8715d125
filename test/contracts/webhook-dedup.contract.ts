import type { WebhookDedup } from '../../src/live/webhook-dedup';

/**
 * What every webhook dedup must do. `fresh` gives one that holds a taken event's key `ttlMs` and a claim
 * `claimTtlMs`; `expire` lets time pass on its clock.
 */
export function webhookDedupContract(name: string, fresh: (ttlMs: number, claimTtlMs: number) => Promise<WebhookDedup>, expire: (ms: number) => Promise<void>): void {
  describe(`${name} (webhook dedup contract)`, () => {
    const KEY = '["USER_JOINED",1,"s","u"]';

    it('holds a taken event\'s key for its TTL, for every delivery, then lets it be claimed again', async () => {
      const dedup = await fresh(200, 10_000);
      expect(await dedup.claim(KEY, 'first')).toBe('claimed');
      await dedup.confirm(KEY);
      expect(await dedup.claim(KEY, 'resend')).toBe('taken');
      expect(await dedup.claim(KEY, 'first')).toBe('taken');
      expect(await dedup.claim('["USER_JOINED",2,"s","u"]', 'other')).toBe('claimed');
      await expire(300);
      expect(await dedup.claim(KEY, 'resend')).toBe('claimed');
    });

    it('keeps a claim its writer\'s: another delivery finds it busy, the writer claims it again', async () => {
      const dedup = await fresh(10_000, 10_000);
      expect(await dedup.claim(KEY, 'first')).toBe('claimed');
      expect(await dedup.claim(KEY, 'resend')).toBe('busy');
      expect(await dedup.claim(KEY, 'first')).toBe('claimed');
    });

    it('lets a claim run out: a delivery whose process died before its write does not hold the key', async () => {
      const dedup = await fresh(10_000, 200);
      expect(await dedup.claim(KEY, 'killed')).toBe('claimed');
      await expire(300);
      expect(await dedup.claim(KEY, 'resend')).toBe('claimed');
    });

    it('lets exactly one of many concurrent deliveries claim a key', async () => {
      const dedup = await fresh(10_000, 10_000);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => dedup.claim('same', `delivery-${n}`)));
      expect(answers.filter((answer) => answer === 'claimed')).toHaveLength(1);
      expect(answers.filter((answer) => answer === 'busy')).toHaveLength(19);
    });

    it('forgets only the writer\'s own claim: an event kept for later is not taken for its own duplicate', async () => {
      const dedup = await fresh(10_000, 10_000);
      expect(await dedup.claim('kept', 'first')).toBe('claimed');
      await dedup.forget('kept', 'someone else');
      expect(await dedup.claim('kept', 'second')).toBe('busy');
      await dedup.forget('kept', 'first');
      expect(await dedup.claim('kept', 'second')).toBe('claimed');
      await dedup.confirm('kept');
      await dedup.forget('kept', 'second');
      expect(await dedup.claim('kept', 'third')).toBe('taken');
      await dedup.forget('never-seen', 'anyone');
    });
  });
}
