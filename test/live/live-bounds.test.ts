import { walkLiveList } from '../../src/live/live-list-walk';
import { MAX_TRACKED_SESSIONS } from '../../src/live/live-state';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import type { WireSession, WireSessionPage } from '../../src/zoom/wire';
import { event } from '../contracts/live-state.contract';

const { SESSION_STARTED: STARTED, SESSION_ENDED: ENDED } = SessionEventType;

describe('bounds of the live state', () => {
  it('keeps taking new sessions after 30,000 sessions started and ended within an hour', async () => {
    let now = 0;
    const state = new MemoryLiveState(() => now);
    for (let n = 0; n < 30_000; n += 1) {
      now = n * 100;
      expect((await state.apply(event(STARTED, now, `s${n}`))).applied).toBe(true);
      await state.apply(event(ENDED, now + 1, `s${n}`));
    }
    const outcome = await state.apply(event(STARTED, now + 10, 'new'));
    expect(outcome).toMatchObject({ applied: true });
    expect(outcome.refused).toBeUndefined();
    expect((await state.liveSessions()).map((record) => record.id)).toEqual(['new']);
  });

  it('refuses a new session, as refused and not stale, only while the cap of live sessions is full', async () => {
    const state = new MemoryLiveState(() => 0);
    for (let n = 0; n < MAX_TRACKED_SESSIONS; n += 1) await state.apply(event(STARTED, 1, `s${n}`));
    expect(await state.apply(event(STARTED, 2, 'one-too-many'))).toEqual({ applied: false, session: null, refused: true });
    await state.apply(event(ENDED, 3, 's0'));
    expect((await state.apply(event(STARTED, 4, 'one-too-many'))).applied).toBe(true);
  });
});

describe('the live-list walk', () => {
  const sessions = Array.from({ length: 5_000 }, (_, n) => ({ id: `s${n}`, start_time: '2026-11-27T11:00:00Z' }) as WireSession);
  const page = (token: string): WireSessionPage => {
    const start = token === '' ? 0 : Number(token);
    const next = start + 300 < sessions.length ? String(start + 300) : '';
    return { pageSize: 300, nextPageToken: next, sessions: sessions.slice(start, start + 300), trackingId: undefined, bytes: 0 };
  };
  const T0 = Date.parse('2026-11-27T12:00:00Z');

  it('reads every page of a 5,000-session list (page size 300)', async () => {
    const whole = await walkLiveList(async (query) => page(query.pageToken), T0);
    expect(whole).toMatchObject({ complete: true, pages: 17 });
    expect(whole.sessions).toHaveLength(5_000);
  });

  it('says when a walk stopped short, by an error or by its page bound', async () => {
    const cut = await walkLiveList(async (query) => {
      if (query.pageToken === '3000') throw new Error('budget spent');
      return page(query.pageToken);
    }, T0);
    expect(cut).toMatchObject({ complete: false, stoppedBy: 'error', pages: 10 });
    expect(cut.sessions).toHaveLength(3_000);
    expect(await walkLiveList(async (query) => page(query.pageToken), T0, 5)).toMatchObject({ complete: false, stoppedBy: 'pages', pages: 5 });
    await expect(walkLiveList(async () => Promise.reject(new Error('Zoom down')), T0)).rejects.toThrow('Zoom down');
  });
});
