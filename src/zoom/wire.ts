import { ZoomBadResponseError } from './errors';

/** One session as `GET /videosdk/sessions` sends it (../shared/zoom-api.md §1). */
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
}

/** One page of the list, checked against the contract; `nextPageToken` is "" on the last page. */
export interface WireSessionPage {
  pageSize: number | undefined;
  nextPageToken: string;
  sessions: WireSession[];
  trackingId: string | undefined;
  /** Size of Zoom's body, for caches bounded in bytes. */
  bytes: number;
}

/**
 * `GET /videosdk/sessions/{sessionId}` (../shared/zoom-api.md §2): the list's fields plus extras.
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `where` names the session in the message: `sessions[3]` in a list, `the session` in details. */
function checkSession(value: unknown, where: string): string | undefined {
  if (!isRecord(value)) return `${where} is not an object`;
  if (typeof value.id !== 'string' || value.id === '') return `${where}.id is not a non-empty string`;
  if (typeof value.session_name !== 'string') return `${where}.session_name is not a string`;
  if (typeof value.start_time !== 'string' || Number.isNaN(Date.parse(value.start_time))) {
    return `${where}.start_time is not a timestamp`;
  }
  if (typeof value.user_count !== 'number' || !Number.isInteger(value.user_count)) {
    return `${where}.user_count is not an integer`;
  }
  for (const field of BOOLEAN_FIELDS) {
    if (typeof value[field] !== 'boolean') return `${where}.${field} is not a boolean`;
  }
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (value[field] !== undefined && value[field] !== null && typeof value[field] !== 'string') {
      return `${where}.${field} is not a string`;
    }
  }
  if (typeof value.end_time === 'string' && value.end_time !== '' && Number.isNaN(Date.parse(value.end_time))) {
    return `${where}.end_time is not a timestamp`;
  }
  return undefined;
}

/** Checks a parsed body against the list contract; throws ZoomBadResponseError naming the first breach. */
export function parseSessionPage(body: unknown, trackingId: string | undefined, bytes = 0): WireSessionPage {
  const fail = (detail: string): never => {
    throw new ZoomBadResponseError(detail, trackingId);
  };
  if (!isRecord(body)) return fail('the body is not a JSON object');
  const { sessions, next_page_token: token, page_size: pageSize } = body;
  if (!Array.isArray(sessions)) return fail('sessions is not an array');
  if (token !== undefined && token !== null && typeof token !== 'string') fail('next_page_token is not a string');
  if (pageSize !== undefined && (typeof pageSize !== 'number' || !Number.isInteger(pageSize))) fail('page_size is not an integer');
  sessions.forEach((session, index) => {
    const problem = checkSession(session, `sessions[${index}]`);
    if (problem) fail(problem);
  });
  return {
    pageSize: typeof pageSize === 'number' ? pageSize : undefined,
    nextPageToken: typeof token === 'string' ? token : '',
    sessions: sessions as WireSession[],
    trackingId,
    bytes,
  };
}

/** Checks a details body: it must hold every field a listed session holds. */
export function parseSessionDetails(body: unknown, trackingId: string | undefined): WireSessionDetailsAnswer {
  const problem = checkSession(body, 'the session');
  if (problem) throw new ZoomBadResponseError(problem, trackingId);
  return { session: body as WireSessionDetails, trackingId };
}
