import { formatDuration, generateSessions, isLive, pastSessionsPerMonth } from '../../src/simulator/dataset';
import { SimSession, startSimulator } from '../../src/simulator/simulator';
import { historyStart, todayUtc } from '../../src/time/calendar';
import { API_KEY, API_SECRET, START_MS } from './sim-helpers';

describe('simulator dataset', () => {
  const sessions = generateSessions(42, START_MS);
  const past = sessions.filter((session) => !isLive(session));
  const live = sessions.filter(isLive);

  it('is the same for the same seed and clock, and differs for another seed', () => {
    expect(generateSessions(42, START_MS)).toEqual(sessions);
    expect(generateSessions(43, START_MS)[0].id).not.toBe(sessions[0].id);
  });

  it('is what a started simulator serves', async () => {
    const sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: () => START_MS });
    try {
      expect(sim.sessions).toEqual(sessions);
    } finally {
      await sim.close();
    }
  });

  it('has base64 IDs with /, + and =, some starting with / and some holding //', () => {
    const ids = sessions.map((session) => session.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9+/]{22}==$/.test(id))).toBe(true);
    expect(ids.some((id) => id.includes('+'))).toBe(true);
    expect(ids.filter((id) => id.startsWith('/')).length).toBeGreaterThanOrEqual(3);
    expect(ids.filter((id) => id.includes('//')).length).toBeGreaterThanOrEqual(1);
    expect(live.some((session) => session.id.startsWith('/'))).toBe(true);
  });

  it('has a month with more than 300 past sessions, and hundreds in the others', () => {
    const perMonth = pastSessionsPerMonth(sessions);
    expect(perMonth['2026-09']).toBeGreaterThan(300);
    for (const month of ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08']) {
      expect(perMonth[month]).toBeGreaterThanOrEqual(100);
    }
  });

  it('has a few sessions older than the six-month horizon, and none that ends after now', () => {
    const horizon = historyStart(todayUtc(START_MS));
    expect(past.some((session) => session.start_time.slice(0, 10) < horizon)).toBe(true);
    expect(past.every((session) => Date.parse(session.end_time as string) <= START_MS)).toBe(true);
  });

  it('has a day with more sessions than a default page', () => {
    const perDay = new Map<string, number>();
    for (const session of past) perDay.set(session.start_time.slice(0, 10), (perDay.get(session.start_time.slice(0, 10)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeGreaterThan(30);
  });

  it('has 5 to 10 live sessions from the last hours, end_time absent or empty', () => {
    expect(live.length).toBeGreaterThanOrEqual(5);
    expect(live.length).toBeLessThanOrEqual(10);
    expect(live.some((session) => !('end_time' in session))).toBe(true);
    expect(live.some((session) => session.end_time === '')).toBe(true);
    for (const session of live) {
      const started = Date.parse(session.start_time);
      expect(START_MS - started).toBeLessThanOrEqual(5 * 3600_000);
      expect(START_MS - started).toBeGreaterThan(0);
    }
  });

  it('writes fields as docs/zoom-contract.md §1 shows them', () => {
    const timeFormat = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    for (const session of sessions) {
      expect(session.start_time).toMatch(timeFormat);
      if (session.end_time) expect(session.end_time).toMatch(timeFormat);
      expect(session.duration).toMatch(/^(\d{2}:)?\d{2}:\d{2}$/);
      expect(['good', 'fair', 'poor', 'bad', '']).toContain(session.audio_quality);
    }
    const keys = (session: SimSession) => Object.keys(session).filter((key) => key !== 'end_time' && key !== 'session_key');
    expect(keys(sessions[0]).sort()).toEqual(
      [
        'id', 'session_name', 'start_time', 'duration', 'user_count', 'has_voip', 'has_video', 'has_screen_share',
        'has_recording', 'has_pstn', 'has_session_summary', 'audio_quality', 'video_quality', 'screen_share_quality',
      ].sort(),
    );
    expect(past.some((session) => session.session_key === '')).toBe(true);
    expect(past.some((session) => !('session_key' in session))).toBe(true);
    expect(past.some((session) => session.duration.length === 8)).toBe(true);
  });

  it('formats durations as mm:ss under an hour, hh:mm:ss from an hour', () => {
    expect(formatDuration(278)).toBe('04:38');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('01:00:00');
  });

  it('can be replaced, and is then served in the simulator order', async () => {
    const mine = [sessions[5], sessions[2]];
    const sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: () => START_MS, sessions: mine });
    try {
      expect(sim.sessions).toEqual([sessions[2], sessions[5]]);
    } finally {
      await sim.close();
    }
  });
});
