import { ZoomError } from '../zoom/errors';

/** A client has spent its own quota of Zoom calls: others are still served. */
export class ClientQuotaError extends ZoomError {
  constructor(
    readonly perMinute: number,
    readonly retryAfterMs: number,
  ) {
    super(`this client has spent its ${perMinute} Zoom calls a minute`);
  }
}

export const CLIENT_QUOTA_WINDOW_MS = 60_000;
/** Clients remembered at once; the least recent is forgotten first (it has spent nothing lately). */
export const CLIENT_QUOTA_MAX_CLIENTS = 10_000;

/**
 * Zoom calls per client (API key or JWT subject) and minute, so that no client can spend the
 * budget the others need. Counted per instance: with N instances a client may get up to N times
 * the quota, which the shared budget still bounds.
 */
export class ClientQuota {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  private readonly sent = new Map<string, number[]>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Counts one Zoom call for the client, or throws ClientQuotaError when its minute is spent. */
  take(client: string): void {
    const now = this.now();
    const times = (this.sent.get(client) ?? []).filter((at) => at > now - CLIENT_QUOTA_WINDOW_MS);
    this.sent.delete(client);
    if (times.length >= this.perMinute) {
      this.sent.set(client, times);
      throw new ClientQuotaError(this.perMinute, times[0] + CLIENT_QUOTA_WINDOW_MS - now);
    }
    times.push(now);
    this.sent.set(client, times);
    for (const [oldest] of this.sent) {
      if (this.sent.size <= CLIENT_QUOTA_MAX_CLIENTS) break;
      this.sent.delete(oldest);
    }
  }
}
