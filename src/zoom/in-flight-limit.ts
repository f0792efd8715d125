import { ZoomCapacityError } from './errors';

/** A call refused for want of a free slot is worth asking again soon: slots turn over with each Zoom answer. */
export const RETRY_AFTER_MS = 1_000;

/** What a caller gives back when its call is over; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Caps the Zoom calls of one process that are on the wire at once, below the sockets its agent
 * has: a call past the cap waits here, where the wait is known to be ours, instead of inside the
 * agent, where it would look like a slow Zoom. Waiters are served first come, first served.
 */
export class InFlightLimit {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`the in-flight limit must be a whole number of at least 1; got ${max}`);
  }

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release once a slot is free; throws ZoomCapacityError when none comes free within `maxWaitMs`. */
  acquire(maxWaitMs: number): Promise<Release> {
    if (this.active < this.max && this.waiters.length === 0) return Promise.resolve(this.take());
    if (maxWaitMs <= 0) return Promise.reject(new ZoomCapacityError(RETRY_AFTER_MS, 'a free call slot'));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new ZoomCapacityError(RETRY_AFTER_MS, 'a free call slot'));
      }, maxWaitMs);
      this.waiters.push(waiter);
    });
  }

  private take(): Release {
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      const next = this.waiters.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(this.take());
      }
    };
  }
}
