import { CallBudget, CallCapReached } from '../../src/sessions/call-budget';
import {
  DETAILS_TYPES_IN_ORDER,
  SessionDetailsSource,
  createSessionLookupLoader,
  findSession,
  isLookupableId,
} from '../../src/sessions/session-lookup';
import type { ZoomSessionDetailsType } from '../../src/zoom/client';
import { ZoomHttpError } from '../../src/zoom/errors';
import { parseSessionDetails } from '../../src/zoom/wire';
import type { WireSessionDetails } from '../../src/zoom/wire';

const wire = (id: string, endTime: string | undefined): WireSessionDetails => ({
  id,
  session_name: 'Office hours',
  start_time: '2026-10-07T05:42:28Z',
  end_time: endTime,
  duration: '30:00',
  user_count: 2,
  has_voip: true,
  has_video: true,
  has_screen_share: false,
  has_recording: false,
  has_pstn: false,
  has_session_summary: false,
  session_number: 123456789,
  created_at: '2026-10-07T05:42:28Z',
});

/** A fake Zoom: `past` knows ended sessions, `live` running ones; it logs every call. */
function fakeZoom(sessions: WireSessionDetails[], failWith?: Error) {
  const calls: string[] = [];
  // As the caller does, it tells the observer of every call that reached it.
  const source: SessionDetailsSource = async (id: string, type: ZoomSessionDetailsType, observer) => {
    calls.push(`${type} ${id}`);
    if (failWith) throw failWith;
    const session = sessions.find((candidate) => candidate.id === id && (type === 'live') === !candidate.end_time);
    if (!session) {
      observer?.sent('tracking-404');
      throw new ZoomHttpError(404, 3001, 'Session does not exist.', 'tracking-404');
    }
    observer?.sent(`tracking-${type}`);
    return { session, trackingId: `tracking-${type}` };
  };
  return { source, calls };
}

/** A source that spends `budget` on every call, as the details cache does on each call that reaches Zoom. */
function spending(source: SessionDetailsSource, budget: CallBudget): SessionDetailsSource {
  return async (id, type, observer) => {
    await budget.spend();
    return source(id, type, observer);
  };
}

const ended = wire('/ended+id==', '2026-10-07T06:12:28Z');
const running = wire('running//id==', undefined);

describe('findSession', () => {
  it('asks past first, then live, as the named rule says', () => {
    expect(DETAILS_TYPES_IN_ORDER).toEqual(['past', 'live']);
  });

  it('finds an ended session with one call', async () => {
    const zoom = fakeZoom([ended]);
    const budget = new CallBudget(6);
    expect(await findSession(zoom.source, ended.id, budget)).toBe(ended);
    expect(zoom.calls).toEqual([`past ${ended.id}`]);
    expect(budget.calls).toBe(1);
    expect(budget.trackingIds).toEqual(['tracking-past']);
  });

  it('falls back to live on a 404 for past', async () => {
    const zoom = fakeZoom([running]);
    expect(await findSession(zoom.source, running.id, new CallBudget(6))).toBe(running);
    expect(zoom.calls).toEqual([`past ${running.id}`, `live ${running.id}`]);
  });

  it('answers null for an id no type knows, after asking each once', async () => {
    const zoom = fakeZoom([]);
    const budget = new CallBudget(6);
    expect(await findSession(zoom.source, 'nope', budget)).toBeNull();
    expect(zoom.calls).toEqual(['past nope', 'live nope']);
    expect(budget.calls).toBe(2);
    expect(budget.trackingIds).toEqual(['tracking-404', 'tracking-404']);
  });

  it('answers null without a call for what cannot be an id', async () => {
    const zoom = fakeZoom([]);
    expect(await findSession(zoom.source, '', new CallBudget(6))).toBeNull();
    expect(await findSession(zoom.source, 'x'.repeat(257), new CallBudget(6))).toBeNull();
    expect(await findSession(zoom.source, '.', new CallBudget(6))).toBeNull();
    expect(await findSession(zoom.source, '..', new CallBudget(6))).toBeNull();
    expect(zoom.calls).toEqual([]);
    expect([isLookupableId('abc'), isLookupableId(''), isLookupableId(42), isLookupableId(undefined)]).toEqual([true, false, false, false]);
    expect([isLookupableId('.'), isLookupableId('..'), isLookupableId('%2e'), isLookupableId('%2E%2E'), isLookupableId('a.b')]).toEqual([false, false, false, false, true]);
  });

  it('passes on any failure other than 404, without asking live', async () => {
    const failure = new ZoomHttpError(500, undefined, 'oops');
    const zoom = fakeZoom([running], failure);
    await expect(findSession(zoom.source, running.id, new CallBudget(6))).rejects.toBe(failure);
    expect(zoom.calls).toEqual([`past ${running.id}`]);
  });

  it('stops where its source reaches the request\'s cap', async () => {
    const zoom = fakeZoom([running]);
    const budget = new CallBudget(1);
    await expect(findSession(spending(zoom.source, budget), running.id)).rejects.toBeInstanceOf(CallCapReached);
    expect(zoom.calls).toEqual([`past ${running.id}`]);
  });
});

