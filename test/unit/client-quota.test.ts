import { ClientQuota, ClientQuotaError } from '../../src/budget/client-quota';

const NOON = Date.parse('2026-11-27T12:00:00Z');

describe('ClientQuota', () => {
  it('refuses a client past its share of the day until midnight UTC, and serves the others', () => {
    let now = NOON;
    const quota = new ClientQuota({ perMinute: 0, perDay: 3, now: () => now });
    for (let call = 0; call < 3; call += 1) quota.take('key:a');
    const refusal = (() => {
      try {
        quota.take('key:a');
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ClientQuotaError);
    expect(refusal).toMatchObject({ period: 'day', limit: 3, retryAfterMs: 12 * 3_600_000 });
    expect(() => quota.take('addr:127.0.0.1')).not.toThrow();
    now = Date.parse('2026-11-28T00:00:00Z');
    expect(() => quota.take('key:a')).not.toThrow();
  });

  it('refuses a client past its minute with the wait until its oldest call is a minute old', () => {
    let now = NOON;
    const quota = new ClientQuota({ perMinute: 2, perDay: 0, now: () => now });
    quota.take('key:a');
    now += 10_000;
    quota.take('key:a');
    expect(() => quota.take('key:a')).toThrow(expect.objectContaining({ period: 'minute', retryAfterMs: 50_000 }));
  });
});
