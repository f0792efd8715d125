import { ZOOM_COUNTER_TRIP_MS } from './rate-label';

/**
 * When one call is counted in its label's window (docs/zoom-contract.md §5): Zoom counts a call
 * at some moment after it leaves, before it answers and within ZOOM_COUNTER_TRIP_MS, so its entry
 * moves to the first of its answer and that trip's end, never earlier; a call that never left
 * (no socket, a refused connection) gives its slot back.
 */
export class CountedCall {
  private left = false;
  private counted = false;
  private trip: NodeJS.Timeout | undefined;

  constructor(private readonly settle: (sent: boolean) => void) {}

  /** The request was written on a connected socket; again if it went out a second time (a kept-alive socket found closed). */
  readonly leaves = (): void => {
    this.left = true;
    this.counted = false;
    clearTimeout(this.trip);
    this.trip = setTimeout(() => {
      this.counted = true;
      this.settle(true);
    }, ZOOM_COUNTER_TRIP_MS);
    this.trip.unref();
  };

  /** The call is over: `answered` when Zoom answered, whatever it said. */
  over(answered: boolean): void {
    clearTimeout(this.trip);
    if (!this.counted) this.settle(answered || this.left);
  }
}
