import { type LiveSession, type LiveSessionEvent, applySessionEvent } from '../../dashboard/pending/live-events';
import { qosSeries } from '../../dashboard/pending/qos-series';

const standup: LiveSession = { id: 'a/b==', sessionName: 'Standup', sessionKey: null, startTime: '2026-11-27T10:00:00Z', participantsNow: 2 };

function event(type: LiveSessionEvent['type'], sessionId: string, session: LiveSessionEvent['session'] = null): LiveSessionEvent {
  return { type, occurredAt: '2026-11-27T10:05:00Z', sessionId, session, user: null };
}

describe('the Live now page (waiting for sessionEvents, issue 12)', () => {
  it('adds a started session first, once, and drops an ended one', () => {
    const started = event('SESSION_STARTED', 'new', { id: 'new', sessionName: 'Tutoring', sessionKey: 'tutoring', startTime: '2026-11-27T10:05:00Z', userCount: 1 });
    const afterStart = applySessionEvent([standup], started);
    expect(afterStart).toEqual([{ id: 'new', sessionName: 'Tutoring', sessionKey: 'tutoring', startTime: '2026-11-27T10:05:00Z', participantsNow: 1 }, standup]);
    expect(applySessionEvent(afterStart, started)).toBe(afterStart);
    expect(applySessionEvent(afterStart, event('SESSION_ENDED', 'new'))).toEqual([standup]);
    expect(applySessionEvent([standup], event('SESSION_STARTED', 'bare'))[0]).toEqual({ id: 'bare', sessionName: 'bare', sessionKey: null, startTime: '2026-11-27T10:05:00Z', participantsNow: 0 });
  });

  it('moves the participant count as people join and leave, never below zero', () => {
    const joined = applySessionEvent([standup], event('USER_JOINED', 'a/b=='));
    expect(joined[0].participantsNow).toBe(3);
    const left = [1, 2, 3, 4].reduce((sessions) => applySessionEvent(sessions, event('USER_LEFT', 'a/b==')), joined);
    expect(left[0].participantsNow).toBe(0);
    expect(applySessionEvent([standup], event('USER_JOINED', 'unknown'))).toEqual([standup]);
    expect(applySessionEvent([standup], event('RECORDING_STARTED', 'a/b=='))).toEqual([standup]);
  });
});

describe('the Session page (waiting for users { qos }, issue 11)', () => {
  it('draws one line per direction that has values, with gaps where Zoom sent none', () => {
    const metrics = (latencyMs: number | null) => ({ latencyMs, jitterMs: 3, avgLossPercent: 0.1 });
    const samples = [
      { dateTime: '2026-11-27T10:00:00Z', audioInput: metrics(40), audioOutput: metrics(null), videoInput: null, videoOutput: metrics(120) },
      { dateTime: '2026-11-27T10:01:00Z', audioInput: metrics(null), audioOutput: metrics(null), videoInput: null, videoOutput: metrics(110) },
    ];
    expect(qosSeries(samples, 'latencyMs')).toEqual([
      { name: 'audio in', points: [{ x: Date.parse('2026-11-27T10:00:00Z'), y: 40 }, { x: Date.parse('2026-11-27T10:01:00Z'), y: null }] },
      { name: 'video out', points: [{ x: Date.parse('2026-11-27T10:00:00Z'), y: 120 }, { x: Date.parse('2026-11-27T10:01:00Z'), y: 110 }] },
    ]);
    expect(qosSeries(samples, 'jitterMs').map((series) => series.name)).toEqual(['audio in', 'audio out', 'video out']);
  });
});
