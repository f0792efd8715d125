import type { SlotGrant } from './rate-governor';
import { ZOOM_COUNTER_TRIP_MS } from './rate-label';

/** How often a granted call that Zoom has not counted yet says so, in windows: often enough that no timer lag lets its slot leave the span. */
const HOLD_EVERY_WINDOWS = 1 / 3;

/**
 * When one granted call is counted in its label's window (docs/zoom-contract.md §5). Zoom counts a
 * call at some moment after it leaves, before it answers and within ZOOM_COUNTER_TRIP_MS: until
 * then its slot is held (a wait for a free connection or a slow handshake can take longer than a
 * window), then it moves to the first of its answer and that trip's end, never earlier. A call
 * that never left (no socket, a refused connection) gives its slot back.
 */
export class CountedCall {
  private left = false;
  private counted = false;
  private done = false;
  private trip: NodeJS.Timeout | undefined;
  private readonly holding: NodeJS.Timeout;

  constructor(
    private readonly grant: SlotGrant,
    windowMs: number,
  ) {
    this.holding = setInterval(() => grant.hold(), Math.max(1, windowMs * HOLD_EVERY_WINDOWS));
    this.holding.unref();
  }

  /** The request was written on a connected socket; again if it went out a second time (a kept-alive socket found closed). */
  readonly leaves = (): void => {
    // A write callback may run after the call was cut (a socket destroyed mid-handshake): that request never went.
    if (this.done) return;
    this.left = true;
    this.counted = false;
    clearTimeout(this.trip);
    this.trip = setTimeout(() => this.count(true), ZOOM_COUNTER_TRIP_MS);
    this.trip.unref();
  };

  /** The call is over: `answered` when Zoom answered, whatever it said. */
  over(answered: boolean): void {
    this.done = true;
    clearTimeout(this.trip);
    if (!this.counted) this.count(answered || this.left);
  }

  private count(sent: boolean): void {
    clearInterval(this.holding);
    this.counted = true;
    this.grant.settle(sent);
  }
}
