import type { ZoomCallObserver } from '../budget/zoom-caller';

/** A request has spent its cap of Zoom calls: the walk stops and the client continues from endCursor. */
export class CallCapReached extends Error {
  constructor(readonly cap: number) {
    super(`this request has spent its ${cap} Zoom calls`);
    this.name = 'CallCapReached';
  }
}

/**
 * What Zoom served one request: every attempt that reached it (retries and cursor recovery
 * included, calls refused before they went out not), and Zoom's tracking ids, for its log line.
 */
export class ZoomCallLog implements ZoomCallObserver {
  calls = 0;
  readonly trackingIds: string[] = [];
  staleAgeMs: number | undefined;

  sent(trackingId: string | undefined): void {
    this.calls += 1;
    if (trackingId !== undefined) this.trackingIds.push(trackingId);
  }
}

/**
 * Zoom calls one GraphQL request may spend, so that one query over a long range cannot eat
 * everyone's budget. Only real calls count: cached pages and calls shared with others are free.
 */
export class CallBudget implements ZoomCallObserver {
  private spent = 0;

  constructor(
    readonly cap: number,
    /** Shared by the budgets of one request, so that its log line counts every call it made. */
    readonly log: ZoomCallLog = new ZoomCallLog(),
    /** Called before each call is counted; rejects to refuse it (a client's quota), or resolves with what uncounts it. */
    private readonly onCall?: () => Promise<(() => Promise<void>) | void>,
  ) {}

  /** A page served past its freshness (stale if error), kept on the request's log for its `extensions`. */
  noteStale(ageMs: number): void {
    this.log.staleAgeMs = Math.max(this.log.staleAgeMs ?? 0, ageMs);
  }

  /** The age of the oldest page this request was served past its freshness, if any. */
  get staleAgeMs(): number | undefined {
    return this.log.staleAgeMs;
  }

  sent(trackingId: string | undefined): void {
    this.log.sent(trackingId);
  }

  /**
   * Counts one call against the cap and, unless `chargeClient` is false, the client's quota. False is for a
   * count whose call is charged where it is made (a lookup's call goes through the details cache's budget).
   * Resolves with this call's refund: for a call that was not made after all (another load of the same page
   * was under way, another instance filled it, or the account's budget refused it), the request's allowance
   * and the client's quota get it back, in the minute and day it was taken in, since only calls that reach
   * Zoom are the client's to pay for. A refund is used once.
   */
  async spend(chargeClient = true): Promise<() => void> {
    if (this.spent >= this.cap) throw new CallCapReached(this.cap);
    // Counted before the wait for the client's quota, so that calls started together cannot pass the cap.
    this.spent += 1;
    let giveBack: (() => Promise<void>) | void;
    if (chargeClient) {
      try {
        giveBack = await this.onCall?.();
      } catch (error) {
        this.spent -= 1;
        throw error;
      }
    }
    let refunded = false;
    return () => {
      if (refunded) return;
      refunded = true;
      this.spent = Math.max(0, this.spent - 1);
      // A quota store that fails to uncount keeps the client one call high, as the call had been made.
      giveBack?.().catch(() => undefined);
    };
  }

  /** Every call of the cap is counted (made, or under way). */
  get exhausted(): boolean {
    return this.spent >= this.cap;
  }

  /** Zoom calls this request made (through any budget sharing its log). */
  get calls(): number {
    return this.log.calls;
  }

  get trackingIds(): readonly string[] {
    return this.log.trackingIds;
  }
}

/**
 * Calls that count against two caps: a session looked up by its id alone spends one of the
 * request's calls (shared with its walks) and one of its Heavy calls (a details call is Heavy),
 * and is charged to the client once. Past the Heavy cap it fails with `heavyCapReached`'s error.
 * Both caps are checked, then both taken, in one synchronous step: lookups started together never
 * see a slot the other cap is about to give back, so a refusal names the cap really spent.
 */
export class JointBudget extends CallBudget {
  constructor(
    private readonly request: CallBudget,
    private readonly heavy: CallBudget,
    private readonly heavyCapReached: (cap: number) => Error,
  ) {
    super(Math.min(request.cap, heavy.cap), request.log);
  }

  override async spend(chargeClient = true): Promise<() => void> {
    if (this.request.exhausted) throw new CallCapReached(this.request.cap);
    if (this.heavy.exhausted) throw this.heavyCapReached(this.heavy.cap);
    // Neither awaits before it counts the call (see spend), so both are taken before anything else runs.
    const requestSlot = this.request.spend(false);
    const heavySlot = this.heavy.spend(chargeClient);
    const requestRefund = await requestSlot;
    try {
      const heavyRefund = await heavySlot;
      return () => {
        requestRefund();
        heavyRefund();
      };
    } catch (error) {
      // The client's quota refused it: the request's call is not made either.
      requestRefund();
      throw error;
    }
  }
}
