import type { LiveEvent, LiveUser } from '../../src/live/live-event';
import { LiveState, MAX_PARTICIPANTS_PER_SESSION, RECONCILE_GRACE_MS, toWireSession } from '../../src/live/live-state';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import type { WireSession } from '../../src/zoom/wire';

const T = 1764578400000;

function user(id: string, name = `user ${id}`): LiveUser {
  return { id, name, userKey: null, participantUuid: `uuid-${id}`, joinTime: null, leaveTime: null, leaveReason: null };
}

export function event(type: SessionEventType, ts: number, sessionId: string, who?: string): LiveEvent {
  return {
    type,
    ts: T + ts,
    sessionId,
    otherSessionId: null,
    sessionName: `name of ${sessionId}`,
    sessionKey: null,
    startTime: '2026-12-01T08:00:00Z',
    endTime: type === SessionEventType.SESSION_ENDED ? new Date(T + ts).toISOString() : null,
    user: who === undefined ? null : user(who),
  };
}

function listed(id: string): WireSession {
  return {
    id, session_name: `listed ${id}`, start_time: '2026-12-01T07:00:00Z', end_time: '', duration: '10:00', user_count: 4,
    has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
  };
}

const { SESSION_STARTED: STARTED, SESSION_ENDED: ENDED, USER_JOINED: JOINED, USER_LEFT: LEFT, SHARING_STARTED: SHARING } = SessionEventType;

