import type { GatewayMetrics } from '../metrics';
import { CursorPosition, encodeCursor } from '../pagination/cursor';
import { Page, Walk, WalkStart, startAfter, walkPages } from '../pagination/paginate';
import { relocate } from '../pagination/relocate';
import { todayUtc } from '../zoom/calendar';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import { CallCapReached } from './call-budget';
import type { SessionConnection } from './session-connection.type';
import { toSession } from './session.type';
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
    const edges = walk.edges.map((edge) => ({
      cursor: this.cursor(query, edge.window, {
        pageToken: edge.pageToken,
        offset: edge.offset,
        sessionId: edge.item.id,
        nextPageToken: edge.nextPageToken,
      }),
      node: toSession(edge.item),
    }));
    const boundary = edges.length === 0 ? this.boundaryCursor(query, windows, walk.stoppedBefore) : null;
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: walk.hasNextPage,
        hasPreviousPage: query.after !== undefined,
        startCursor: edges.length > 0 ? edges[0].cursor : boundary,
        endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : boundary,
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
    return startAfter({ windowIndex: 0, ...found });
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
      start: startAfter({ windowIndex: 0, pageToken: after.pageToken, offset: after.offset, nextPageToken: after.nextPageToken }),
    };
  }
}
