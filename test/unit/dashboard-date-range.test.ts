import { calendarMonth, isValidRange, lastMonth, liveRange } from '../../dashboard/src/date-range';

describe("the dashboard's date ranges", () => {
  it('defaults to the last month up to today, which Zoom answers in one window', () => {
    expect(lastMonth(Date.parse('2026-11-27T12:00:00Z'))).toEqual({ from: '2026-10-28', to: '2026-11-27' });
    expect(lastMonth(Date.parse('2026-03-31T23:59:59Z'))).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(lastMonth(Date.parse('2028-03-30T08:00:00Z'))).toEqual({ from: '2028-03-01', to: '2028-03-30' });
    expect(lastMonth(Date.parse('2027-01-01T00:00:00Z'))).toEqual({ from: '2026-12-02', to: '2027-01-01' });
  });

  it('looks for live sessions started today or yesterday', () => {
    expect(liveRange(Date.parse('2026-11-27T00:30:00Z'))).toEqual({ from: '2026-11-26', to: '2026-11-27' });
    expect(liveRange(Date.parse('2026-03-01T12:00:00Z'))).toEqual({ from: '2026-02-28', to: '2026-03-01' });
  });

  it('names calendar months by their first and last day', () => {
    expect(calendarMonth(2026, 10)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(calendarMonth(2028, 2)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('sends only two real days in order', () => {
    expect(isValidRange({ from: '2026-10-01', to: '2026-10-31' })).toBe(true);
    expect(isValidRange({ from: '2026-10-31', to: '2026-10-31' })).toBe(true);
    expect(isValidRange({ from: '2026-11-01', to: '2026-10-31' })).toBe(false);
    expect(isValidRange({ from: '', to: '2026-10-31' })).toBe(false);
    expect(isValidRange({ from: '2026-1-01', to: '2026-10-31' })).toBe(false);
  });
});
