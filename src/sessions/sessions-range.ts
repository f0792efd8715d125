import { Day, firstDayOfRange } from '../time/calendar';
import type { Window } from './windows';

/** The bounds a client gave; either may be left out. */
export interface GivenRange {
  readonly from?: Day;
  readonly to?: Day;
}

/**
 * The range a `sessions` query reads. A bound left out means what a person asking means: `to`
 * is today (UTC); `from` is the first day of the one-month window that ends at `to`, the longest
 * range Zoom answers in one call. So no bounds list what is live now (LIVE) or the last month
 * (PAST), and `from` alone reads from that day up to today. Given bounds stay as given.
 *
 * Continuing after a cursor, a bound left out is taken from the cursor's window, not from today:
 * the cursor belongs to the range it was issued for, so yesterday's cursor of a query without
 * bounds goes on with yesterday's listing instead of being refused as another query's.
 */
export function sessionsRange(given: GivenRange, today: Day, cursorWindow?: Window): Window {
  const to = given.to ?? cursorWindow?.to ?? today;
  const from = given.from ?? cursorWindow?.from ?? firstDayOfRange(to);
  return { from, to };
}
