import { parseDurationSeconds, toSession } from '../../src/sessions/session.type';
import { encodeSessionIdForPath, hasDotSegment } from '../../src/zoom/session-id';
import { MAX_PAGE_TOKEN_CHARS, isTimestamp, parseSessionDetails, parseSessionPage } from '../../src/zoom/wire';
import { parseUserPage } from '../../src/zoom/wire-inside';
import { ZoomBadResponseError } from '../../src/zoom/errors';

const WIRE = {
  id: 'sfk/aOFJSJSYhGwk1hnxgw==',
  session_name: 'My session',
  start_time: '2026-10-07T05:42:28Z',
  end_time: '2026-10-07T06:12:28Z',
  duration: '30:00',
  user_count: 2,
  has_voip: true,
  has_video: true,
  has_screen_share: true,
  has_recording: true,
  has_pstn: true,
  has_session_summary: false,
  session_key: 'my_session_key',
  audio_quality: 'good',
  video_quality: 'good',
  screen_share_quality: '',
};

describe('durations', () => {
  it('reads mm:ss and hh:mm:ss', () => {
    expect(parseDurationSeconds('04:38')).toBe(278);
    expect(parseDurationSeconds('30:00')).toBe(1800);
    expect(parseDurationSeconds('01:02:03')).toBe(3723);
    expect(parseDurationSeconds('75:10')).toBe(4510);
  });
  it('gives null for anything else', () => {
    expect(parseDurationSeconds(null)).toBeNull();
    expect(parseDurationSeconds('')).toBeNull();
    expect(parseDurationSeconds('4:6')).toBeNull();
    expect(parseDurationSeconds('01:60:00')).toBeNull();
    expect(parseDurationSeconds('12:61')).toBeNull();
    expect(parseDurationSeconds('1800')).toBeNull();
  });
});

describe('toSession', () => {
  it('maps the wire shape to the graph\'s', () => {
    expect(toSession(WIRE)).toEqual({
      id: 'sfk/aOFJSJSYhGwk1hnxgw==',
      sessionName: 'My session',
      sessionKey: 'my_session_key',
      startTime: new Date('2026-10-07T05:42:28Z'),
      endTime: new Date('2026-10-07T06:12:28Z'),
      duration: '30:00',
      durationSeconds: 1800,
      userCount: 2,
      participantsNow: null,
      hasVoip: true,
      hasVideo: true,
      hasScreenShare: true,
      hasRecording: true,
      hasPstn: true,
      hasSessionSummary: false,
      audioQuality: 'good',
      videoQuality: 'good',
      screenShareQuality: null,
    });
  });
  it('gives a live session no end time, whether Zoom omits it or sends ""', () => {
    expect(toSession({ ...WIRE, end_time: '' }).endTime).toBeNull();
    const { end_time: _omitted, ...live } = WIRE;
    expect(toSession(live).endTime).toBeNull();
  });
  it('counts who is in a live session now only from the gateway\'s own state, never from what Zoom sent', () => {
    expect(toSession({ ...WIRE, end_time: null, gateway_participants_now: 3 }).participantsNow).toBe(3);
    // Ended: no one is in it now, whatever the record said.
    expect(toSession({ ...WIRE, gateway_participants_now: 3 }).participantsNow).toBeNull();
    // A live page from Zoom carries no count; nor is a malformed one taken for one.
    expect(toSession({ ...WIRE, end_time: null }).participantsNow).toBeNull();
    expect(toSession({ ...WIRE, end_time: null, gateway_participants_now: -1 }).participantsNow).toBeNull();
  });
});

describe('a field of the gateway\'s own in what Zoom sends', () => {
  it('is dropped from a page and from a details answer, so that no count of Zoom\'s passes for the gateway\'s', () => {
    const live = { ...WIRE, end_time: null, gateway_participants_now: 4242 };
    expect(toSession(parseSessionPage({ sessions: [{ ...live }] }, undefined).sessions[0]).participantsNow).toBeNull();
    expect(toSession(parseSessionDetails({ ...live }, undefined).session).participantsNow).toBeNull();
  });
});

