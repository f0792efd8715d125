import { encodeCursor } from '../pagination/cursor';
import { WalkStart, startAfter, walkPages } from '../pagination/paginate';
import { todayUtc } from '../zoom/calendar';
import type { WireSession } from '../zoom/wire';
import type { SessionConnection } from './session-connection.type';
import { toSession } from './session.type';
import type { SessionPageLoader } from './session-pages';
import type { SessionsArgsRules, SessionsQuery } from './sessions.args';
import { Window, windowsUntil } from './windows';

export interface SessionsReaderOptions {
  readonly pages: SessionPageLoader;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly now: () => number;
}

/** Reads the sessions connection for one request, through that request's page loader. */
export class SessionsReader {
  constructor(private readonly options: SessionsReaderOptions) {}

  rules(): SessionsArgsRules {
    return { today: todayUtc(this.options.now()), maxFirst: this.options.maxFirst, cursorKey: this.options.cursorKey };
  }

  async connection(query: SessionsQuery): Promise<SessionConnection> {
    const { windows, start } = this.plan(query);
    const walk = await walkPages<WireSession, Window>({
      windows,
      start,
      first: query.first,
      idOf: (session) => session.id,
      fetchPage: async (window, pageToken) => {
        const page = await this.options.pages.load({
          type: query.type,
          window,
          pageToken,
          sessionKey: query.sessionKey,
          sessionName: query.sessionName,
        });
        return { items: page.sessions, nextPageToken: page.nextPageToken };
      },
    });
    const edges = walk.edges.map((edge) => ({
      cursor: encodeCursor(
        {
          query: query.fingerprint,
          windowFrom: edge.window.from,
          windowTo: edge.window.to,
          pageToken: edge.pageToken,
          offset: edge.offset,
          sessionId: edge.item.id,
          nextPageToken: edge.nextPageToken,
        },
        this.options.cursorKey,
      ),
      node: toSession(edge.item),
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: walk.hasNextPage,
        hasPreviousPage: query.after !== undefined,
        startCursor: edges.length > 0 ? edges[0].cursor : null,
        endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
      },
    };
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
