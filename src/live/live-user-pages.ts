import type { CallBudget } from '../sessions/call-budget';
import type { UserPageKey } from '../sessions/session-user-pages';
import type { WireSessionUser, WireUserPage } from '../zoom/wire-inside';
import type { LiveFeed } from './live-feed';
import { LiveParticipant, liveTime } from './live-state';

type UserPageLoad = (key: UserPageKey, budget: CallBudget) => Promise<WireUserPage<WireSessionUser>>;

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

/**
 * A live session's participants from the webhook-fed state while it serves (one page, 0 Zoom
 * calls), Zoom's participants list otherwise: past sessions, pages of a walk begun at Zoom (their
 * tokens are Zoom's), and whenever the state cannot answer.
 */
export function liveRoutedUserPages(pages: UserPageLoad, feed: LiveFeed): UserPageLoad {
  return async (key, budget) => {
    if (key.session.type !== 'live' || key.index !== 0 || key.token !== '' || !feed.servesLive()) return pages(key, budget);
    let participants: LiveParticipant[];
    try {
      participants = await feed.liveParticipants(key.session.id);
    } catch {
      return pages(key, budget);
    }
    return { users: participants.map(toLiveWireUser), nextPageToken: '', trackingId: undefined, bytes: 0 };
  };
}
