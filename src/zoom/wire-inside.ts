import { ZoomBadResponseError } from './errors';
import { isRecord, pageToken } from './wire';

/**
 * What Zoom sends from inside a session (docs/zoom-contract.md §2): participants, their QoS and
 * the daily report. Zoom's own SDK types mark every field optional, so only what the walk needs
 * (an array of users, a string token) is checked; each field is read defensively by its mapper.
 */

/** One participant as `GET /videosdk/sessions/{id}/users` sends it; every field may be absent. */
export interface WireSessionUser {
  id?: unknown;
  name?: unknown;
  user_key?: unknown;
  participant_uuid?: unknown;
  device?: unknown;
  client?: unknown;
  os?: unknown;
  os_version?: unknown;
  browser_name?: unknown;
  browser_version?: unknown;
  ip_address?: unknown;
  location?: unknown;
  network_type?: unknown;
  microphone?: unknown;
  speaker?: unknown;
  camera?: unknown;
  data_center?: unknown;
  connection_type?: unknown;
  join_time?: unknown;
  leave_time?: unknown;
  leave_reason?: unknown;
  is_original_host?: unknown;
  audio_quality?: unknown;
  video_quality?: unknown;
  screen_share_quality?: unknown;
}

/** One QoS sample: metric groups of strings with units ("23 kbps", "126 ms", "0.3%"). */
export interface WireQosSample {
  date_time?: unknown;
  audio_input?: unknown;
  audio_output?: unknown;
  video_input?: unknown;
  video_output?: unknown;
  as_input?: unknown;
  as_output?: unknown;
}

/** A participant of `GET /videosdk/sessions/{id}/users/qos`: the participant fields plus samples. */
export interface WireQosUser extends WireSessionUser {
  user_qos?: unknown;
}

/** One page of a token-paged list inside a session, as plain JSON (it is cached in a shared store). */
export interface WireUserPage<U> {
  users: U[];
  /** "" on the last page. */
  nextPageToken: string;
  trackingId: string | undefined;
  bytes: number;
}

/** One day of `GET /videosdk/report/daily`. */
export interface WireDailyUsage {
  date: string;
  sessions: number;
  users: number;
  session_minutes: number;
}

export interface WireDailyReport {
  dates: WireDailyUsage[];
  trackingId: string | undefined;
  bytes: number;
}

/** Checks a participants or QoS page: `users` an array of objects, the token a string or absent. */
export function parseUserPage<U>(body: unknown, trackingId: string | undefined, bytes: number): WireUserPage<U> {
  const fail = (detail: string): never => {
    throw new ZoomBadResponseError(detail, trackingId);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const { users, next_page_token: token } = body;
  if (!Array.isArray(users)) return fail('users is not an array');
  users.forEach((user, index) => {
    if (!isRecord(user)) fail(`users[${index}] is not an object`);
  });
  return { users: users as U[], nextPageToken: pageToken(token, fail), trackingId, bytes };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Checks the daily report: every day a `yyyy-mm-dd` date with whole, non-negative counts. */
export function parseDailyReport(body: unknown, trackingId: string | undefined, bytes: number): WireDailyReport {
  const fail = (detail: string): never => {
    throw new ZoomBadResponseError(detail, trackingId);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const { dates } = body;
  if (!Array.isArray(dates)) return fail('dates is not an array');
  dates.forEach((day: unknown, index) => {
    if (!isRecord(day) || typeof day.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day.date)) fail(`dates[${index}].date is not a yyyy-mm-dd date`);
    const { sessions, users, session_minutes: minutes } = day as Record<string, unknown>;
    if (!isCount(sessions) || !isCount(users) || !isCount(minutes)) fail(`dates[${index}] has a count that is not a whole number`);
  });
  return { dates: dates as WireDailyUsage[], trackingId, bytes };
}
