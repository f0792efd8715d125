import { liveRoutedUserPages } from '../../src/live/live-user-pages';
import type { LiveParticipant } from '../../src/live/live-state';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { CallBudget } from '../../src/sessions/call-budget';
import type { UserPageKey } from '../../src/sessions/session-user-pages';
import { userEvent, sessionEvent } from '../../src/simulator/webhooks';
import { parseZoomEvent } from '../../src/live/live-event';
import type { WireSessionUser, WireUserPage } from '../../src/zoom/wire-inside';
import { simSession } from './webhook-flood';

const AT = Date.parse('2026-11-20T10:00:00Z');
const SESSION = simSession('rebuilt/one==', AT - 60_000);
const KEY: UserPageKey = { session: { id: SESSION.id, type: 'live' }, index: 0, token: '' };

/**
 * A live session's participants are the webhook-fed state's, with those Zoom listed when the session was first
 * opened here. A state lost and rebuilt replays a bounded number of recent events: joins older than that are gone
 * from it, and Zoom's list, read again once under the new state, names who is there.
 */
describe('participants of a live session across a rebuilt state', () => {
  it('reads Zoom\'s participants list once per state, and again once the state\'s mark changed', async () => {
    let state = new MemoryLiveState(() => AT);
    let mark: string | undefined = 'first';
    const zoomList: WireSessionUser[] = [{ id: 'early', name: 'Early Bird' }];
    let zoomReads = 0;
    const pages = async (): Promise<WireUserPage<WireSessionUser>> => {
      zoomReads += 1;
      return { users: [...zoomList], nextPageToken: '', trackingId: undefined, bytes: 0 };
    };
    const feed = { servesLive: () => true, liveParticipants: (id: string): Promise<LiveParticipant[]> => state.participants(id), get stateMark() { return mark; } };
    const users = liveRoutedUserPages(pages, feed);
    const names = async () => (await users(KEY, new CallBudget(10))).users.map((user) => user.name).sort();
    const apply = async (body: unknown) => {
      const event = parseZoomEvent(body);
      if (typeof event === 'string') throw new Error(event);
      await state.apply(event);
    };

    await apply(sessionEvent('session.started', SESSION, AT - 60_000));
    expect(await names()).toEqual(['Early Bird']);
    // A join told by webhook; Zoom's list, read once, is not read again for it.
    await apply(userEvent('session.user_joined', SESSION, { id: 'ada', name: 'Ada', participant_uuid: 'p-ada' }, AT - 30_000));
    zoomList.push({ id: 'ada', name: 'Ada', participant_uuid: 'p-ada' });
    expect(await names()).toEqual(['Ada', 'Early Bird']);
    expect(zoomReads).toBe(1);

    // The state is lost and rebuilt (a new mark): the replay held the session's start, not Ada's join.
    state = new MemoryLiveState(() => AT);
    await apply(sessionEvent('session.started', SESSION, AT - 60_000));
    mark = 'rebuilt';
    expect(await names()).toEqual(['Ada', 'Early Bird']);
    expect(zoomReads).toBe(2);
    expect(await names()).toEqual(['Ada', 'Early Bird']);
    expect(zoomReads).toBe(2);
  });
});
