/** While a subscriber's buffer is full, the pacer looks again this often. */
const PACE_MS = 10;
/**
 * A subscriber full this long with nothing delivered is not reading: it is dropped (closed with
 * 1013) and the others go on, whether or not the next change concerns it (one filtered to a quiet
 * session would otherwise stay full, and hold everyone to a change a second). A subscriber that
 * reads makes room well within it.
 */
export const STALL_MS = 1_000;
/** Changes held for full subscribers, at most: beyond it they are delivered at once, overflowing the slowest. */
export const MAX_HELD_CHANGES = 100_000;

/**
 * Hands changes to this instance's subscribers as fast as the slowest one that reads takes them.
 * A burst (a reconciliation that found thousands of differences, on whichever instance) is held
 * here, once for all subscribers, while some buffer is full, instead of overflowing every
 * subscriber's buffer at once; a change arriving while others are held waits behind them.
 */
export class DeliveryPacer<T> {
  private readonly held: T[] = [];
  private heldStart = 0;
  private pumping = false;
  private closed = false;

  constructor(
    /** Queues the change for every local subscriber it concerns. */
    private readonly deliver: (item: T) => void,
    /** Whether some subscriber's buffer is full (the next change would overflow it). */
    private readonly someoneFull: () => boolean,
    /** Drops every subscriber whose buffer is full. */
    private readonly dropFull: () => void,
  ) {}

  get heldCount(): number {
    return this.held.length - this.heldStart;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.heldCount === 0 && !this.someoneFull()) {
      this.deliver(item);
      return;
    }
    if (this.heldCount >= MAX_HELD_CHANGES) {
      this.deliver(item);
      return;
    }
    this.held.push(item);
    void this.pump();
  }

  close(): void {
    this.closed = true;
    this.held.length = 0;
    this.heldStart = 0;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let waitedMs = 0;
      while (this.heldCount > 0 && !this.closed) {
        if (this.someoneFull() && waitedMs < STALL_MS) {
          await new Promise((resolve) => setTimeout(resolve, PACE_MS).unref());
          waitedMs += PACE_MS;
          continue;
        }
        if (waitedMs >= STALL_MS) this.dropFull();
        waitedMs = 0;
        const item = this.held[this.heldStart];
        this.heldStart += 1;
        if (this.heldStart > 1_024 && this.heldStart * 2 > this.held.length) {
          this.held.splice(0, this.heldStart);
          this.heldStart = 0;
        }
        this.deliver(item);
      }
      if (this.heldCount === 0) {
        this.held.length = 0;
        this.heldStart = 0;
      }
    } finally {
      this.pumping = false;
    }
  }
}
