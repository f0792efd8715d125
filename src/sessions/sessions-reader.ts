import type { GatewayMetrics } from '../metrics';
import { CursorPosition, encodeCursor } from '../pagination/cursor';
import { Page, Walk, WalkStart, startAfter, walkPages } from '../pagination/paginate';
import { relocate } from '../pagination/relocate';
import { todayUtc } from '../zoom/calendar';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import { CallCapReached } from './call-budget';
import type { SessionConnection, SessionEdge } from './session-connection.type';
import { Session, toSession } from './session.type';
import type { SessionPageLoader, SessionPageQuery } from './session-pages';
import type { SessionsArgsRules, SessionsQuery } from './sessions.args';
import { Window, windowsUntil } from './windows';

export interface SessionsReaderOptions {
  /** This request's loader: de-duplicates its pages and spends its call cap. */
  readonly pages: SessionPageLoader;
  /** Pages for re-finding an expired cursor's position, within their own small call cap. */
  readonly recoveryPages: (query: SessionPageQuery) => Promise<WireSessionPage>;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
}

/**
 * Cached pages are shared by every request, so their sessions are mapped once, and each
 * session's cursor is signed once per query (a cursor costs an HMAC; the bench found it and the
 * mapping among the hot spots). Entries die with the page when the cache drops it.
 */
const mappedSessions = new WeakMap<WireSession, Session>();
const signedCursors = new WeakMap<WireSession, Map<string, string>>();
/** Distinct queries over one session whose cursors are kept; beyond, cursors are signed afresh. */
const CURSORS_KEPT_PER_SESSION = 8;

function sessionOf(wire: WireSession): Session {
  let session = mappedSessions.get(wire);
  if (!session) {
    session = toSession(wire);
    mappedSessions.set(wire, session);
  }
  return session;
}

function cursorOf(wire: WireSession, fingerprint: string, sign: () => string): string {
  let cursors = signedCursors.get(wire);
  const known = cursors?.get(fingerprint);
  if (known !== undefined) return known;
  const cursor = sign();
  if (!cursors) signedCursors.set(wire, (cursors = new Map()));
  if (cursors.size < CURSORS_KEPT_PER_SESSION) cursors.set(fingerprint, cursor);
  return cursor;
}

/** A cursor is signed only if the client selects it (many select pageInfo.endCursor alone). */
function lazyEdge(sign: () => string, node: Session): SessionEdge {
  let cursor: string | undefined;
  return {
    get cursor() {
      cursor ??= sign();
      return cursor;
    },
    node,
  };
}

function toPage(page: WireSessionPage): Page<WireSession> {
  return { items: page.sessions, nextPageToken: page.nextPageToken };
}

/** Reads the sessions connection for one request. */
export class SessionsReader {
  constructor(private readonly options: SessionsReaderOptions) {}

  rules(): SessionsArgsRules {
    return { today: todayUtc(this.options.now()), maxFirst: this.options.maxFirst, cursorKey: this.options.cursorKey };
  }

