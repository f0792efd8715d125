import { ZoomBadResponseError } from './errors';

/**
 * The longest `next_page_token` taken from Zoom: its tokens are a few dozen characters (undocumented, L), and
 * a cursor carries one, so a far longer one would make a cursor past what the gateway accepts back (found by
 * review: a 5,000-character token gave a cursor of 6,728, refused as altered).
 */
export const MAX_PAGE_TOKEN_CHARS = 1_024;

/** A page's `next_page_token` as the list and the lists inside a session send it: '' for the last page. */
export function pageToken(token: unknown, fail: (detail: string) => never): string {
  if (token === undefined || token === null) return '';
  if (typeof token !== 'string') return fail('next_page_token is not a string');
  if (token.length > MAX_PAGE_TOKEN_CHARS) return fail(`next_page_token is longer than ${MAX_PAGE_TOKEN_CHARS} characters`);
  return token;
}

/** One session as `GET /videosdk/sessions` sends it (docs/zoom-contract.md §1). */
export interface WireSession {
  id: string;
  session_name: string;
  start_time: string;
  end_time?: string | null;
  duration?: string | null;
  user_count: number;
  has_voip: boolean;
  has_video: boolean;
  has_screen_share: boolean;
  has_recording: boolean;
  has_pstn: boolean;
  has_session_summary: boolean;
  session_key?: string | null;
  audio_quality?: string | null;
  video_quality?: string | null;
  screen_share_quality?: string | null;
  /**
   * Not Zoom's: set by the gateway on a live session from its webhook-fed state, the participants
   * its webhooks saw join and not leave (Zoom's list gives no such count).
   */
  gateway_participants_now?: number | null;
}

/** One page of the list, checked against the contract; `nextPageToken` is "" on the last page. */
export interface WireSessionPage {
  pageSize: number | undefined;
  nextPageToken: string;
  sessions: WireSession[];
  trackingId: string | undefined;
  /** Size of Zoom's body, for caches bounded in bytes. */
  bytes: number;
  /** When the page cache fetched it (its clock), so a page past its freshness can still be served stale. */
  fetchedAt?: number;
}

/**
 * `GET /videosdk/sessions/{sessionId}` (docs/zoom-contract.md §2): the list's fields plus extras.
 * The graph shows only the list's fields, so the extras are typed loosely and not checked.
 */
export interface WireSessionDetails extends WireSession {
  session_number?: unknown;
  passcode?: unknown;
  created_at?: unknown;
  total_minutes?: unknown;
  settings?: unknown;
}

/** One details answer, checked against the list's session contract. */
export interface WireSessionDetailsAnswer {
  session: WireSessionDetails;
  trackingId: string | undefined;
}

const BOOLEAN_FIELDS = ['has_voip', 'has_video', 'has_screen_share', 'has_recording', 'has_pstn', 'has_session_summary'] as const;
const OPTIONAL_STRING_FIELDS = ['end_time', 'duration', 'session_key', 'audio_quality', 'video_quality', 'screen_share_quality'] as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Zoom's own form, `2026-10-07T05:42:28Z` (fractions allowed). Every string it matches,
 * Date.parse accepts too, so it only spares Date.parse for the common case: a 300-session page
 * holds 600 timestamps, and Date.parse on each is most of the cost of checking a page.
 */
const ZOOM_TIMESTAMP = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

/** Whether `value` is a timestamp Date.parse understands (ISO-8601 is what Zoom documents). */
export function isTimestamp(value: string): boolean {
  return ZOOM_TIMESTAMP.test(value) || !Number.isNaN(Date.parse(value));
}

const isOptionalString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';

/** Whether a value holds every field of a listed session with its contract type: the hot path, no message built. */
function isWireSession(value: unknown): value is WireSession {
  if (!isRecord(value)) return false;
  const { id, session_name: name, start_time: start, end_time: end, user_count: users } = value;
  return (
    typeof id === 'string' && id !== '' && typeof name === 'string' &&
    typeof start === 'string' && isTimestamp(start) &&
    typeof users === 'number' && Number.isInteger(users) &&
    typeof value.has_voip === 'boolean' && typeof value.has_video === 'boolean' && typeof value.has_screen_share === 'boolean' &&
    typeof value.has_recording === 'boolean' && typeof value.has_pstn === 'boolean' && typeof value.has_session_summary === 'boolean' &&
    isOptionalString(end) && isOptionalString(value.duration) && isOptionalString(value.session_key) &&
    isOptionalString(value.audio_quality) && isOptionalString(value.video_quality) && isOptionalString(value.screen_share_quality) &&
    (typeof end !== 'string' || end === '' || isTimestamp(end))
  );
}

/** Why a value is not a session, for the error; `where` names it: `sessions[3]` in a list, `the session` in details. */
function sessionProblem(value: unknown, where: string): string {
  if (!isRecord(value)) return `${where} is not an object`;
  if (typeof value.id !== 'string' || value.id === '') return `${where}.id is not a non-empty string`;
  if (typeof value.session_name !== 'string') return `${where}.session_name is not a string`;
  if (typeof value.start_time !== 'string' || !isTimestamp(value.start_time)) return `${where}.start_time is not a timestamp`;
  if (typeof value.user_count !== 'number' || !Number.isInteger(value.user_count)) return `${where}.user_count is not an integer`;
  for (const field of BOOLEAN_FIELDS) {
    if (typeof value[field] !== 'boolean') return `${where}.${field} is not a boolean`;
  }
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (!isOptionalString(value[field])) return `${where}.${field} is not a string`;
  }
  return `${where}.end_time is not a timestamp`;
}

/** A field of the gateway's own in what Zoom sent is not taken for the gateway's: dropped from the parsed body. */
function withoutGatewayFields(session: Record<string, unknown>): void {
  if ('gateway_participants_now' in session) delete session.gateway_participants_now;
}

/** Checks a parsed body against the list contract; throws ZoomBadResponseError naming the first breach. */
export function parseSessionPage(body: unknown, trackingId: string | undefined, bytes = 0): WireSessionPage {
  const fail = (detail: string): never => {
    throw new ZoomBadResponseError(detail, trackingId);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const { sessions, next_page_token: token, page_size: pageSize } = body;
  if (!Array.isArray(sessions)) return fail('sessions is not an array');
  const nextPageToken = pageToken(token, fail);
  if (pageSize !== undefined && (typeof pageSize !== 'number' || !Number.isInteger(pageSize))) fail('page_size is not an integer');
  for (let index = 0; index < sessions.length; index += 1) {
    if (!isWireSession(sessions[index])) fail(sessionProblem(sessions[index], `sessions[${index}]`));
    withoutGatewayFields(sessions[index] as Record<string, unknown>);
  }
  return {
    pageSize: typeof pageSize === 'number' ? pageSize : undefined,
    nextPageToken,
    sessions: sessions as WireSession[],
    trackingId,
    bytes,
  };
}

/** Checks a details body: it must hold every field a listed session holds. */
export function parseSessionDetails(body: unknown, trackingId: string | undefined): WireSessionDetailsAnswer {
  if (!isWireSession(body)) throw new ZoomBadResponseError(sessionProblem(body, 'the session'), trackingId);
  withoutGatewayFields(body as unknown as Record<string, unknown>);
  return { session: body as WireSessionDetails, trackingId };
}
