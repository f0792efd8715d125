import { DEFAULT_TIME_ZONE, formatDateTime, formatTimeOfDay, zoneLabel } from '../../dashboard/src/format';
import { type ChoiceStorage, TIME_ZONE_STORAGE_KEY, readTimeZoneChoice, saveTimeZoneChoice, timeZoneOf } from '../../dashboard/src/time-zone';

/** A Storage-like map: the choice's rules, without a browser. */
function memoryStorage(initial: Record<string, string> = {}): ChoiceStorage & { readonly items: Record<string, string> } {
  const items = { ...initial };
  return { items, getItem: (key) => items[key] ?? null, setItem: (key, value) => void (items[key] = value) };
}

describe("the dashboard's times", () => {
  it('writes every time alike, to the minute, in UTC unless told another zone', () => {
    expect(DEFAULT_TIME_ZONE).toBe('UTC');
    expect(formatDateTime('2026-10-31T23:31:07Z')).toBe('2026-10-31 23:31 UTC');
    expect(formatDateTime('2026-10-31T23:31:07.250Z', 'UTC')).toBe('2026-10-31 23:31 UTC');
    // The budget view's resetsAt, an epoch instant and an ISO string read the same.
    expect(formatDateTime('2026-12-06T00:00:00.000Z')).toBe('2026-12-06 00:00 UTC');
    expect(formatDateTime(Date.UTC(2026, 11, 6))).toBe('2026-12-06 00:00 UTC');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('')).toBe('—');
    expect(formatDateTime('not a time')).toBe('—');
  });

  it("moves to another zone's date and hour, and names the zone", () => {
    // New York is UTC-4 on 31 October 2026 (daylight saving time ends on 1 November).
    expect(formatDateTime('2026-10-31T23:31:07Z', 'America/New_York')).toBe('2026-10-31 19:31 EDT');
    expect(formatDateTime('2026-11-02T03:15:00Z', 'America/New_York')).toBe('2026-11-01 22:15 EST');
    expect(formatDateTime('2026-10-31T23:31:07Z', 'Asia/Tokyo')).toBe('2026-11-01 08:31 GMT+9');
    expect(zoneLabel('UTC', 0)).toBe('UTC');
    expect(zoneLabel('America/New_York', Date.UTC(2026, 0, 15))).toBe('EST');
  });

  it("writes a chart axis's times of day, with seconds when asked", () => {
    expect(formatTimeOfDay('2026-10-31T00:05:09Z')).toBe('00:05');
    expect(formatTimeOfDay(Date.UTC(2026, 9, 31, 23, 31, 7), 'UTC', true)).toBe('23:31:07');
    expect(formatTimeOfDay(Date.UTC(2026, 9, 31, 23, 31, 7), 'Asia/Tokyo', true)).toBe('08:31:07');
  });

  it("keeps the person's choice of zone, UTC unless they chose their browser's", () => {
    const storage = memoryStorage();
    expect(readTimeZoneChoice(storage)).toBe('utc');
    expect(readTimeZoneChoice(undefined)).toBe('utc');
    saveTimeZoneChoice(storage, 'local');
    expect(storage.items[TIME_ZONE_STORAGE_KEY]).toBe('local');
    expect(readTimeZoneChoice(storage)).toBe('local');
    expect(readTimeZoneChoice(memoryStorage({ [TIME_ZONE_STORAGE_KEY]: 'Mars/Olympus' }))).toBe('utc');
    const refusing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readTimeZoneChoice(refusing)).toBe('utc');
    expect(() => saveTimeZoneChoice(refusing, 'local')).not.toThrow();
  });

  it('turns a choice into the zone the page writes in', () => {
    expect(timeZoneOf('utc', 'Europe/Paris')).toBe('UTC');
    expect(timeZoneOf('local', 'Europe/Paris')).toBe('Europe/Paris');
    expect(timeZoneOf('local', undefined)).toBe('UTC');
  });
});
