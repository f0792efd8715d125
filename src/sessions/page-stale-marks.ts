import { Day, addDays, dayFromMs } from '../time/calendar';
import type { WireSession } from '../zoom/wire';

/** Days remembered at once: a mark only matters while pages fetched before it are kept (an hour at most). */
export const STALE_MARK_DAYS_KEPT = 64;
/** A session is marked on each day from its start to its end, at most this many (a longer one is no Video SDK session). */
export const STALE_MARK_MAX_SPAN_DAYS = 3;

/**
 * Which cached session pages an event has made stale, on this instance. A session that started or
 * ended changes every list whose window holds its days: a page of such a window fetched before
 * the event is no longer the truth, whichever tier it came from (in-process, or Redis where
 * another instance stored it), so it is read from Zoom again rather than served until it expires.
 * Every instance hears every event on the live bus, so every instance marks; nothing enumerates keys.
 */
export class PageStaleMarks {
  // A Map iterates in insertion order: re-inserting on each mark keeps the oldest first.
  private readonly marks = new Map<Day, number>();

  constructor(private readonly now: () => number) {}

  /** This session's lists changed now: its start day through its end day (or today, while it runs). */
  markSession(session: Pick<WireSession, 'start_time' | 'end_time'>): void {
    const at = this.now();
    const startMs = Date.parse(session.start_time);
    const endMs = session.end_time ? Date.parse(session.end_time) : at;
    const first = dayFromMs(Number.isNaN(startMs) ? at : startMs);
    const last = dayFromMs(Number.isNaN(endMs) ? at : endMs);
    let day = first;
    for (let i = 0; i < STALE_MARK_MAX_SPAN_DAYS && day <= last; i += 1, day = addDays(day, 1)) this.mark(day, at);
    this.mark(last, at);
  }

  /** True when the page, fetched at `fetchedAt`, covers a day marked since. */
  isStale(window: { readonly from: Day; readonly to: Day }, fetchedAt: number | undefined): boolean {
    if (fetchedAt === undefined) return false;
    for (const [day, at] of this.marks) {
      if (at > fetchedAt && day >= window.from && day <= window.to) return true;
    }
    return false;
  }

  private mark(day: Day, at: number): void {
    this.marks.delete(day);
    this.marks.set(day, at);
    if (this.marks.size > STALE_MARK_DAYS_KEPT) this.marks.delete(this.marks.keys().next().value as Day);
  }
}
