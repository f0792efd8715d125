import { LRUCache } from 'lru-cache';
import { nextUtcMidnightMs } from '../time/calendar';
import { CLIENT_QUOTA_MAX_CLIENTS, CLIENT_QUOTA_WINDOW_MS, type ClientQuotaStore, type QuotaAnswer, type QuotaLimits } from './client-quota-store';

interface ClientSpend {
  /** Send times within the last minute. */
  minute: number[];
  day: { resetAt: number; used: number };
}

/** Each client's calls in this process, on the clock it is given (real time, as Zoom's daily cap: seams.ts). */
export class MemoryClientQuotaStore implements ClientQuotaStore {
  private readonly clients = new LRUCache<string, ClientSpend>({ max: CLIENT_QUOTA_MAX_CLIENTS });

  constructor(private readonly now: () => number) {}

  async take(client: string, limits: QuotaLimits): Promise<QuotaAnswer> {
    return this.takeNow(client, limits);
  }

  takeNow(client: string, limits: QuotaLimits): QuotaAnswer {
    const now = this.now();
    const spend = this.spendOf(client, now);
    if (limits.perDay > 0 && spend.day.used >= limits.perDay) return { granted: false, period: 'day', retryAfterMs: spend.day.resetAt - now };
    if (limits.perMinute > 0 && spend.minute.length >= limits.perMinute) {
      return { granted: false, period: 'minute', retryAfterMs: spend.minute[spend.minute.length - limits.perMinute] + CLIENT_QUOTA_WINDOW_MS - now };
    }
    return { granted: true, giveBack: this.record(client) };
  }

  /** Calls counted for `client` today. */
  usedToday(client: string): number {
    return this.spendOf(client, this.now()).day.used;
  }

  /**
   * Counts a call (this store's grant, or another store's, so that this one does not start empty if it has
   * to decide alone); what it returns uncounts that call.
   */
  record(client: string): () => Promise<void> {
    const now = this.now();
    const spend = this.spendOf(client, now);
    spend.minute.push(now);
    spend.day.used += 1;
    const day = spend.day;
    let givenBack = false;
    return async () => {
      // The client's record as it is now: forgotten (nothing to free), or a later minute and day (not freed).
      const current = this.clients.peek(client);
      if (givenBack || current === undefined) return;
      givenBack = true;
      const place = current.minute.indexOf(now);
      if (place >= 0) current.minute.splice(place, 1);
      if (current.day === day && day.used > 0) day.used -= 1;
    };
  }

  private spendOf(client: string, now: number): ClientSpend {
    const spend = this.clients.get(client) ?? { minute: [], day: { resetAt: 0, used: 0 } };
    this.clients.set(client, spend);
    if (now >= spend.day.resetAt) spend.day = { resetAt: nextUtcMidnightMs(now), used: 0 };
    spend.minute = spend.minute.filter((at) => at > now - CLIENT_QUOTA_WINDOW_MS);
    return spend;
  }
}
