import { ZoomCircuitOpenError } from './errors';
import type { Timers } from '../time/timers';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures (5xx, timeouts, network, broken bodies) that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe is let through. */
  readonly cooldownMs: number;
}

/**
 * Stops calling Zoom while it is down, so that clients fail fast and Zoom is not hammered;
 * after the cool-down one probe decides. Answers that prove Zoom is up, 4xx included, close it.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly timers: Timers,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {}

  state(): BreakerState {
    return this.current;
  }

  /** Throws ZoomCircuitOpenError unless a call may go out now. */
  before(): void {
    if (this.current === 'closed') return;
    const openFor = this.timers.now() - this.openedAt;
    if (this.current === 'open' && openFor >= this.options.cooldownMs) this.move('half-open');
    if (this.current === 'half-open' && !this.probing) {
      this.probing = true;
      return;
    }
    throw new ZoomCircuitOpenError(Math.max(0, this.options.cooldownMs - openFor));
  }

  /** The call let through by before() never went out (the rate governor refused it). */
  released(): void {
    this.probing = false;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.move('closed');
  }

  failed(): void {
    this.failures += 1;
    const probeFailed = this.current === 'half-open';
    this.probing = false;
    if (probeFailed || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.timers.now();
      if (this.current !== 'open') this.move('open');
    }
  }

  private move(state: BreakerState): void {
    this.current = state;
    this.onChange(state);
  }
}