  async connection(query: SessionsQuery): Promise<SessionConnection> {
    const { windows, start } = this.plan(query);
    let walk: Walk<WireSession, Window>;
    try {
      walk = await this.walk(query, windows, start);
    } catch (error) {
      if (!(error instanceof ZoomPageTokenError) || query.after === undefined) throw error;
      walk = await this.walk(query, windows, await this.recover(query, query.after, error));
    }
    if (walk.stoppedBefore) this.options.metrics.callCapReached.inc();
    const edges = walk.edges.map((edge) =>
      lazyEdge(
        () =>
          cursorOf(edge.item, query.fingerprint, () =>
            this.cursor(query, edge.window, { pageToken: edge.pageToken, offset: edge.offset, sessionId: edge.item.id, nextPageToken: edge.nextPageToken }),
          ),
        sessionOf(edge.item),
      ),
    );
    const boundary = () => (edges.length === 0 ? this.boundaryCursor(query, windows, walk.stoppedBefore) : null);
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: walk.hasNextPage,
        hasPreviousPage: query.after !== undefined,
        get startCursor() {
          return edges.length > 0 ? edges[0].cursor : boundary();
        },
        get endCursor() {
          return edges.length > 0 ? edges[edges.length - 1].cursor : boundary();
        },
      },
    };
  }

  private walk(query: SessionsQuery, windows: Window[], start: WalkStart): Promise<Walk<WireSession, Window>> {
    return walkPages<WireSession, Window>({
      windows,
      start,
      first: query.first,
      idOf: (session) => session.id,
      stopOn: (error) => error instanceof CallCapReached,
      fetchPage: async (window, pageToken) => toPage(await this.options.pages.load(this.pageQuery(query, window, pageToken))),
    });
  }

  private pageQuery(query: SessionsQuery, window: Window, pageToken: string): SessionPageQuery {
    return { type: query.type, window, pageToken, sessionKey: query.sessionKey, sessionName: query.sessionName };
  }

  private cursor(query: SessionsQuery, window: Window, at: Omit<CursorPosition, 'query' | 'windowFrom' | 'windowTo'>): string {
    return encodeCursor({ query: query.fingerprint, windowFrom: window.from, windowTo: window.to, ...at }, this.options.cursorKey);
  }

  /**
   * A walk cut short by the call cap before its first edge still hands the client a way on:
   * a cursor that stands just before the unread page.
   */
  private boundaryCursor(query: SessionsQuery, windows: Window[], stoppedBefore: Walk<WireSession, Window>['stoppedBefore']): string | null {
    if (!stoppedBefore) return null;
    const { windowIndex, pageToken } = stoppedBefore;
    if (pageToken !== '') return this.cursor(query, windows[windowIndex], { pageToken: '', offset: 0, sessionId: '', nextPageToken: pageToken });
    if (windowIndex === 0) return null;
    return this.cursor(query, windows[windowIndex - 1], { pageToken: '', offset: 0, sessionId: '', nextPageToken: '' });
  }

  /**
   * Zoom's token behind the cursor has expired: re-walk the cursor's window from its first page
   * (from cache where it can) and find the cursor's session again, within a small call cap.
   */
  private async recover(query: SessionsQuery, after: CursorPosition, expired: ZoomPageTokenError): Promise<WalkStart> {
    const { metrics } = this.options;
    if (after.sessionId === '') {
      metrics.cursorRecoveries.inc({ outcome: 'expired' });
      throw expired;
    }
    const window: Window = { from: after.windowFrom, to: after.windowTo };
    let found;
    try {
      found = await relocate({
        id: after.sessionId,
        idOf: (session: WireSession) => session.id,
        fetchPage: async (pageToken) => toPage(await this.options.recoveryPages(this.pageQuery(query, window, pageToken))),
      });
    } catch (error) {
      if (!(error instanceof CallCapReached) && !(error instanceof ZoomPageTokenError)) throw error;
    }
    if (!found) {
      metrics.cursorRecoveries.inc({ outcome: 'expired' });
      throw expired;
    }
    metrics.cursorRecoveries.inc({ outcome: 'recovered' });
    return startAfter({ windowIndex: 0, ...found, id: after.sessionId });
  }

  /**
   * A cursor keeps the exact window its token belongs to (Zoom binds tokens to `from`/`to`),
   * even if "today" has since moved the range's newest window; older windows follow it.
   */
  private plan(query: SessionsQuery): { windows: Window[]; start: WalkStart } {
    const all = windowsUntil(query.from, query.to, todayUtc(this.options.now()));
    const { after } = query;
    if (after === undefined) return { windows: all, start: { windowIndex: 0, pageToken: '', offset: 0 } };
    const current: Window = { from: after.windowFrom, to: after.windowTo };
    return {
      windows: [current, ...all.filter((window) => window.to < current.from)],
      start: startAfter({ windowIndex: 0, pageToken: after.pageToken, offset: after.offset, nextPageToken: after.nextPageToken, id: after.sessionId }),
    };
  }
}
