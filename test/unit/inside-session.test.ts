import { parseDailyUsageRange } from '../../src/sessions/daily-usage';
import { toSessionDetailFields, withoutSecrets } from '../../src/sessions/session-details';
import { insideTtlMs, sessionRefOf } from '../../src/sessions/session-ref';
import type { WireSessionDetails } from '../../src/zoom/wire';

const details: WireSessionDetails = {
  id: '/ab+c==', session_name: 'Office hours', start_time: '2026-10-07T05:42:28Z', end_time: '2026-10-07T06:12:28Z', duration: '30:00', user_count: 2,
  has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
  session_number: 12_345_678_901, passcode: 'secret', created_at: '2026-10-07T05:40:00Z', total_minutes: 60,
};

describe('session details', () => {
  it('serve the session number as a string beyond Int, createdAt and totalMinutes', () => {
    expect(toSessionDetailFields(details)).toEqual({ sessionNumber: '12345678901', createdAt: new Date('2026-10-07T05:40:00Z'), totalMinutes: 60 });
    expect(toSessionDetailFields({ ...details, session_number: '98765432109', created_at: 'soon', total_minutes: -1 })).toEqual({ sessionNumber: '98765432109', createdAt: null, totalMinutes: null });
    expect(toSessionDetailFields({ ...details, session_number: 1.5, total_minutes: 2 ** 31 })).toEqual({ sessionNumber: null, createdAt: new Date('2026-10-07T05:40:00Z'), totalMinutes: null });
  });

  it('drop the passcode before anything keeps them', () => {
    expect(withoutSecrets(details)).not.toHaveProperty('passcode');
    expect(withoutSecrets(details)).toMatchObject({ id: '/ab+c==', session_number: 12_345_678_901 });
  });
});

describe('session refs and freshness', () => {
  it('ask Zoom for past when the session has ended, live while it runs', () => {
    expect(sessionRefOf({ id: 'a', endTime: new Date(0) })).toEqual({ id: 'a', type: 'past' });
    expect(sessionRefOf({ id: 'a', endTime: null })).toEqual({ id: 'a', type: 'live' });
    expect(insideTtlMs('past', { endedTtlMs: 86_400_000, liveTtlMs: 30_000 })).toBe(86_400_000);
    expect(insideTtlMs('live', { endedTtlMs: 86_400_000, liveTtlMs: 30_000 })).toBe(30_000);
  });
});

describe('parseDailyUsageRange', () => {
  const today = '2026-11-27';
  it('asks one month per calendar month of the range, cut to today', () => {
    expect(parseDailyUsageRange(new Date('2026-08-15'), new Date('2026-10-02'), today)).toEqual({ from: '2026-08-15', to: '2026-10-02', months: ['2026-08-01', '2026-09-01', '2026-10-01'] });
    expect(parseDailyUsageRange(new Date('2026-11-20'), new Date('2027-03-01'), today)).toEqual({ from: '2026-11-20', to: '2026-11-27', months: ['2026-11-01'] });
    expect(parseDailyUsageRange(new Date('2026-11-28'), new Date('2026-12-01'), today)).toEqual({ from: '2026-11-28', to: '2026-11-27', months: [] });
  });

  it('refuses a range beyond six months or upside down', () => {
    expect(() => parseDailyUsageRange(new Date('2026-05-26'), new Date('2026-06-01'), today)).toThrow('Zoom reports the last six months only');
    expect(() => parseDailyUsageRange(new Date('2026-10-05'), new Date('2026-10-01'), today)).toThrow('is after');
  });
});
