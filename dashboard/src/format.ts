/** How numbers read at a glance in the lists. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** Zoom rates quality as good, fair, poor or bad; the worst of the three says most. */
const QUALITY_ORDER = ['good', 'fair', 'poor', 'bad'] as const;
export type QualityLevel = (typeof QUALITY_ORDER)[number] | 'unknown';

export function worstQuality(...ratings: readonly (string | null | undefined)[]): QualityLevel {
  let worst = -1;
  for (const rating of ratings) {
    const index = QUALITY_ORDER.findIndex((level) => level === rating?.toLowerCase());
    if (index > worst) worst = index;
  }
  return worst < 0 ? 'unknown' : QUALITY_ORDER[worst];
}

/** The zone every time is shown in unless the person picks their browser's: Zoom's own times are UTC. */
export const DEFAULT_TIME_ZONE = 'UTC';

interface InstantParts {
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:mm */
  readonly minute: string;
  /** HH:mm:ss */
  readonly second: string;
  /** "UTC", or the zone's short name (e.g. "EST", "GMT+2"). */
  readonly zone: string;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The same ISO-like shape in every zone (2026-10-31 23:31), whatever the browser's locale writes. */
function partsOf(ms: number, timeZone: string): InstantParts {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterOf(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const minute = `${parts.hour}:${parts.minute}`;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute,
    second: `${minute}:${parts.second}`,
    zone: timeZone === 'UTC' ? 'UTC' : (parts.timeZoneName ?? timeZone),
  };
}

function instantOf(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A date and time to the minute with its zone: "2026-10-31 23:31 UTC". */
export function formatDateTime(value: string | number | null | undefined, timeZone: string = DEFAULT_TIME_ZONE): string {
  const ms = instantOf(value);
  if (ms === undefined) return '—';
  const parts = partsOf(ms, timeZone);
  return `${parts.date} ${parts.minute} ${parts.zone}`;
}

/** The time of day alone, for a chart's axis (its caption names the zone): "23:31" or "23:31:07". */
export function formatTimeOfDay(value: string | number, timeZone: string = DEFAULT_TIME_ZONE, withSeconds = false): string {
  const ms = instantOf(value);
  if (ms === undefined) return '—';
  const parts = partsOf(ms, timeZone);
  return withSeconds ? parts.second : parts.minute;
}

/** The zone's name as the times show it, for a caption: "UTC", "CET". */
export function zoneLabel(timeZone: string, atMs: number): string {
  return partsOf(atMs, timeZone).zone;
}
