import { Day, addDays, firstOfMonth, historyStart, lastOfMonth } from '../time/calendar';
import { Answer, jsonAnswer, validationFailed, zoomError } from './answer';
import { SimSession, isLive, sessionDay } from './dataset';
import { PageTokenStore } from './page-tokens';
import { SessionInside } from './participants';
import { INVALID_PAGE_TOKEN_MESSAGE } from './sessions-route';

/** Zoom: participants and QoS take `type` and default to `live` (docs/zoom-contract.md §2, H). */
const DEFAULT_TYPE = 'live';
const DEFAULT_PAGE_SIZE = 30;
/** QoS bodies are large; Zoom's own examples use pages of 10 (docs/zoom-contract.md §2, L): larger sizes are clamped. */
export const SIM_QOS_MAX_PAGE_SIZE = 10;
/** Zoom: data of sessions older than a year is refused with 12702 (docs/zoom-contract.md §2, H; the status is L). */
export const SESSION_TOO_OLD = { status: 400, code: 12702, message: 'Can not access session data older than 1 year.' } as const;
const YEAR_MS = 365 * 86_400_000;

export interface InsideContext {
  readonly sessions: readonly SimSession[];
  readonly tokens: PageTokenStore;
  readonly today: Day;
  readonly nowMs: number;
  readonly maxPageSize: number;
  readonly inside: (session: SimSession) => SessionInside;
}

/** The session a path names under this type, or Zoom's error for it. */
export function findForType(id: string | undefined, type: string | undefined, context: InsideContext): SimSession | Answer {
  const asked = type ?? DEFAULT_TYPE;
  if (asked !== 'live' && asked !== 'past') return validationFailed([{ field: 'type', message: "type must be 'past' or 'live'." }]);
  const session = id === undefined ? undefined : context.sessions.find((candidate) => candidate.id === id && (asked === 'live') === isLive(candidate));
  if (!session) return zoomError(404, 3001, 'Session does not exist.');
  if (Date.parse(session.start_time) < context.nowMs - YEAR_MS) return zoomError(SESSION_TOO_OLD.status, SESSION_TOO_OLD.code, SESSION_TOO_OLD.message);
  return session;
}

function page<T>(items: readonly T[], binding: string, params: Record<string, string>, maxPageSize: number, context: InsideContext): { slice: T[]; pageSize: number; next: string } | Answer {
  let pageSize = DEFAULT_PAGE_SIZE;
  if (params.page_size !== undefined) {
    pageSize = /^\d+$/.test(params.page_size) ? Number(params.page_size) : NaN;
    if (!(pageSize >= 1)) return validationFailed([{ field: 'page_size', message: 'page_size must be a positive integer.' }]);
  }
  pageSize = Math.min(pageSize, maxPageSize);
  const boundTo = `${binding}|${pageSize}`;
  let offset = 0;
  if (params.next_page_token !== undefined && params.next_page_token !== '') {
    const redeemed = context.tokens.redeem(params.next_page_token, boundTo);
    if (redeemed === undefined) return zoomError(400, 300, INVALID_PAGE_TOKEN_MESSAGE);
    offset = redeemed;
  }
  const end = offset + pageSize;
  return { slice: items.slice(offset, end), pageSize, next: end < items.length ? context.tokens.issue(boundTo, end) : '' };
}

/** `GET /v2/videosdk/sessions/{id}/users` and `.../users/qos` */
export function sessionUsers(id: string | undefined, withQos: boolean, params: Record<string, string>, context: InsideContext): Answer {
  const found = findForType(id, params.type, context);
  if ('kind' in found) return found;
  const { participants, qos } = context.inside(found);
  const users = withQos ? participants.map((participant, index) => ({ ...participant, user_qos: qos[index] })) : participants;
  const maxPageSize = withQos ? Math.min(SIM_QOS_MAX_PAGE_SIZE, context.maxPageSize) : context.maxPageSize;
  const paged = page(users, `${withQos ? 'qos' : 'users'}|${found.id}|${params.type ?? DEFAULT_TYPE}`, params, maxPageSize, context);
  if ('kind' in paged) return paged;
  return jsonAnswer(200, { page_size: paged.pageSize, next_page_token: paged.next, users: paged.slice });
}

/** `GET /v2/videosdk/sessions/{id}/users/{userId}/qos`: one participant with its samples. */
export function sessionUserQos(id: string | undefined, userId: string, params: Record<string, string>, context: InsideContext): Answer {
  const found = findForType(id, params.type, context);
  if ('kind' in found) return found;
  const { participants, qos } = context.inside(found);
  const index = participants.findIndex((participant) => participant.id === userId);
  if (index < 0) return zoomError(404, 3001, 'Participant does not exist.');
  return jsonAnswer(200, { ...participants[index], user_qos: qos[index] });
}

function minutes(duration: string): number {
  return Math.round(duration.split(':').reduce((total, part) => total * 60 + Number(part), 0) / 60);
}

/** `GET /v2/videosdk/report/daily?year&month`: every day of the month up to today, from the ended sessions. */
export function dailyReport(params: Record<string, string>, context: InsideContext): Answer {
  const year = Number(params.year);
  const month = Number(params.month);
  if (!/^\d{4}$/.test(params.year ?? '') || !/^\d{1,2}$/.test(params.month ?? '') || month < 1 || month > 12) {
    return validationFailed([{ field: 'month', message: 'year (yyyy) and month (1-12) are required.' }]);
  }
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  if (first < firstOfMonth(historyStart(context.today)) || first > context.today) {
    return validationFailed([{ field: 'month', message: 'The report covers the last six months only.' }]);
  }
  const last = lastOfMonth(first) < context.today ? lastOfMonth(first) : context.today;
  const dates: { date: Day; sessions: number; users: number; session_minutes: number }[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) dates.push({ date: day, sessions: 0, users: 0, session_minutes: 0 });
  const byDay = new Map(dates.map((entry) => [entry.date, entry]));
  for (const session of context.sessions) {
    const entry = isLive(session) ? undefined : byDay.get(sessionDay(session));
    if (!entry) continue;
    entry.sessions += 1;
    entry.users += session.user_count;
    entry.session_minutes += minutes(session.duration);
  }
  return jsonAnswer(200, { from: first, to: last, dates });
}
