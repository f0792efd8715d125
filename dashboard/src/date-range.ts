/** Date ranges as the gateway takes them: `yyyy-mm-dd` days in UTC, both ends inclusive. */

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

const DAY_MS = 86_400_000;

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The default view: the last month up to today, from the day after the same day a month ago
 * (the last day of a shorter month), so that Zoom answers it in one window.
 */
export function lastMonth(nowMs: number): DateRange {
  const today = new Date(nowMs);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth();
  const daysInPreviousMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const monthAgo = Date.UTC(year, month - 1, Math.min(today.getUTCDate(), daysInPreviousMonth));
  return { from: isoDay(monthAgo + DAY_MS), to: isoDay(nowMs) };
}

/** One calendar month, for links such as "October 2026". */
export function calendarMonth(year: number, month: number): DateRange {
  return { from: isoDay(Date.UTC(year, month - 1, 1)), to: isoDay(Date.UTC(year, month, 0)) };
}

/** Whether a range can be sent as it stands: two real days, in order. */
export function isValidRange(range: DateRange): boolean {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && !Number.isNaN(from) && !Number.isNaN(to) && from <= to;
}

/** Live sessions started today or yesterday (UTC): a session that began before midnight is still live. */
export function liveRange(nowMs: number): DateRange {
  return { from: isoDay(nowMs - DAY_MS), to: isoDay(nowMs) };
}
