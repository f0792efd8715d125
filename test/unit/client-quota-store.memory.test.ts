import { ClientQuota, ClientQuotaError } from '../../src/budget/client-quota';
import { MemoryClientQuotaStore } from '../../src/budget/client-quota-store.memory';
import { clientQuotaStoreContract } from '../contracts/client-quota-store.contract';

const NOON = Date.parse('2026-11-27T12:00:00Z');

clientQuotaStoreContract('MemoryClientQuotaStore', async () => new MemoryClientQuotaStore(() => NOON), async () => NOON);

describe('MemoryClientQuotaStore on its clock', () => {
  it('gives a client its day again after midnight UTC, and its minute once its oldest call is a minute old', async () => {
    let now = NOON;
    const quota = new ClientQuota(new MemoryClientQuotaStore(() => now), { perMinute: 2, perDay: 3 });
    await quota.take('key:a');
    now += 10_000;
    await quota.take('key:a');
    await expect(quota.take('key:a')).rejects.toMatchObject({ period: 'minute', limit: 2, retryAfterMs: 50_000 });
    now += 50_000;
    await quota.take('key:a');
    now += 60_000;
    const refusal = await quota.take('key:a').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ClientQuotaError);
    expect(refusal).toMatchObject({ period: 'day', limit: 3, retryAfterMs: Date.parse('2026-11-28T00:00:00Z') - now });
    now = Date.parse('2026-11-28T00:00:00Z');
    await expect(quota.take('key:a')).resolves.toEqual(expect.any(Function));
  });
});
