import { CircuitBreaker, BreakerState } from '../../src/zoom/circuit-breaker';
import { ZoomCircuitOpenError } from '../../src/zoom/errors';
import { FakeTimers } from '../fake-timers';

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, probes once after the cool-down, and closes on success', async () => {
    const timers = new FakeTimers();
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000 }, timers, (state) => changes.push(state));
    for (let failure = 0; failure < 3; failure += 1) {
      breaker.before();
      breaker.failed();
    }
    expect(breaker.state()).toBe('open');
    expect(() => breaker.before()).toThrow(ZoomCircuitOpenError);
    await timers.advance(10_000);
    breaker.before();
    expect(breaker.state()).toBe('half-open');
    expect(() => breaker.before()).toThrow(ZoomCircuitOpenError);
    breaker.succeeded();
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens when the probe fails, and a success in between resets the count', async () => {
    const timers = new FakeTimers();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, timers);
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    expect(breaker.state()).toBe('closed');
    breaker.failed();
    expect(breaker.state()).toBe('open');
    await timers.advance(1_000);
    breaker.before();
    breaker.failed();
    expect(breaker.state()).toBe('open');
    const refusal = (() => {
      try {
        breaker.before();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({ retryAfterMs: 1_000 });
  });

  it('lets a new probe through when the last one never went out', async () => {
    const timers = new FakeTimers();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000 }, timers);
    breaker.failed();
    await timers.advance(1_000);
    breaker.before();
    breaker.released();
    expect(() => breaker.before()).not.toThrow();
  });
});
