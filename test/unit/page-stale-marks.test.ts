import { PageStaleMarks, STALE_MARK_DAYS_KEPT } from '../../src/sessions/page-stale-marks';

describe('PageStaleMarks', () => {
  const at = Date.parse('2026-03-10T12:00:00Z');
  let now = at;
  const marks = () => new PageStaleMarks(() => now);

  beforeEach(() => {
    now = at;
  });

  it('makes a page of a window holding the session\'s days stale when it was fetched before the event', () => {
    const stale = marks();
    stale.markSession({ start_time: '2026-03-09T23:50:00Z', end_time: '2026-03-10T11:59:00Z' });
    expect(stale.isStale({ from: '2026-03-10', to: '2026-03-10' }, at - 1)).toBe(true);
    expect(stale.isStale({ from: '2026-03-01', to: '2026-03-09' }, at - 1)).toBe(true);
    expect(stale.isStale({ from: '2026-03-10', to: '2026-03-10' }, at)).toBe(false);
    expect(stale.isStale({ from: '2026-03-11', to: '2026-03-31' }, at - 1)).toBe(false);
    expect(stale.isStale({ from: '2026-02-01', to: '2026-03-08' }, at - 1)).toBe(false);
    expect(stale.isStale({ from: '2026-03-10', to: '2026-03-10' }, undefined)).toBe(false);
  });

  it('marks a running session\'s start day through today', () => {
    const stale = marks();
    stale.markSession({ start_time: '2026-03-10T11:00:00Z', end_time: null });
    expect(stale.isStale({ from: '2026-03-10', to: '2026-03-10' }, at - 1)).toBe(true);
    expect(stale.isStale({ from: '2026-03-09', to: '2026-03-09' }, at - 1)).toBe(false);
  });

  it('keeps a bounded number of days, the oldest marked forgotten first', () => {
    const stale = marks();
    for (let day = 0; day <= STALE_MARK_DAYS_KEPT; day += 1) {
      now = at + day;
      const start = new Date(Date.parse('2026-01-01T10:00:00Z') + day * 86_400_000).toISOString();
      stale.markSession({ start_time: start, end_time: start });
    }
    expect(stale.isStale({ from: '2026-01-01', to: '2026-01-01' }, at - 1)).toBe(false);
    expect(stale.isStale({ from: '2026-01-02', to: '2026-01-02' }, at - 1)).toBe(true);
  });
});
