import { Day, addMonths, firstOfMonth, fitsOneZoomRange, lastOfMonth } from '../time/calendar';

/** One Zoom query range: `from`..`to`, inclusive, short enough for Zoom to answer in one walk. */
export interface Window {
  readonly from: Day;
  readonly to: Day;
}

/**
 * Splits a client's range into Zoom windows, newest first.
 * A range Zoom takes whole stays whole (one walk). A longer one is cut on calendar-month
 * boundaries rather than at `to` minus a month, so that different client ranges share the
 * same inner windows, and with them cached pages.
 */
export function splitIntoWindows(from: Day, to: Day): Window[] {
  if (from > to) return [];
  if (fitsOneZoomRange(from, to)) return [{ from, to }];
  const windows: Window[] = [];
  for (let month = firstOfMonth(to); month >= firstOfMonth(from); month = addMonths(month, -1)) {
    const start = month < from ? from : month;
    const end = lastOfMonth(month) > to ? to : lastOfMonth(month);
    windows.push({ from: start, to: end });
  }
  return windows;
}

/** The windows of a range that can hold sessions by `today`: nothing is asked of Zoom about days to come. */
export function windowsUntil(from: Day, to: Day, today: Day): Window[] {
  return splitIntoWindows(from, to < today ? to : today);
}
