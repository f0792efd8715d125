import { deduplicationKey, parseZoomEvent } from '../../src/live/live-event';
import { SessionEventType } from '../../src/live/session-event-type.enum';

const joined = {
  event: 'session.user_joined',
  event_ts: 1764578400123,
  payload: {
    account_id: 'acc',
    object: {
      id: 'sfk/aOFJSJSYhGwk1hnxgw==',
      session_id: 'other-id',
      session_name: 'My session',
      start_time: '2026-12-01T08:00:00Z',
      user: { id: '16778240', name: 'Ada', join_time: '2026-12-01T08:00:01Z', participant_uuid: 'uuid-1' },
    },
  },
};

describe('Zoom webhook events', () => {
  it('reads a user event into the live event the state applies', () => {
    expect(parseZoomEvent(joined)).toEqual({
      type: SessionEventType.USER_JOINED,
      ts: 1764578400123,
      sessionId: 'sfk/aOFJSJSYhGwk1hnxgw==',
      otherSessionId: 'other-id',
      sessionName: 'My session',
      sessionKey: null,
      startTime: '2026-12-01T08:00:00Z',
      endTime: null,
      user: { id: '16778240', name: 'Ada', userKey: null, participantUuid: 'uuid-1', joinTime: '2026-12-01T08:00:01Z', leaveTime: null, leaveReason: null },
    });
  });

  it('de-duplicates on event name, event_ts, session and participant', () => {
    const event = parseZoomEvent(joined);
    if (typeof event === 'string') throw new Error(event);
    expect(deduplicationKey(event)).toBe('["USER_JOINED",1764578400123,"sfk/aOFJSJSYhGwk1hnxgw==","uuid-1"]');
  });

  it('takes a time that is no date, or lies past year 9999, as absent', () => {
    const event = parseZoomEvent({
      event: 'session.user_joined',
      event_ts: 5,
      payload: { object: { id: 's', start_time: '2026-12-08T25:00:00Z', user: { id: 'u', name: 'U', join_time: '+275760-09-13T00:00:00.000Z' } } },
    });
    expect(typeof event !== 'string' && [event.startTime, event.user?.joinTime]).toEqual([null, null]);
    const fine = parseZoomEvent({ event: 'session.started', event_ts: 5, payload: { object: { id: 's', start_time: '2026-12-08T23:00:00Z' } } });
    expect(typeof fine !== 'string' && fine.startTime).toBe('2026-12-08T23:00:00Z');
    // In UTC, as Zoom's lists write it: the LIVE list files and orders sessions by this text (found by review).
    const startsAt = (startTime: string) => {
      const parsed = parseZoomEvent({ event: 'session.started', event_ts: 5, payload: { object: { id: 's', start_time: startTime } } });
      return typeof parsed !== 'string' && parsed.startTime;
    };
    expect(['2026-12-08T07:00:00+08:00', '2026-12-07T23:00Z', '2026-12-07T23:00:00.250Z', '2026-12-07T18:00:00-05:00'].map(startsAt)).toEqual([
      '2026-12-07T23:00:00Z',
      '2026-12-07T23:00:00Z',
      '2026-12-07T23:00:00Z',
      '2026-12-07T23:00:00Z',
    ]);
    // No zone (read in the server's own, it would differ between instances), no calendar date, no ISO form: absent (found by review).
    expect(['2024-05-01T07:00:00', '2024-05-01 07:00:00Z', '2024-02-31T10:00:00Z', 'Mon, 07 Dec 2026 23:00:00 GMT', '1'].map(startsAt)).toEqual([null, null, null, null, null]);
  });

  it('takes session_id when id is missing', () => {
    const event = parseZoomEvent({ event: 'session.started', event_ts: 5, payload: { object: { session_id: 'only-this' } } });
    expect(typeof event !== 'string' && event.sessionId).toBe('only-this');
  });

  it.each([
    ['not an object', 'session.started', 'the body is not a JSON object'],
    [{ event: 'meeting.started', event_ts: 1, payload: { object: { id: 'x' } } }, '', 'event "meeting.started" is not one the gateway uses'],
    [{ event: 'hasOwnProperty', event_ts: 1, payload: { object: { id: 'x' } } }, '', 'event "hasOwnProperty" is not one the gateway uses'],
    [{ event: 'constructor', event_ts: 1, payload: { object: { id: 'x' } } }, '', 'event "constructor" is not one the gateway uses'],
    [{ event: 'session.started', event_ts: '1', payload: { object: { id: 'x' } } }, '', 'event_ts is not epoch milliseconds of a date'],
    [{ event: 'session.started', event_ts: 1.5, payload: { object: { id: 'x' } } }, '', 'event_ts is not epoch milliseconds of a date'],
    [{ event: 'session.started', event_ts: 253402300800000, payload: { object: { id: 'x' } } }, '', 'event_ts is not epoch milliseconds of a date'],
    [{ event: ['session.started'], event_ts: 1, payload: { object: { id: 'x' } } }, '', 'event of type object is not one the gateway uses'],
    [{ event: 'session.started', event_ts: 1, payload: {} }, '', 'payload.object is missing'],
    [{ event: 'session.started', event_ts: 1, payload: { object: { id: '' } } }, '', 'payload.object has no session id'],
    [{ event: 'session.user_left', event_ts: 1, payload: { object: { id: 'x' } } }, '', 'payload.object.user is missing or has no id'],
    [{ event: 'session.started', event_ts: 1, payload: { object: { id: 'x'.repeat(1_025) } } }, '', 'payload.object has no session id'],
  ])('refuses %j', (body, _unused, reason) => {
    expect(parseZoomEvent(body === 'not an object' ? 'session.started' : body)).toBe(reason);
  });
});
