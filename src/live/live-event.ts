import { SessionEventType, ZOOM_EVENT_TYPES } from './session-event-type.enum';
import { isWellFormedText } from '../well-formed-text';
import { isDay } from '../time/calendar';

/**
 * Which field of a webhook's `payload.object` equals the REST list's session `id`. Zoom's own
 * examples disagree (docs/zoom-contract.md §6, L): `id` is the guess; `session_id` is kept as
 * the other id, and reconciliation matches a listed session by either.
 */
export const ZOOM_WEBHOOK_SESSION_ID_FIELD: 'id' | 'session_id' = 'id';
const OTHER_ID_FIELD = ZOOM_WEBHOOK_SESSION_ID_FIELD === 'id' ? 'session_id' : 'id';

/** Longer strings than this in an event are not Zoom's: they are refused rather than stored. */
export const MAX_EVENT_STRING_LENGTH = 1_024;

/** A participant as a webhook reports them. */
export interface LiveUser {
  readonly id: string;
  readonly name: string;
  readonly userKey: string | null;
  readonly participantUuid: string | null;
  readonly joinTime: string | null;
  readonly leaveTime: string | null;
  readonly leaveReason: string | null;
}

/** One Zoom event, checked: the kinds the graph carries, with what the live state needs. */
export interface LiveEvent {
  readonly type: SessionEventType;
  /** Zoom's `event_ts`, epoch ms: the order of events within a session. */
  readonly ts: number;
  readonly sessionId: string;
  readonly otherSessionId: string | null;
  readonly sessionName: string | null;
  readonly sessionKey: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly user: LiveUser | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The last millisecond of year 9999: an `event_ts` past it names no date an ISO string can hold. */
const LAST_EVENT_TS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const FIRST_TIME_MS = Date.parse('0000-01-01T00:00:00Z');

/** ISO-8601 with its zone, as Zoom documents its times: `2026-10-07T05:42:28Z`, fractions, `+08:00`, or no seconds. */
const ZONED_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/**
 * A time a webhook carries, in UTC to the second as Zoom's lists write it: the LIVE list files a session under the
 * day of its start_time and orders by it as text, so `07:00+08:00` must read as the previous day's
 * `23:00Z`. One that is no date (`T25:00:00Z`, `02-31`, which Date.parse would roll into March), has no
 * zone (read in the server's own, it would differ between instances), or lies past year 9999, counts as
 * absent: left in, it made every LIVE list fail to serialise its session.
 */
function time(value: unknown): string | null {
  const given = text(value);
  const match = given === null ? null : ZONED_TIME.exec(given);
  if (given === null || match === null || !isDay(match[1])) return null;
  const ms = Date.parse(given);
  if (!(ms >= FIRST_TIME_MS && ms <= LAST_EVENT_TS)) return null;
  // To the second, as Zoom writes its times: `…:00.250Z` would sort as text before `…:00Z`.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Text a webhook carries that can be shown and put in a Zoom path; anything else counts as absent. */
function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value.length <= MAX_EVENT_STRING_LENGTH && isWellFormedText(value) ? value : null;
}

function parseUser(value: unknown): LiveUser | null {
  if (!isRecord(value)) return null;
  const id = text(value.id) ?? text(value.participant_uuid);
  if (id === null) return null;
  return {
    id,
    name: text(value.name) ?? '',
    userKey: text(value.user_key),
    participantUuid: text(value.participant_uuid),
    joinTime: time(value.join_time),
    leaveTime: time(value.leave_time),
    leaveReason: text(value.leave_reason),
  };
}

/** The events about one participant: each carries a user, and the state keeps them per participant. */
export const USER_EVENTS: ReadonlySet<SessionEventType> = new Set([SessionEventType.USER_JOINED, SessionEventType.USER_LEFT]);

/** The event in a parsed webhook body, or why it is not one the gateway uses. */
export function parseZoomEvent(body: unknown): LiveEvent | string {
  if (!isRecord(body)) return 'the body is not a JSON object';
  // Own keys only: an event named after an Object method ("constructor", "hasOwnProperty") is not one of Zoom's.
  const type = typeof body.event === 'string' && Object.hasOwn(ZOOM_EVENT_TYPES, body.event) ? ZOOM_EVENT_TYPES[body.event] : undefined;
  // Named by its kind unless it is a string: a value nested deep enough would not even print.
  if (type === undefined) return `event ${typeof body.event === 'string' ? JSON.stringify(body.event.slice(0, MAX_EVENT_STRING_LENGTH)) : `of type ${typeof body.event}`} is not one the gateway uses`;
  const ts = body.event_ts;
  // A time past year 9999 is no date the state could show (it broke every LIVE list) nor order by.
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts <= 0 || ts > LAST_EVENT_TS) return 'event_ts is not epoch milliseconds of a date';
  const object = isRecord(body.payload) ? body.payload.object : undefined;
  if (!isRecord(object)) return 'payload.object is missing';
  const sessionId = text(object[ZOOM_WEBHOOK_SESSION_ID_FIELD]) ?? text(object[OTHER_ID_FIELD]);
  if (sessionId === null) return 'payload.object has no session id';
  const otherId = text(object[OTHER_ID_FIELD]);
  const user = parseUser(object.user);
  if (USER_EVENTS.has(type) && user === null) return 'payload.object.user is missing or has no id';
  return {
    type,
    ts,
    sessionId,
    otherSessionId: otherId === sessionId ? null : otherId,
    sessionName: text(object.session_name),
    sessionKey: text(object.session_key),
    startTime: time(object.start_time),
    endTime: time(object.end_time),
    user,
  };
}

/** A participant's key within a session: Zoom's participant_uuid where it sends one, its user id otherwise. */
export function participantKey(user: LiveUser): string {
  return user.participantUuid ?? user.id;
}

/**
 * Zoom sends no event id: its retries are recognised by event name, `event_ts`, session and
 * participant (docs/zoom-contract.md §6, H).
 */
export function deduplicationKey(event: LiveEvent): string {
  return JSON.stringify([event.type, event.ts, event.sessionId, event.user === null ? '' : participantKey(event.user)]);
}
