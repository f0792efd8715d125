import type { SessionUser } from '../sessions/session-user.type';
import type { WireSession } from '../zoom/wire';
import type { LiveEvent, LiveUser } from './live-event';

/**
 * Zoom retries a webhook at +5, +20 and +60 minutes (docs/zoom-contract.md §6, H): an ended
 * session is remembered past the last retry, so a late `session.started` cannot revive it.
 */
export const ENDED_RETENTION_MS = 3 * 60 * 60_000;
/** A live session no event or reconciliation has touched for this long is forgotten. */
export const LIVE_RETENTION_MS = 24 * 60 * 60_000;
/**
 * Bounds on what webhooks can make the state hold; Video SDK sessions seat at most 1,000 users.
 * The session cap counts live sessions only: ended ones are kept for late events' ordering,
 * within MAX_ENDED_SESSIONS_KEPT, and the oldest of them give way to new sessions rather than
 * keep new sessions out (20,000 ended within 3 hours used to refuse every new one).
 */
export const MAX_TRACKED_SESSIONS = 20_000;
export const MAX_ENDED_SESSIONS_KEPT = 100_000;
export const MAX_PARTICIPANTS_PER_SESSION = 5_000;
/**
 * Zoom's live list may lag its webhooks: a session seen alive this recently is not ended by
 * reconciliation for missing from the list (an inference, L).
 */
export const RECONCILE_GRACE_MS = 30_000;

/**
 * One session as the live state knows it. Every change is last-writer-wins by `event_ts`:
 * the session is live while the newest sign of life (`aliveTs`: a start, a join) is newer than
 * its end (`endTs`), so events applied in any order leave the same state, and an end that
 * arrived before its start still ends it.
 */
export interface LiveSessionRecord {
  readonly id: string;
  readonly otherId: string | null;
  readonly sessionName: string | null;
  readonly sessionKey: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  /** The newest start or join (Zoom's clock). */
  readonly aliveTs: number;
  /** When Zoom's live list last showed the session (the gateway's clock), 0 if never. */
  readonly listedTs: number;
  /** The newest `session.started` applied: a repeat of it is not news. */
  readonly startTs: number;
  readonly endTs: number;
  /** Participants in the session now. */
  readonly present: number;
  /** Participants webhooks told of, present or gone: each joined (a leave whose join came before the gateway listened included). */
  readonly joined: number;
  /** The session as Zoom's live list last showed it (flags, qualities), if it did. */
  readonly listed: WireSession | null;
}

export interface LiveParticipant {
  readonly key: string;
  /** Details from the newest join, or from the leave when no join was seen. */
  readonly user: LiveUser;
  readonly joinTs: number;
  readonly leaveTs: number;
  readonly leaveTime: string | null;
  readonly leaveReason: string | null;
}

/**
 * How long the state remembers each webhook event it took, whether it was news and which write
 * took it: a write that timed out may still run in Redis, and the retry of it from the journal must
 * learn that it did (and publish it) rather than take it for stale. A write that ran and whose
 * instance then stays cut off from Redis for longer is taken for stale on its retry, and not
 * published (its state is kept): the bound keeps the marks' memory to about 150 bytes per event
 * for this long.
 */
export const EVENT_MARK_MS = 10 * 60_000;
/**
 * Events whose marks an instance's memory state keeps at most, the most recent (a Redis state keeps each for
 * EVENT_MARK_MS). A memory state never fails a write, so no retry ever asks it about an earlier one: its marks
 * only answer repeats, and 100,000 of them cost about 20 MB where 10,000 cost 2.
 */
export const MAX_EVENT_MARKS = 10_000;

/**
 * Each instance counts its own writes in the shared state, beside the state's keys: a store that
 * comes back with fewer (Redis restarted from an older snapshot, or a replica that was behind its
 * primary promoted) lost some of them, although the state's generation mark may have survived.
 * The count is kept this long past the instance's last write or look (the watch looks every few seconds).
 */
export const WRITE_COUNT_TTL_MS = 24 * 60 * 60_000;

export interface ApplyOutcome {
  /** Whether the event is news: it changed the state, or (for events that keep none) it is not stale. */
  readonly applied: boolean;
  /**
   * This very event (same type, time, session and participant) was taken before, within
   * EVENT_MARK_MS: whether it was news then, and the writer of that first write (see `apply`).
   * Only on a repeat, whose `applied` is false.
   */
  readonly repeatOf?: { readonly applied: boolean; readonly writer: string };
  readonly session: LiveSessionRecord | null;
  /** The store could not take the event (Redis down or slow): nothing was applied, and the caller keeps the event to apply later. */
  readonly failed?: true;
  /**
   * A new session while the state holds MAX_TRACKED_SESSIONS live ones, or a newcomer to a session holding
   * MAX_PARTICIPANTS_PER_SESSION participants: nothing was kept. Not stale: counted apart.
   */
  readonly refused?: true;
}