describe('createSessionLookupLoader', () => {
  it('looks each distinct id up once and answers in key order, mapped to the graph', async () => {
    const zoom = fakeZoom([ended, running]);
    const loader = createSessionLookupLoader({ source: zoom.source, capReached: () => new Error('cap') });
    const found = await Promise.all([ended.id, 'nope', running.id, ended.id].map((id) => loader.load(id)));
    expect(found.map((session) => session?.id ?? null)).toEqual([ended.id, null, running.id, ended.id]);
    expect(found[0]).toMatchObject({ sessionName: 'Office hours', durationSeconds: 1800, endTime: new Date('2026-10-07T06:12:28Z') });
    expect(found[2]).toMatchObject({ endTime: null });
    expect(zoom.calls.filter((call) => call.endsWith(ended.id))).toEqual([`past ${ended.id}`]);
  });

  it('serves a session the live state holds from it, at no Zoom call, and asks Zoom for the others', async () => {
    const zoom = fakeZoom([ended, running]);
    const fromState = { ...running, user_count: 7, gateway_participants_now: 5 };
    const asked: string[] = [];
    const live = async (id: string) => {
      asked.push(id);
      return id === running.id ? fromState : undefined;
    };
    const loader = createSessionLookupLoader({ source: zoom.source, capReached: () => new Error('cap'), live });
    const [opened, past] = await Promise.all([loader.load(running.id), loader.load(ended.id)]);
    expect(opened).toMatchObject({ id: running.id, userCount: 7, participantsNow: 5, endTime: null });
    expect(past).toMatchObject({ id: ended.id });
    expect(zoom.calls).toEqual([`past ${ended.id}`]);
    // An id no session could have is asked of neither.
    expect(await loader.load('')).toBeNull();
    expect(asked).toEqual([running.id, ended.id]);
  });

  it('turns the call cap into the given error for the ids past it, and only for them', async () => {
    const sessions = ['a', 'b', 'c'].map((id) => wire(id, '2026-10-07T06:12:28Z'));
    const zoom = fakeZoom(sessions);
    const capError = new Error('cap reached');
    const loader = createSessionLookupLoader({ source: spending(zoom.source, new CallBudget(2)), capReached: () => capError });
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => loader.load(id)));
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value?.id : result.reason))).toEqual(['a', 'b', capError]);
    expect(zoom.calls).toEqual(['past a', 'past b']);
  });
});

describe('parseSessionDetails', () => {
  it('accepts the list fields plus extras', () => {
    expect(parseSessionDetails(ended, 't1')).toEqual({ session: ended, trackingId: 't1' });
  });

  it('names the first breach of the list contract', () => {
    expect(() => parseSessionDetails({ ...ended, user_count: '2' }, 't1')).toThrow('the session.user_count is not an integer');
    expect(() => parseSessionDetails([], undefined)).toThrow('the session is not an object');
  });
});
