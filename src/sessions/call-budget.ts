/** A request has spent its cap of Zoom calls: the walk stops and the client continues from endCursor. */
export class CallCapReached extends Error {
  constructor(readonly cap: number) {
    super(`this request has spent its ${cap} Zoom calls`);
    this.name = 'CallCapReached';
  }
}

/**
 * Zoom calls one GraphQL request may spend, so that one query over a long range cannot eat
 * everyone's budget. Only real calls count: cached pages and calls shared with others are free.
 */
export class CallBudget {
  private spent = 0;
  /** Zoom's tracking ids of the calls made, for the request's log line. */
  readonly trackingIds: string[] = [];

  /** The age of the oldest page this request was served past its freshness (stale if error), if any. */
  staleAgeMs: number | undefined;

  constructor(
    readonly cap: number,
    /** Called before each call is counted; throws to refuse it (a client's quota). */
    private readonly onCall?: () => void,
  ) {}

  noteStale(ageMs: number): void {
    this.staleAgeMs = Math.max(this.staleAgeMs ?? 0, ageMs);
  }

  noteTrackingId(trackingId: string | undefined): void {
    if (trackingId !== undefined) this.trackingIds.push(trackingId);
  }

  spend(): void {
    if (this.spent >= this.cap) throw new CallCapReached(this.cap);
    this.onCall?.();
    this.spent += 1;
  }

  get calls(): number {
    return this.spent;
  }
}
