import { ZoomCapacityError } from '../../src/zoom/errors';
import { InFlightLimit } from '../../src/zoom/in-flight-limit';

describe('InFlightLimit', () => {
  it('grants up to its max at once, then hands freed slots to waiters in arrival order', async () => {
    const limit = new InFlightLimit(2);
    const first = await limit.acquire(1_000);
    await limit.acquire(1_000);
    expect(limit.inFlight).toBe(2);
    const order: string[] = [];
    const third = limit.acquire(1_000).then((release) => (order.push('third'), release));
    const fourth = limit.acquire(1_000).then((release) => (order.push('fourth'), release));
    expect(limit.waiting).toBe(2);
    first();
    first();
    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(limit.inFlight).toBe(2);
    expect(limit.waiting).toBe(0);
  });

  it('refuses at once with no wait allowed, and after the wait allowed', async () => {
    const limit = new InFlightLimit(1);
    await limit.acquire(0);
    await expect(limit.acquire(0)).rejects.toBeInstanceOf(ZoomCapacityError);
    const refused = await limit.acquire(20).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ZoomCapacityError);
    expect((refused as ZoomCapacityError).retryAfterMs).toBe(1_000);
    expect(limit.waiting).toBe(0);
    expect(limit.inFlight).toBe(1);
  });

  it('refuses a limit below one', () => {
    expect(() => new InFlightLimit(0)).toThrow(RangeError);
  });
});
