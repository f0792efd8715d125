import { UNKNOWN_RANGE_WINDOWS, sessionsFieldCost, windowCount } from '../../src/limits/cost.plugin';

const TODAY = '2026-11-27';

describe('the cost model', () => {
  it('counts the month windows the reader would walk, cut to Zoom\'s history and to today', () => {
    expect(windowCount('2026-10-01', '2026-10-31', TODAY)).toBe(1);
    expect(windowCount('2026-10-15', '2026-11-14', TODAY)).toBe(1);
    expect(windowCount('2026-07-01', '2026-11-30', TODAY)).toBe(5);
    expect(windowCount('2026-10-01', '2028-12-31', TODAY)).toBe(2);
    expect(windowCount('1000-01-01', '9999-12-31', TODAY)).toBe(7);
    expect(windowCount('2027-01-01', '2027-01-31', TODAY)).toBe(1);
  });

  it('prices what it cannot read as the longest range', () => {
    expect(windowCount(undefined, '2026-10-31', TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
    expect(windowCount('2026-02-30', '2026-03-01', TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
    expect(windowCount(20261001, '2026-10-31', TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
  });

  it('weighs a sessions field by windows times the 300-session pages first may span', () => {
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 30, 300, TODAY)).toBe(1);
    expect(sessionsFieldCost('2026-07-01', '2026-11-27', 300, 300, TODAY)).toBe(5);
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 600, 1000, TODAY)).toBe(2);
    // Out of range `first` is the resolver's to refuse with BAD_USER_INPUT, not the cost model's.
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 99_999_999, 300, TODAY)).toBe(1);
  });
});