/** The live sessions and their participants, shared by every instance when it lives in Redis. */
export interface LiveState {
  /**
   * Applies one event atomically for its session; a repeat of one taken before changes nothing and
   * says so (`repeatOf`). `writer` names this write (one delivery of the event, whatever its retries).
   */
  apply(event: LiveEvent, writer?: string): Promise<ApplyOutcome>;
  /** Zoom's list showed the session live at `atMs`: live unless an end is known. `applied` when it became live. */
  markListed(session: WireSession, atMs: number): Promise<ApplyOutcome>;
  /** Zoom's list at `atMs` lacks the session: ended, unless seen alive within the grace. `applied` when it ended. */
  markMissing(sessionId: string, atMs: number): Promise<ApplyOutcome>;
  liveSessions(): Promise<LiveSessionRecord[]>;
  /** One session the state keeps, live or ended (an ended one for ENDED_RETENTION_MS): where it stood in the live list. */
  session(sessionId: string): Promise<LiveSessionRecord | undefined>;
  /** Everyone seen in a session, present or gone, in order of joining. */
  participants(sessionId: string): Promise<LiveParticipant[]>;
  /**
   * Whether the store lost writes of this instance's since the last call: its count of them went
   * back (see WRITE_COUNT_TTL_MS), as seen by a write or by this look. A store lost only with the process never does.
   */
  lostWrites(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Live when a start or join is newer than the end, or when Zoom's list showed the session and no
 * end is known at all. A listing is never weighed against an end by time: it is stamped with the
 * gateway's clock, which may run ahead of the `event_ts` of a `session.ended` that arrives after
 * it, and the list may lag the webhooks anyway (RedisLiveState's script keeps the same rule).
 */
export function isLiveRecord(record: Pick<LiveSessionRecord, 'aliveTs' | 'listedTs' | 'endTs'>): boolean {
  return record.aliveTs > record.endTs || (record.listedTs > 0 && record.endTs === 0);
}

/** The newest sign of life of either kind, for reconciliation's grace. */
export function lastSeenTs(record: Pick<LiveSessionRecord, 'aliveTs' | 'listedTs'>): number {
  return Math.max(record.aliveTs, record.listedTs);
}

/** What a live session looks like in Zoom's list shape, for the pages LIVE queries read. */
export function toWireSession(record: LiveSessionRecord): WireSession {
  const listed = record.listed;
  return {
    ...(listed ?? { has_voip: false, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false, duration: null }),
    id: record.id,
    session_name: record.sessionName ?? listed?.session_name ?? '',
    session_key: record.sessionKey ?? listed?.session_key ?? null,
    start_time: record.startTime ?? listed?.start_time ?? new Date(lastSeenTs(record)).toISOString(),
    end_time: isLiveRecord(record) ? null : record.endTime ?? new Date(record.endTs).toISOString(),
    // Users who joined, as the field says (present and gone): those webhooks told of, or Zoom's count if higher; never
    // fewer than those present (a record an earlier release wrote has no count of joins).
    user_count: Math.max(record.joined, record.present, listed?.user_count ?? 0),
    // Who is in it now is known only for a session whose start the webhooks told: every join since came the same way.
    // One known from Zoom's list alone had people in it before the gateway listened.
    gateway_participants_now: isLiveRecord(record) && record.startTs > 0 ? record.present : null,
  };
}

/** A time Zoom sent, or the event's own when Zoom's is missing or unreadable. */
export function liveTime(value: string | null, fallbackMs: number): Date | null {
  const parsed = value === null ? NaN : Date.parse(value);
  if (!Number.isNaN(parsed)) return new Date(parsed);
  return fallbackMs > 0 ? new Date(fallbackMs) : null;
}

/** A participant in the graph's shape; webhooks carry no device, network or quality details. */
export function toLiveSessionUser(participant: LiveParticipant): SessionUser {
  const present = participant.joinTs > participant.leaveTs;
  const { user } = participant;
  return {
    id: user.id,
    name: user.name,
    userKey: user.userKey,
    participantUuid: user.participantUuid,
    joinTime: liveTime(user.joinTime, participant.joinTs),
    leaveTime: present ? null : liveTime(participant.leaveTime, participant.leaveTs),
    leaveReason: present ? null : participant.leaveReason,
    device: null, client: null, os: null, osVersion: null, browserName: null, browserVersion: null,
    networkType: null, dataCenter: null, connectionType: null, microphone: null, speaker: null, camera: null,
    isOriginalHost: null, audioQuality: null, videoQuality: null, screenShareQuality: null, ipAddress: null, location: null,
  };
}
