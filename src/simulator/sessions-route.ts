import { Day } from '../time/calendar';
import { Answer, jsonAnswer, validationFailed, zoomError } from './answer';
import { SimSession, isLive } from './dataset';
import { PageTokenStore } from './page-tokens';
import { parseListQuery, selectSessions, tokenBinding } from './session-query';

export interface SessionsContext {
  sessions: readonly SimSession[];
  tokens: PageTokenStore;
  today: Day;
  maxPageSize: number;
}

/** Zoom's answer to a token that is unknown, expired, or used with other parameters (docs/zoom-contract.md §1, M). */
export const INVALID_PAGE_TOKEN_MESSAGE = 'The next page token is invalid or expired.';
const SESSION_DETAIL_TYPES = ['past', 'live', 'scheduled'];

/** `GET /v2/videosdk/sessions` */
export function listSessions(params: Record<string, string>, context: SessionsContext): Answer {
  const parsed = parseListQuery(params, context.today, context.maxPageSize);
  if ('errors' in parsed) return validationFailed(parsed.errors);
  const { query } = parsed;

  const binding = tokenBinding(query);
  let offset = 0;
  if (query.next_page_token !== undefined) {
    const redeemed = context.tokens.redeem(query.next_page_token, binding);
    if (redeemed === undefined) return zoomError(400, 300, INVALID_PAGE_TOKEN_MESSAGE);
    offset = redeemed;
  }

  const matching = selectSessions(context.sessions, query);
  const end = offset + query.page_size;
  return jsonAnswer(200, {
    from: query.from,
    to: query.to,
    page_size: query.page_size,
    // Zoom marks the last page with "", not a missing field (docs/zoom-contract.md §1, H).
    next_page_token: end < matching.length ? context.tokens.issue(binding, end) : '',
    sessions: matching.slice(offset, end),
  });
}

/** `GET /v2/videosdk/sessions/{sessionId}` */
export function sessionDetails(rawSegment: string, params: Record<string, string>, context: SessionsContext): Answer {
  if (params.type !== undefined && !SESSION_DETAIL_TYPES.includes(params.type)) {
    return validationFailed([{ field: 'type', message: "type must be 'past', 'live' or 'scheduled'." }]);
  }
  const id = decodeSessionIdSegment(rawSegment);
  const session = id === undefined ? undefined : context.sessions.find((candidate) => candidate.id === id && detailsTypeMatches(candidate, params.type));
  if (!session) return zoomError(404, 3001, 'Session does not exist.');
  return jsonAnswer(200, {
    ...session,
    // 11 digits, beyond GraphQL's Int (docs/zoom-contract.md §2), the same for the same id.
    session_number: 10_000_000_000 + (idHash(session.id) % 90_000_000_000),
    // A secret the gateway must never serve (docs/zoom-contract.md §2).
    passcode: `pw${idHash(session.id) % 1_000_000}`,
    created_at: session.start_time,
    total_minutes: Math.round((durationSeconds(session.duration) / 60) * session.user_count),
    settings: { auto_recording: session.has_recording ? 'cloud' : 'none', global_dial_in_countries: session.has_pstn ? ['US', 'DE'] : [], global_dial_in_numbers: [] },
  });
}

/**
 * `past` finds only ended sessions, `live` only running ones, `scheduled` none (the dataset holds
 * no future sessions). Zoom documents no default; without `type` any session is found.
 */
function detailsTypeMatches(session: SimSession, type: string | undefined): boolean {
  if (type === undefined) return true;
  if (type === 'scheduled') return false;
  return (type === 'live') === isLive(session);
}

/**
 * Zoom's rule for IDs in a path (docs/zoom-contract.md §2, H): an ID that starts with `/` or holds `//` is
 * encoded twice, any other once. As behind Zoom's proxy, an ID encoded the wrong number of times
 * does not match.
 */
export function decodeSessionIdSegment(rawSegment: string): string | undefined {
  const once = safeDecode(rawSegment);
  if (once === undefined) return undefined;
  const needsTwo = (id: string) => id.startsWith('/') || id.includes('//');
  if (needsTwo(once)) return undefined;
  // Session IDs are base64, so a `%` left after one decoding means the client encoded twice.
  if (!once.includes('%')) return once;
  const twice = safeDecode(once);
  return twice !== undefined && needsTwo(twice) ? twice : undefined;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function durationSeconds(duration: string): number {
  return duration.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function idHash(id: string): number {
  let value = 7;
  for (let i = 0; i < id.length; i++) value = (value * 31 + id.charCodeAt(i)) % 2_147_483_647;
  return value * 41;
}
