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

const BOOLEAN_FIELDS = ['has_voip', 'has_video', 'has_screen_share', 'has_recording', 'has_pstn', 'has_session_summary'] as const;
const OPTIONAL_STRING_FIELDS = ['end_time', 'duration', 'session_key', 'audio_quality', 'video_quality', 'screen_share_quality'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSession(value: unknown, index: number): string | undefined {
  if (!isRecord(value)) return `sessions[${index}] is not an object`;
  if (typeof value.id !== 'string' || value.id === '') return `sessions[${index}].id is not a non-empty string`;
  if (typeof value.session_name !== 'string') return `sessions[${index}].session_name is not a string`;
  if (typeof value.start_time !== 'string' || Number.isNaN(Date.parse(value.start_time))) {
    return `sessions[${index}].start_time is not a timestamp`;
  }
  if (typeof value.user_count !== 'number' || !Number.isInteger(value.user_count)) {
    return `sessions[${index}].user_count is not an integer`;
  }
  for (const field of BOOLEAN_FIELDS) {
    if (typeof value[field] !== 'boolean') return `sessions[${index}].${field} is not a boolean`;
  }
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (value[field] !== undefined && value[field] !== null && typeof value[field] !== 'string') {
      return `sessions[${index}].${field} is not a string`;
    }
  }
  if (typeof value.end_time === 'string' && value.end_time !== '' && Number.isNaN(Date.parse(value.end_time))) {
    return `sessions[${index}].end_time is not a timestamp`;
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
    const problem = checkSession(session, index);
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