describe('parseSessionPage', () => {
  it('accepts the documented body and treats an absent token as the last page', () => {
    expect(parseSessionPage({ page_size: 300, next_page_token: 'abc', sessions: [WIRE] }, 'rid-1')).toEqual({
      pageSize: 300, nextPageToken: 'abc', sessions: [WIRE], trackingId: 'rid-1', bytes: 0,
    });
    expect(parseSessionPage({ sessions: [] }, undefined).nextPageToken).toBe('');
  });
  it('refuses a page token too long for a cursor to carry back (found by review: such cursors were then refused as altered)', () => {
    expect(parseSessionPage({ next_page_token: 't'.repeat(MAX_PAGE_TOKEN_CHARS), sessions: [] }, undefined).nextPageToken).toHaveLength(MAX_PAGE_TOKEN_CHARS);
    expect(() => parseSessionPage({ next_page_token: 't'.repeat(MAX_PAGE_TOKEN_CHARS + 1), sessions: [] }, undefined)).toThrow(`next_page_token is longer than ${MAX_PAGE_TOKEN_CHARS} characters`);
    expect(() => parseUserPage({ next_page_token: 't'.repeat(MAX_PAGE_TOKEN_CHARS + 1), users: [] }, undefined, 0)).toThrow(ZoomBadResponseError);
  });
  it('names the first breach of the contract', () => {
    expect(() => parseSessionPage([], undefined)).toThrow('the body is not a JSON object');
    expect(() => parseSessionPage({ sessions: {} }, undefined)).toThrow('sessions is not an array');
    expect(() => parseSessionPage({ sessions: [{ ...WIRE, user_count: '2' }] }, undefined)).toThrow('sessions[0].user_count is not an integer');
    expect(() => parseSessionPage({ sessions: [{ ...WIRE, id: '' }] }, undefined)).toThrow(ZoomBadResponseError);
    expect(() => parseSessionPage({ sessions: [{ ...WIRE, start_time: 'yesterday' }] }, undefined)).toThrow('start_time');
    expect(() => parseSessionPage({ next_page_token: 5, sessions: [] }, undefined)).toThrow('next_page_token');
    expect(() => parseSessionPage({ sessions: [WIRE, { ...WIRE, end_time: '2026-13-01T00:00:00Z' }] }, undefined)).toThrow('sessions[1].end_time is not a timestamp');
    expect(() => parseSessionPage({ sessions: [{ ...WIRE, has_pstn: 'yes' }] }, undefined)).toThrow('sessions[0].has_pstn is not a boolean');
    expect(() => parseSessionPage({ sessions: [{ ...WIRE, audio_quality: 3 }] }, undefined)).toThrow('sessions[0].audio_quality is not a string');
  });
  it('takes a live session without an end, absent, null or empty', () => {
    const { end_time: _end, ...live } = WIRE;
    for (const session of [live, { ...WIRE, end_time: null }, { ...WIRE, end_time: '' }]) {
      expect(parseSessionPage({ sessions: [session] }, undefined).sessions).toEqual([session]);
    }
  });
});

describe('isTimestamp', () => {
  it("takes Zoom's form on the fast path and anything else Date.parse takes", () => {
    expect(isTimestamp('2026-10-07T05:42:28Z')).toBe(true);
    expect(isTimestamp('2026-10-07T05:42:28.123Z')).toBe(true);
    expect(isTimestamp('2026-10-07T05:42:28+02:00')).toBe(true);
    expect(isTimestamp('2026-10-07T24:00:00Z')).toBe(true);
    expect(isTimestamp('2026-13-01T00:00:00Z')).toBe(false);
    expect(isTimestamp('2026-10-07T23:60:00Z')).toBe(false);
    expect(isTimestamp('yesterday')).toBe(false);
    expect(isTimestamp('')).toBe(false);
  });
});

describe('encodeSessionIdForPath', () => {
  it('encodes once, or twice for IDs that start with / or hold //', () => {
    expect(encodeSessionIdForPath('sfk+aOFJ==')).toBe('sfk%2BaOFJ%3D%3D');
    expect(encodeSessionIdForPath('ab/cd==')).toBe('ab%2Fcd%3D%3D');
    expect(encodeSessionIdForPath('/abc==')).toBe('%252Fabc%253D%253D');
    expect(encodeSessionIdForPath('ab//cd')).toBe('ab%252F%252Fcd');
  });

  it('refuses an id with a `.` or `..` path segment, as written or percent-encoded: it would address another endpoint', () => {
    expect(['.', '..', '%2e', '%2E%2e', '.%2e', '%252e%252e', 'a/..', '../users', 'a%2F..', '.\\x'].map(hasDotSegment)).toEqual(Array(10).fill(true));
    expect(['...', 'a.b', '.a', '%2ex', 'sfk+aOFJ==', '/abc==', 'ab//cd', ''].map(hasDotSegment)).toEqual(Array(8).fill(false));
    expect(() => encodeSessionIdForPath('.')).toThrow(RangeError);
    expect(() => encodeSessionIdForPath('..')).toThrow(RangeError);
    expect(() => encodeSessionIdForPath('%2e%2e')).toThrow(RangeError);
    expect(encodeSessionIdForPath('a.b')).toBe('a.b');
  });
});
