import { Day, fitsOneZoomRange, historyStart, isDay } from '../time/calendar';
import { FieldError } from './answer';
import { SimSession, compareSessions, isLive, sessionDay } from './dataset';

export type SessionType = 'live' | 'past';

/** Zoom: `type` defaults to `live`, so history needs `type=past` (docs/zoom-contract.md §1, H). */
export const ZOOM_DEFAULT_SESSION_TYPE: SessionType = 'live';
/** Zoom: `page_size` defaults to 30 (docs/zoom-contract.md §1, H). */
export const ZOOM_DEFAULT_PAGE_SIZE = 30;
/** Zoom documents a maximum of 300, unconfirmed (docs/zoom-contract.md §1, L); larger sizes are clamped, not refused. */
export const ZOOM_MAX_PAGE_SIZE = 300;

/** What selects the sessions of a walk; a page token is bound to it and to the page size. */
export interface SessionQuery {
  type?: SessionType;
  from: Day;
  to: Day;
  session_key?: string;
  session_name?: string;
}

export interface ListQuery extends SessionQuery {
  type: SessionType;
  page_size: number;
  next_page_token?: string;
}

/** Checks List sessions parameters the way docs/zoom-contract.md §1 describes them; all field errors at once. */
export function parseListQuery(
  params: Record<string, string>,
  today: Day,
  maxPageSize: number,
): { query: ListQuery } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const type = params.type ?? ZOOM_DEFAULT_SESSION_TYPE;
  if (type !== 'live' && type !== 'past') errors.push({ field: 'type', message: "type must be 'live' or 'past'." });

  const from = params.from ?? '';
  const to = params.to ?? '';
  if (!isDay(from)) errors.push({ field: 'from', message: 'from is required, as a yyyy-mm-dd date.' });
  if (!isDay(to)) errors.push({ field: 'to', message: 'to is required, as a yyyy-mm-dd date.' });
  if (isDay(from) && isDay(to)) {
    if (from > to) errors.push({ field: 'from', message: 'from must not be after to.' });
    else if (!fitsOneZoomRange(from, to)) errors.push({ field: 'to', message: 'The date range can cover one month at most.' });
    if (from < historyStart(today)) {
      errors.push({ field: 'from', message: `from must be within the last six months (on or after ${historyStart(today)}).` });
    }
  }

  let pageSize = ZOOM_DEFAULT_PAGE_SIZE;
  if (params.page_size !== undefined) {
    pageSize = /^\d+$/.test(params.page_size) ? Number(params.page_size) : NaN;
    if (!(pageSize >= 1)) errors.push({ field: 'page_size', message: 'page_size must be a positive integer.' });
  }

  if (errors.length > 0) return { errors };
  return {
    query: {
      type: type as SessionType,
      from,
      to,
      page_size: Math.min(pageSize, maxPageSize),
      ...optional('session_key', params.session_key),
      ...optional('session_name', params.session_name),
      ...optional('next_page_token', params.next_page_token),
    },
  };
}

/** An empty filter is no filter: clients often send `session_key=` for "any". */
function optional<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [name]: value } as Record<K, string>) : {};
}

/** The sessions a full walk of `query` returns, in the simulator's order. */
export function selectSessions(sessions: readonly SimSession[], query: SessionQuery): SimSession[] {
  const live = (query.type ?? ZOOM_DEFAULT_SESSION_TYPE) === 'live';
  return sessions
    .filter(
      (session) =>
        isLive(session) === live &&
        sessionDay(session) >= query.from &&
        sessionDay(session) <= query.to &&
        (!query.session_key || session.session_key === query.session_key) &&
        (!query.session_name || session.session_name === query.session_name),
    )
    .sort(compareSessions);
}

/** What a page token must be used with: every parameter but the token itself (docs/zoom-contract.md §1, H). */
export function tokenBinding(query: ListQuery): string {
  return JSON.stringify([query.type, query.from, query.to, query.session_key ?? '', query.session_name ?? '', query.page_size]);
}
