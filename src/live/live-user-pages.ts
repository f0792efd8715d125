import { LRUCache } from 'lru-cache';
import type { CallBudget } from '../sessions/call-budget';
import { isUnknownSession } from '../sessions/session-details';
import type { UserPageKey } from '../sessions/session-user-pages';
import type { WireSessionUser, WireUserPage } from '../zoom/wire-inside';
import type { LiveFeed } from './live-feed';
import { LiveParticipant, liveTime } from './live-state';

type UserPageLoad = (key: UserPageKey, budget: CallBudget) => Promise<WireUserPage<WireSessionUser>>;

/**
 * Participants Zoom listed when a live session was first opened here, kept for the session's
 * life (webhooks tell what changes after): bounded by participants held, oldest session first.
 */
export const ZOOM_LISTED_PARTICIPANTS_KEPT = 50_000;
/** Pages of Zoom's participants list read for one session at most (300 each; a Video SDK session seats 1,000). */
export const ZOOM_LISTED_PAGES_MAX = 10;

/** A participant as Zoom's participants list would carry it; webhooks tell no device, network or quality. */
export function toLiveWireUser(participant: LiveParticipant): WireSessionUser {
  const { user } = participant;
  const present = participant.joinTs > participant.leaveTs;
  return {
    id: user.id,
    name: user.name,
    user_key: user.userKey ?? undefined,
    participant_uuid: user.participantUuid ?? undefined,
    join_time: liveTime(user.joinTime, participant.joinTs)?.toISOString(),
    leave_time: present ? undefined : liveTime(participant.leaveTime, participant.leaveTs)?.toISOString(),
    leave_reason: present ? undefined : participant.leaveReason ?? undefined,
  };
}

/** The key webhooks know a participant by (live-event.ts participantKey): Zoom's participant_uuid, else its id. */
function listedKey(user: WireSessionUser): string | undefined {
  if (typeof user.participant_uuid === 'string' && user.participant_uuid !== '') return user.participant_uuid;
  return typeof user.id === 'string' && user.id !== '' ? user.id : undefined;
}

/**
 * A live session's participants from the webhook-fed state while it serves (one page), with
 * those who joined before the gateway listened: Zoom's participants list is read once per session
 * and state (through the shared cache, within the request's Heavy calls), then webhooks keep it current; a
 * participant a webhook told of is shown as the webhook tells. Zoom's list otherwise: past
 * sessions, pages of a walk begun at Zoom (their tokens are Zoom's), and whenever the state cannot answer.
 */
export function liveRoutedUserPages(pages: UserPageLoad, feed: Pick<LiveFeed, 'servesLive' | 'liveParticipants' | 'stateMark'>): UserPageLoad {
  // Each list with the state's mark it was read under: a state lost and rebuilt since may have lost joins its replay
  // no longer held (a bounded number of recent events), so Zoom's list is read again once, which names who is there.
  const listed = new LRUCache<string, { readonly mark: string | undefined; readonly users: WireSessionUser[] }>({ maxSize: ZOOM_LISTED_PARTICIPANTS_KEPT, sizeCalculation: ({ users }) => users.length + 1 });
  const reading = new Map<string, Promise<WireSessionUser[]>>();

  const readListed = async (key: UserPageKey, budget: CallBudget): Promise<WireSessionUser[]> => {
    const users: WireSessionUser[] = [];
    let token = '';
    for (let index = 0; index < ZOOM_LISTED_PAGES_MAX; index += 1) {
      let page: WireUserPage<WireSessionUser>;
      try {
        page = await pages({ session: key.session, index, token }, budget);
      } catch (error) {
        // Zoom does not know it live (yet, or any more): no one to add; the webhooks tell the rest.
        if (index === 0 && isUnknownSession(error)) return [];
        throw error;
      }
      users.push(...page.users);
      if (page.nextPageToken === '') return users;
      token = page.nextPageToken;
    }
    return users;
  };

  /** Zoom's list for this session, read at most once at a time; undefined when it could not be read (asked again next time). */
  const zoomListed = async (key: UserPageKey, budget: CallBudget): Promise<WireSessionUser[] | undefined> => {
    const known = listed.get(key.session.id);
    if (known !== undefined && known.mark === feed.stateMark) return known.users;
    let read = reading.get(key.session.id);
    if (read === undefined) {
      const mark = feed.stateMark;
      read = readListed(key, budget);
      reading.set(key.session.id, read);
      read.then((users) => listed.set(key.session.id, { mark, users }), () => undefined).finally(() => reading.delete(key.session.id)).catch(() => undefined);
    }
    try {
      return await read;
    } catch {
      return undefined;
    }
  };

  return async (key, budget) => {
    if (key.session.type !== 'live' || key.index !== 0 || key.token !== '' || !feed.servesLive()) return pages(key, budget);
    let participants: LiveParticipant[];
    try {
      participants = await feed.liveParticipants(key.session.id);
    } catch {
      return pages(key, budget);
    }
    const fromWebhooks = new Set(participants.map((participant) => participant.key));
    const before = ((await zoomListed(key, budget)) ?? []).filter((user) => {
      const userKey = listedKey(user);
      return userKey === undefined || !fromWebhooks.has(userKey);
    });
    return { users: [...before, ...participants.map(toLiveWireUser)], nextPageToken: '', trackingId: undefined, bytes: 0 };
  };
}
