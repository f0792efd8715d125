import { remember } from '../remember';

/**
 * Zoom's date rules for `from`/`to`, on `yyyy-mm-dd` strings (UTC calendar days).
 * Zoom documents the rules but not how it counts them (docs/zoom-contract.md §1, confidence L),
 * so each counting choice lives in one constant or function here.
 */

/** A calendar day as Zoom takes it: `yyyy-mm-dd`. */
export type Day = string;

/** Zoom: "the range may cover one month at most". Counted in calendar months, bounds inclusive (L). */
export const ZOOM_MAX_RANGE_MONTHS = 1;

/** Zoom: "must lie within the last six months". Counted back from today in calendar months (L). */
export const ZOOM_HISTORY_MONTHS = 6;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_LENGTH = 10;
const MS_PER_DAY = 86_400_000;
/**
 * Every request works out today, its range's windows and Zoom's horizon from a handful of days;
 * worked out afresh with Date objects and ISO strings it shows in a cached request's profile, so
 * results are remembered.
 */
const DAYS_REMEMBERED = 4096;

/** Midnight UTC of a day given as Date.UTC takes it, but for every year: Date.UTC takes years 0 to 99 for 1900 to 1999. */
function utcDay(year: number, month: number, date: number): Date {
  const day = new Date(0);
  day.setUTCFullYear(year, month, date);
  return day;
}

/** Parses a `yyyy-mm-dd` string into UTC epoch milliseconds, or undefined when it is not a real date. */
export function parseDay(day: string): number | undefined {
  return day.length === DAY_LENGTH ? rememberedParseDay(day) : undefined;
}

const rememberedParseDay = remember((day: string): number | undefined => {
  const match = DAY_PATTERN.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = utcDay(year, month - 1, date);
  const ms = check.getTime();
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    return undefined;
  }
  return ms;
}, DAYS_REMEMBERED);

export function isDay(value: string): value is Day {
  return parseDay(value) !== undefined;
}

/** The day `dayNumber` days after 1970-01-01. */
export const dayOfNumber = remember((dayNumber: number): Day => new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, DAY_LENGTH), DAYS_REMEMBERED);

export function dayFromMs(ms: number): Day {
  return dayOfNumber(Math.floor(ms / MS_PER_DAY));
}

/** Days since 1970-01-01: a day in two bytes, as cursors hold it. */
export function dayNumber(day: Day): number {
  return dayMs(day) / MS_PER_DAY;
}

function dayMs(day: Day): number {
  const ms = parseDay(day);
  if (ms === undefined) throw new RangeError(`not a yyyy-mm-dd day: ${day}`);
  return ms;
}

export function addDays(day: Day, days: number): Day {
  return dayFromMs(dayMs(day) + days * MS_PER_DAY);
}

/** Adds calendar months, clamping to the last day of a shorter month (Jan 31 + 1 month = Feb 28 or 29). */
export function addMonths(day: Day, months: number): Day {
  if (day.length !== DAY_LENGTH || !Number.isInteger(months)) throw new RangeError(`cannot add ${months} months to ${day}`);
  return rememberedAddMonths(`${day}${months}`);
}

/** Keyed by the day and the count written after it (`2026-10-01-6`): the day has a fixed length. */
const rememberedAddMonths = remember((key: string): Day => {
  const day = key.slice(0, DAY_LENGTH);
  const months = Number(key.slice(DAY_LENGTH));
  const date = new Date(dayMs(day));
  const target = utcDay(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  const lastOfTarget = utcDay(target.getUTCFullYear(), target.getUTCMonth() + 1, 0).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastOfTarget));
  return dayFromMs(target.getTime());
}, DAYS_REMEMBERED);

export function firstOfMonth(day: Day): Day {
  return `${day.slice(0, 8)}01`;
}

export function lastOfMonth(day: Day): Day {
  return addDays(addMonths(firstOfMonth(day), 1), -1);
}

/** The first and last days a `yyyy-mm-dd` string can name: no range runs past them. */
export const FIRST_DAY: Day = '0000-01-01';
export const LAST_DAY: Day = '9999-12-31';

/** The last `to` Zoom accepts for a given `from`: one calendar month minus a day, bounds inclusive. */
export function lastDayOfRange(from: Day): Day {
  // The month after lies in year 10000, which no day string names (a client's `to: "9999-12-31"`, meaning "no end").
  if (from > addMonths(LAST_DAY, -ZOOM_MAX_RANGE_MONTHS)) return LAST_DAY;
  return addDays(addMonths(from, ZOOM_MAX_RANGE_MONTHS), -1);
}

/**
 * The earliest `from` Zoom accepts for a given `to`: the start of the one-month window that ends
 * at `to`, counted as lastDayOfRange counts it. Not simply `to` minus a month plus a day: months
 * clamp, so for 2026-04-30 that gives 2026-03-31, whose range ends on 2026-04-29. The answer is
 * at most a few days from that guess, and lastDayOfRange never decreases, so it is walked to.
 */
export function firstDayOfRange(to: Day): Day {
  // The month before lies in year -1, which no day string names.
  if (to < addMonths(FIRST_DAY, ZOOM_MAX_RANGE_MONTHS)) return FIRST_DAY;
  let from = addDays(addMonths(to, -ZOOM_MAX_RANGE_MONTHS), 1);
  while (!fitsOneZoomRange(from, to)) from = addDays(from, 1);
  while (fitsOneZoomRange(addDays(from, -1), to)) from = addDays(from, -1);
  return from;
}

/** Whether Zoom answers `from`..`to` in one query. */
export function fitsOneZoomRange(from: Day, to: Day): boolean {
  return from <= to && to <= lastDayOfRange(from);
}

/** The earliest `from` Zoom accepts today. */
export function historyStart(today: Day): Day {
  return addMonths(today, -ZOOM_HISTORY_MONTHS);
}

export function todayUtc(nowMs: number): Day {
  return dayFromMs(nowMs);
}

/** Zoom's daily caps reset at midnight UTC (docs/zoom-contract.md §5, L): the next one after `nowMs`. */
export function nextUtcMidnightMs(nowMs: number): number {
  return (Math.floor(nowMs / MS_PER_DAY) + 1) * MS_PER_DAY;
}
