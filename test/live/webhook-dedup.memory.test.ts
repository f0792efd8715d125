import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import { webhookDedupContract } from '../contracts/webhook-dedup.contract';

let clock = 0;
webhookDedupContract('MemoryWebhookDedup', async (ttlMs, claimTtlMs) => new MemoryWebhookDedup(() => clock, ttlMs, undefined, claimTtlMs), async (ms) => {
  clock += ms;
});

describe('MemoryWebhookDedup bounds', () => {
  it('forgets the oldest keys past its cap', async () => {
    const dedup = new MemoryWebhookDedup(() => 0, 60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) {
      expect(await dedup.claim(key, 'first')).toBe('claimed');
      await dedup.confirm(key);
    }
    expect(await dedup.claim('d', 'resend')).toBe('taken');
    expect(await dedup.claim('a', 'resend')).toBe('claimed');
  });
});
