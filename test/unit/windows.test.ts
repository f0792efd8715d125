import { splitIntoWindows, windowsUntil } from '../../src/sessions/windows';
import { addDays, addMonths, dayNumber, dayOfNumber, firstDayOfRange, fitsOneZoomRange, historyStart, lastDayOfRange, parseDay } from '../../src/time/calendar';

describe('calendar rules', () => {
  it('clamps month arithmetic to the end of shorter months, leap years included', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-27', -6)).toBe('2026-05-27');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('counts one Zoom month as a calendar month, bounds inclusive', () => {
    expect(lastDayOfRange('2026-10-01')).toBe('2026-10-31');
    expect(lastDayOfRange('2026-10-15')).toBe('2026-11-14');
    expect(lastDayOfRange('2026-01-31')).toBe('2026-02-27');
    expect(fitsOneZoomRange('2026-10-01', '2026-10-31')).toBe(true);
    expect(fitsOneZoomRange('2026-10-01', '2026-11-01')).toBe(false);
    expect(fitsOneZoomRange('2026-10-02', '2026-10-01')).toBe(false);
    expect(historyStart('2026-11-27')).toBe('2026-05-27');
    expect(historyStart('2026-08-31')).toBe('2026-02-28');
  });

  it('finds the first day of the one-month window that ends on a day, as lastDayOfRange counts', () => {
    expect(firstDayOfRange('2026-11-27')).toBe('2026-10-28');
    expect(firstDayOfRange('2026-11-30')).toBe('2026-11-01');
    expect(firstDayOfRange('2026-12-31')).toBe('2026-12-01');
    // Not `to` minus a month plus a day: 2026-03-31..2026-04-30 is one day too long for Zoom.
    expect(firstDayOfRange('2026-04-30')).toBe('2026-04-01');
    expect(firstDayOfRange('2026-03-31')).toBe('2026-03-01');
    expect(firstDayOfRange('2026-03-28')).toBe('2026-03-01');
    expect(firstDayOfRange('2026-03-27')).toBe('2026-02-28');
    expect(firstDayOfRange('2026-03-01')).toBe('2026-02-02');
    expect(firstDayOfRange('2026-02-28')).toBe('2026-02-01');
    expect(firstDayOfRange('2028-02-29')).toBe('2028-02-01');
    expect(firstDayOfRange('2026-01-15')).toBe('2025-12-16');
    expect(firstDayOfRange('2026-01-01')).toBe('2025-12-02');
  });

  it('gives, for every day of four years, a window Zoom takes that no earlier day could start', () => {
    for (let to = '2026-01-01'; to < '2030-01-01'; to = addDays(to, 1)) {
      const from = firstDayOfRange(to);
      if (!fitsOneZoomRange(from, to) || fitsOneZoomRange(addDays(from, -1), to)) throw new Error(`firstDayOfRange(${to}) = ${from}`);
    }
  });

  it('works from the first day a date string names to the last: years 0 to 99 are not 1900 to 1999, and no range runs past 9999', () => {
    expect(parseDay('0001-01-01')).toBe(Date.parse('0001-01-01T00:00:00Z'));
    expect(parseDay('0099-02-29')).toBeUndefined();
    expect(parseDay('0096-02-29')).toBe(Date.parse('0096-02-29T00:00:00Z'));
    expect(addMonths('0001-01-31', -1)).toBe('0000-12-31');
    expect(addMonths('0050-03-31', -1)).toBe('0050-02-28');
    expect(firstDayOfRange('0001-01-01')).toBe('0000-12-02');
    expect(firstDayOfRange('0000-01-15')).toBe('0000-01-01');
    expect(firstDayOfRange('9999-12-31')).toBe('9999-12-01');
    expect(lastDayOfRange('9999-12-15')).toBe('9999-12-31');
    expect(fitsOneZoomRange('9999-12-01', '9999-12-31')).toBe(true);
  });

  it('accepts real dates only', () => {
    expect(parseDay('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    expect(parseDay('2026-02-29')).toBeUndefined();
    expect(parseDay('2026-13-01')).toBeUndefined();
    expect(parseDay('2026-1-01')).toBeUndefined();
  });
});

describe('day numbers', () => {
  it('count days since 1970-01-01 both ways', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-10-01')).toBe(20727);
    expect(dayOfNumber(20727)).toBe('2026-10-01');
    expect(dayOfNumber(0xffff)).toBe('2149-06-06');
    expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
  });
});

describe('splitIntoWindows', () => {
  it('keeps a range Zoom takes whole as one window, one day included', () => {
    expect(splitIntoWindows('2026-10-07', '2026-10-07')).toEqual([{ from: '2026-10-07', to: '2026-10-07' }]);
    expect(splitIntoWindows('2026-10-15', '2026-11-14')).toEqual([{ from: '2026-10-15', to: '2026-11-14' }]);
    expect(splitIntoWindows('2026-10-01', '2026-10-31')).toEqual([{ from: '2026-10-01', to: '2026-10-31' }]);
  });

  it('cuts longer ranges on calendar months, newest first, with no gap or overlap', () => {
    expect(splitIntoWindows('2026-06-15', '2026-09-10')).toEqual([
      { from: '2026-09-01', to: '2026-09-10' },
      { from: '2026-08-01', to: '2026-08-31' },
      { from: '2026-07-01', to: '2026-07-31' },
      { from: '2026-06-15', to: '2026-06-30' },
    ]);
  });

  it('handles February in leap and common years, and year ends', () => {
    expect(splitIntoWindows('2028-01-20', '2028-03-02')).toEqual([
      { from: '2028-03-01', to: '2028-03-02' },
      { from: '2028-02-01', to: '2028-02-29' },
      { from: '2028-01-20', to: '2028-01-31' },
    ]);
    expect(splitIntoWindows('2026-12-31', '2027-02-01')).toEqual([
      { from: '2027-02-01', to: '2027-02-01' },
      { from: '2027-01-01', to: '2027-01-31' },
      { from: '2026-12-31', to: '2026-12-31' },
    ]);
  });

  it('returns no window for an empty range', () => {
    expect(splitIntoWindows('2026-10-02', '2026-10-01')).toEqual([]);
  });

  it('asks nothing of days to come', () => {
    expect(windowsUntil('2026-10-01', '2026-12-31', '2026-11-27')).toEqual([
      { from: '2026-11-01', to: '2026-11-27' },
      { from: '2026-10-01', to: '2026-10-31' },
    ]);
    expect(windowsUntil('2026-12-01', '2026-12-31', '2026-11-27')).toEqual([]);
  });
});
