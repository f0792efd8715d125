import type { SlotGrant } from './rate-governor';

/** How often a granted call that is not over says so, in windows: often enough that no timer lag lets its slot leave the span. */
const HOLD_EVERY_WINDOWS = 1 / 3;

/**
 * When one granted call is counted in its label's window (docs/zoom-contract.md §5). Zoom counts a
 * call at some moment after it leaves and before it answers: until its answer its slot is held (a
 * wait for a free connection, a slow handshake or a slow Zoom can each outlast a window), then it
 * counts from the answer, for a window. A call that never left (no socket, a refused connection)
 * gives its slot back.
 */
export class CountedCall {
  private left = false;
  private done = false;
  private readonly holding: NodeJS.Timeout;

  constructor(
    private readonly grant: SlotGrant,
    windowMs: number,
  ) {
    this.holding = setInterval(() => grant.hold(), Math.max(1, windowMs * HOLD_EVERY_WINDOWS));
    this.holding.unref();
  }

  /** The request was written on a connected socket (again, if it went out a second time). */
  readonly leaves = (): void => {
    // A write callback may run after the call was cut (a socket destroyed mid-handshake): that request never went.
    if (!this.done) this.left = true;
  };

  /** The call is over: `answered` when Zoom answered, whatever it said. */
  over(answered: boolean): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.holding);
    this.grant.settle(answered || this.left);
  }
}
