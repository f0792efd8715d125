import { nextUtcMidnightMs } from '../time/calendar';
import { ZoomError } from '../zoom/errors';

/** A client has spent its own quota of Zoom calls (a minute's, or its share of the day's): others are still served. */
export class ClientQuotaError extends ZoomError {
  constructor(
    readonly period: 'minute' | 'day',
    readonly limit: number,
    readonly retryAfterMs: number,
  ) {
    super(period === 'minute' ? `this client has spent its ${limit} Zoom calls a minute` : `this client has spent its share of ${limit} Zoom calls today`);
  }
}

export const CLIENT_QUOTA_WINDOW_MS = 60_000;
/** Clients remembered at once; the least recent is forgotten first (it has spent nothing lately). */
export const CLIENT_QUOTA_MAX_CLIENTS = 10_000;

export interface ClientQuotaOptions {
  /** Zoom calls one client may cause per minute; 0: no such quota. */
  readonly perMinute: number;
  /** Zoom calls one client may cause per UTC day (its share of the daily cap); 0: no such quota. */
  readonly perDay: number;
  readonly now: () => number;
}

interface ClientSpend {
  /** Send times within the last minute (only with a per-minute quota). */
  minute: number[];
  day: { resetAt: number; used: number };
}

/**
 * Zoom calls per client (API key, JWT subject, or address), so that no client can spend the
 * budget or the daily cap the others need. Counted per instance: with N instances a client may
 * get up to N times its quota, which the shared budget and daily cap still bound.
 */
export class ClientQuota {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  private readonly clients = new Map<string, ClientSpend>();

  constructor(private readonly options: ClientQuotaOptions) {}

  get perMinute(): number {
    return this.options.perMinute;
  }

  get perDay(): number {
    return this.options.perDay;
  }

  /** Counts one Zoom call for the client, or throws ClientQuotaError when its minute or its day is spent. */
  take(client: string): void {
    const { perMinute, perDay } = this.options;
    const now = this.options.now();
    const spend = this.clients.get(client) ?? { minute: [], day: { resetAt: 0, used: 0 } };
    this.clients.delete(client);
    this.clients.set(client, spend);
    if (now >= spend.day.resetAt) spend.day = { resetAt: nextUtcMidnightMs(now), used: 0 };
    if (perDay > 0 && spend.day.used >= perDay) throw new ClientQuotaError('day', perDay, spend.day.resetAt - now);
    if (perMinute > 0) {
      spend.minute = spend.minute.filter((at) => at > now - CLIENT_QUOTA_WINDOW_MS);
      if (spend.minute.length >= perMinute) throw new ClientQuotaError('minute', perMinute, spend.minute[0] + CLIENT_QUOTA_WINDOW_MS - now);
      spend.minute.push(now);
    }
    spend.day.used += 1;
    for (const [oldest] of this.clients) {
      if (this.clients.size <= CLIENT_QUOTA_MAX_CLIENTS) break;
      this.clients.delete(oldest);
    }
  }
}
