import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import { webhookDedupContract } from '../contracts/webhook-dedup.contract';

let clock = 0;
webhookDedupContract('MemoryWebhookDedup', async (ttlMs) => new MemoryWebhookDedup(() => clock, ttlMs), async (ms) => {
  clock += ms;
});

describe('MemoryWebhookDedup bounds', () => {
  it('forgets the oldest keys past its cap', async () => {
    const dedup = new MemoryWebhookDedup(() => 0, 60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) expect(await dedup.firstSeen(key)).toBe(true);
    expect(await dedup.firstSeen('d')).toBe(false);
    expect(await dedup.firstSeen('a')).toBe(true);
  });
});