/** What every live state must do. `fresh` gives a state with no sessions. */
export function liveStateContract(name: string, fresh: () => Promise<LiveState>): void {
  describe(`${name} (live state contract)`, () => {
    let state: LiveState;
    beforeEach(async () => {
      state = await fresh();
    });
    afterEach(async () => {
      await state.close();
    });

    const liveIds = async () => (await state.liveSessions()).map((record) => record.id).sort();
    const present = async (sessionId: string) => (await state.participants(sessionId)).filter((p) => p.joinTs > p.leaveTs).map((p) => p.user.id);

    it('makes a started session live, once', async () => {
      expect((await state.apply(event(STARTED, 10, 's1'))).applied).toBe(true);
      expect((await state.apply(event(STARTED, 10, 's1'))).applied).toBe(false);
      const [record] = await state.liveSessions();
      expect(record).toMatchObject({ id: 's1', sessionName: 'name of s1', aliveTs: T + 10, endTs: 0, present: 0 });
    });

    it('knows a repeat of an event it took, whether it was news then and which write took it (a write that timed out, retried)', async () => {
      expect(await state.apply(event(STARTED, 10, 's1'), 'first delivery')).toMatchObject({ applied: true });
      expect(await state.apply(event(STARTED, 10, 's1'), 'first delivery')).toMatchObject({ applied: false, repeatOf: { applied: true, writer: 'first delivery' }, session: { id: 's1', aliveTs: T + 10 } });
      expect(await state.apply(event(STARTED, 10, 's1'), 'a resend')).toMatchObject({ applied: false, repeatOf: { applied: true, writer: 'first delivery' } });
      expect(await state.apply(event(JOINED, 20, 's1', 'u1'))).toMatchObject({ applied: true });
      expect(await state.apply(event(JOINED, 20, 's1', 'u1'))).toMatchObject({ applied: false, repeatOf: { applied: true, writer: '' } });
      // Another participant at the same time is another event.
      expect(await state.apply(event(JOINED, 20, 's1', 'u2'))).toMatchObject({ applied: true });
      expect(await state.apply(event(ENDED, 50, 's1'))).toMatchObject({ applied: true });
      // A start older than the end was stale the first time, and its repeat says so.
      const late = await state.apply(event(STARTED, 5, 's1'));
      expect(late.applied).toBe(false);
      expect(late.repeatOf).toBeUndefined();
      expect(await state.apply(event(STARTED, 5, 's1'))).toMatchObject({ applied: false, repeatOf: { applied: false } });
      expect(await present('s1')).toEqual(['u1', 'u2']);
    });

    it('finds one session by id, live or ended (a cursor\'s place in the LIVE list), and none it never took', async () => {
      await state.apply(event(STARTED, 10, 's1'));
      expect(await state.session('s1')).toMatchObject({ id: 's1', startTime: '2026-12-01T08:00:00Z', endTs: 0 });
      await state.apply(event(ENDED, 50, 's1'));
      expect(await liveIds()).toEqual([]);
      const ended = await state.session('s1');
      expect(ended).toMatchObject({ id: 's1', startTime: '2026-12-01T08:00:00Z', endTs: T + 50 });
      expect(toWireSession(ended!).start_time).toBe('2026-12-01T08:00:00Z');
      expect(await state.session('s2')).toBeUndefined();
    });

    it('holds MAX_PARTICIPANTS_PER_SESSION participants in a session, whether or not they left, and takes no one more', async () => {
      await state.apply(event(STARTED, 1, 's1'));
      // Half of them joined and left (more for a state to keep of each), half are still in it.
      for (let n = 0; n < MAX_PARTICIPANTS_PER_SESSION; n += 1) {
        expect((await state.apply(event(JOINED, 10, 's1', `u${n}`))).applied).toBe(true);
        if (n % 2 === 0) await state.apply(event(LEFT, 20, 's1', `u${n}`));
      }
      // Refused, as a session past the cap is: counted apart from stale events, and not marked taken.
      expect(await state.apply(event(JOINED, 30, 's1', 'one-too-many'))).toEqual({ applied: false, session: null, refused: true });
      // Nothing of it is written, the session's other id it carries included: a listing under that id is a session of its own.
      expect(await state.apply({ ...event(JOINED, 30, 's1', 'one-too-many'), otherSessionId: 'other-of-s1' })).toEqual({ applied: false, session: null, refused: true });
      expect((await state.markListed(listed('other-of-s1'), T + 35)).applied).toBe(true);
      await state.markMissing('other-of-s1', T + 35 + RECONCILE_GRACE_MS + 1);
      expect(await state.participants('s1')).toHaveLength(MAX_PARTICIPANTS_PER_SESSION);
      // Those it holds still come and go.
      expect((await state.apply(event(JOINED, 40, 's1', 'u0'))).applied).toBe(true);
      const [record] = await state.liveSessions();
      expect(record).toMatchObject({ joined: MAX_PARTICIPANTS_PER_SESSION, present: MAX_PARTICIPANTS_PER_SESSION / 2 + 1 });
    }, 60_000);

    it('leaves a session ended when its end arrives before its start', async () => {
      expect((await state.apply(event(ENDED, 50, 's1'))).applied).toBe(true);
      expect((await state.apply(event(STARTED, 10, 's1'))).applied).toBe(false);
      expect((await state.apply(event(JOINED, 20, 's1', 'u1'))).applied).toBe(false);
      expect(await liveIds()).toEqual([]);
      expect((await state.apply(event(ENDED, 50, 's1'))).applied).toBe(false);
    });

    it('keeps participants by last writer: a leave before its join still leaves them gone', async () => {
      await state.apply(event(STARTED, 1, 's1'));
      expect((await state.apply(event(LEFT, 30, 's1', 'u1'))).applied).toBe(true);
      expect((await state.apply(event(JOINED, 20, 's1', 'u1'))).applied).toBe(false);
      expect((await state.apply(event(JOINED, 25, 's1', 'u2'))).applied).toBe(true);
      expect((await state.apply(event(JOINED, 25, 's1', 'u2'))).applied).toBe(false);
      expect(await present('s1')).toEqual(['u2']);
      expect((await state.liveSessions())[0].present).toBe(1);
      const participants = await state.participants('s1');
      expect(participants.map((p) => [p.user.id, p.joinTs, p.leaveTs])).toEqual([
        ['u1', T + 20, T + 30],
        ['u2', T + 25, 0],
      ]);
    });

    it('counts a join as a sign of life when session.started never came', async () => {
      expect((await state.apply(event(JOINED, 5, 's9', 'u1'))).applied).toBe(true);
      expect(await liveIds()).toEqual(['s9']);
    });

    it('passes on events that keep no state unless the session ended before them', async () => {
      await state.apply(event(ENDED, 40, 's1'));
      expect((await state.apply(event(SHARING, 30, 's1', 'u1'))).applied).toBe(false);
      expect((await state.apply(event(SessionEventType.RECORDING_COMPLETED, 60, 's1'))).applied).toBe(true);
      expect((await state.apply(event(SHARING, 30, 's2', 'u1'))).applied).toBe(true);
    });

    it('reconciles: a listed session becomes live, a known end stands, a missing one ends after the grace', async () => {
      expect((await state.markListed(listed('zoom-only'), T + 100)).applied).toBe(true);
      expect((await state.markListed(listed('zoom-only'), T + 200)).applied).toBe(false);
      await state.apply(event(ENDED, 150, 'ended-by-webhook'));
      expect((await state.markListed(listed('ended-by-webhook'), T + 200)).applied).toBe(false);
      const [record] = await state.liveSessions();
      expect(record).toMatchObject({ id: 'zoom-only', sessionName: 'listed zoom-only', listed: listed('zoom-only') });

      await state.apply(event(STARTED, 1_000, 'recent'));
      expect((await state.markMissing('recent', T + 1_000 + RECONCILE_GRACE_MS - 1)).applied).toBe(false);
      expect((await state.markMissing('zoom-only', T + 200 + RECONCILE_GRACE_MS + 1)).applied).toBe(true);
      expect((await state.markMissing('never-seen', T + 10 * RECONCILE_GRACE_MS)).applied).toBe(false);
      expect(await liveIds()).toEqual(['recent']);
    });

    it('ends a listed session by a session.ended stamped before the listing (Zoom\'s clock behind the gateway\'s)', async () => {
      await state.apply(event(STARTED, 1_000, 's1'));
      await state.markListed(listed('s1'), T + 5_000);
      expect((await state.apply(event(ENDED, 4_000, 's1'))).applied).toBe(true);
      expect(await liveIds()).toEqual([]);
      // A lagging list still showing it does not revive it; a newer start does.
      expect((await state.markListed(listed('s1'), T + 6_000)).applied).toBe(false);
      expect(await liveIds()).toEqual([]);
      expect((await state.apply(event(STARTED, 7_000, 's1'))).applied).toBe(true);
      expect(await liveIds()).toEqual(['s1']);
    });

    it('counts the users who joined, present or gone, as Session.userCount says, beside those present now', async () => {
      await state.apply(event(STARTED, 10, 's1'));
      await state.apply(event(JOINED, 20, 's1', 'u1'));
      await state.apply(event(JOINED, 30, 's1', 'u2'));
      await state.apply(event(LEFT, 40, 's1', 'u1'));
      // A leave whose join came before the gateway listened: that user joined too.
      await state.apply(event(LEFT, 50, 's1', 'u3'));
      await state.apply(event(JOINED, 60, 's1', 'u1'));
      const [record] = await state.liveSessions();
      expect(record).toMatchObject({ joined: 3, present: 2 });
      expect(toWireSession(record).user_count).toBe(3);
      // Its start came by webhook, and every join since: who is in it now is known.
      expect(toWireSession(record).gateway_participants_now).toBe(2);
    });

    it('does not say who is in a session now that it knows from Zoom\'s list alone: people were in it before it listened', async () => {
      await state.markListed(listed('listed-only'), T + 100);
      await state.apply(event(JOINED, 20, 'listed-only', 'u1'));
      const [record] = (await state.liveSessions()).filter((each) => each.id === 'listed-only');
      expect(toWireSession(record).gateway_participants_now).toBeNull();
      // Never fewer joined than are present: a record without its count of joins (an earlier release's) still says 1.
      expect(toWireSession({ ...record, joined: 0 }).user_count).toBeGreaterThanOrEqual(record.present);
    });

    it('takes no listing under an ended session\'s other id for a new session (Zoom lists it by its session_id, late)', async () => {
      // The webhook names the session `webhook-id` and gives Zoom's list id as `session_id`.
      const withOther = (type: SessionEventType, ts: number): LiveEvent => ({ ...event(type, ts, 'webhook-id'), otherSessionId: 'list-id' });
      await state.apply(withOther(STARTED, 1_000));
      await state.apply(withOther(ENDED, 2_000));
      expect(await state.markListed(listed('list-id'), T + 3_000)).toMatchObject({ applied: false, session: null });
      expect(await liveIds()).toEqual([]);
      // An id nobody else has is a session of its own.
      expect((await state.markListed(listed('other-session'), T + 3_000)).applied).toBe(true);
    });

    it('ends in the same state whatever order the events arrive in', async () => {
      const events = [
        event(STARTED, 1, 'a'), event(JOINED, 2, 'a', 'u1'), event(JOINED, 3, 'a', 'u2'), event(LEFT, 4, 'a', 'u1'),
        event(STARTED, 1, 'b'), event(JOINED, 2, 'b', 'u3'), event(LEFT, 5, 'b', 'u3'), event(ENDED, 6, 'b'),
        event(JOINED, 7, 'a', 'u1'), event(LEFT, 8, 'a', 'u2'),
      ];
      for (const each of [...events].reverse()) await state.apply(each);
      expect(await liveIds()).toEqual(['a']);
      expect(await present('a')).toEqual(['u1']);
      expect((await state.liveSessions())[0].present).toBe(1);
    });
  });
}
