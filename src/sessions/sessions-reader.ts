import type { GatewayMetrics } from '../metrics';
import { CursorPosition, encodeCursor, encodeCursors } from '../pagination/cursor';
import type { PageInfo } from '../pagination/page-info.type';
import { Page, Walk, WalkStart, WalkedEdge, startAfter, walkPages } from '../pagination/paginate';
import { relocate } from '../pagination/relocate';
import { todayUtc } from '../time/calendar';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import { CallCapReached } from './call-budget';
import type { SessionConnection, SessionEdge } from './session-connection.type';
import { PageMemo, cursorSlots, memoOf, sessionAt } from './page-memo';
import type { Session } from './session.type';
import type { SessionPageLoader, SessionPageQuery } from './session-pages';
import type { SessionsArgsRules, SessionsQuery } from './sessions.args';
import { Window, windowsUntil } from './windows';

export interface SessionsReaderOptions {
  /** This request's loader: de-duplicates its pages and spends its call cap. */
  readonly pages: SessionPageLoader;
  /** Pages for re-finding an expired cursor's position, within their own small call cap. */
  readonly recoveryPages: (query: SessionPageQuery) => Promise<WireSessionPage>;
  /** Drops a page from the shared cache: Zoom refused the next token it holds. */
  readonly forgetPage: (query: SessionPageQuery) => Promise<void>;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly now: () => number;
  readonly metrics: GatewayMetrics;
}

/**
 * An edge's `cursor` field signs every edge's at once (a client that selects it gets it on every
 * edge, and the tags of a batch cost little more than one); pageInfo's start or end cursor,
 * which many clients select alone, signs just that one.
 */
class EdgeCursors {
  private readonly known: (string | undefined)[] = [];
  private complete = false;

  constructor(
    readonly count: number,
    private readonly sign: (indices: readonly number[]) => string[],
  ) {}

  at(index: number): string {
    if (!this.complete) {
      const missing = Array.from({ length: this.count }, (_, i) => i).filter((i) => this.known[i] === undefined);
      this.sign(missing).forEach((cursor, nth) => (this.known[missing[nth]] = cursor));
      this.complete = true;
    }
    return this.known[index] as string;
  }

  only(index: number): string {
    return (this.known[index] ??= this.sign([index])[0]);
  }
}

class LazyEdge implements SessionEdge {
  constructor(
    private readonly cursors: EdgeCursors,
    private readonly index: number,
    readonly node: Session,
  ) {}

  get cursor(): string {
    return this.cursors.at(this.index);
  }
}

/**
 * Cursors are worked out only if selected. Accessors live on the class, not on an object literal:
 * a literal with getters made per request cost a hidden class and closures in old space that kept
 * each request's Zoom page alive past young-generation GC, which doubled the cold walk's GC time.
 */
class LazyPageInfo implements PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly cursors: EdgeCursors,
    private readonly boundary: () => string | null,
  ) {}

  get startCursor(): string | null {
    return this.cursors.count > 0 ? this.cursors.only(0) : this.boundary();
  }

  get endCursor(): string | null {
    return this.cursors.count > 0 ? this.cursors.only(this.cursors.count - 1) : this.boundary();
  }
}

/** A page token Zoom refused during a walk, and the page this walk read it from (when it did). */
interface RefusedToken {
  readonly window: Window;
  readonly pageToken: string;
  readonly issuedBy?: { readonly window: Window; readonly pageToken: string };
}

/** A walk and the pages its edges came from, by window and token. */
interface PagedWalk {
  readonly walk: Walk<WireSession, Window>;
  readonly pageOf: (window: Window, pageToken: string) => readonly WireSession[];
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
    let refused: RefusedToken | undefined;
    let paged: PagedWalk;
    try {
      paged = await this.walk(query, windows, start, (token) => (refused = token));
    } catch (error) {
      if (!(error instanceof ZoomPageTokenError) || refused === undefined) throw error;
      // Zoom may end a token before its 15 minutes: the cached page that handed it out is stale.
      await this.dropRefused(query, refused);
      const restart = query.after === undefined ? start : await this.recover(query, query.after, error, refused.pageToken);
      paged = await this.walk(query, windows, restart, () => {});
    }
    const { walk, pageOf } = paged;
    if (walk.stoppedBefore) this.options.metrics.callCapReached.inc();
    const placed = walk.edges.map((edge) => {
      const page = pageOf(edge.window, edge.pageToken);
      const memo = memoOf(page);
      return { edge, memo, node: sessionAt(memo, page, edge.offset) };
    });
    const cursors = new EdgeCursors(placed.length, (indices) => this.signEdges(query, indices.map((index) => placed[index])));
    const edges = placed.map(({ node }, index) => new LazyEdge(cursors, index, node));
    const boundary = () => this.boundaryCursor(query, windows, walk.stoppedBefore);
    return { edges, nodes: edges.map((edge) => edge.node), pageInfo: new LazyPageInfo(walk.hasNextPage, query.after !== undefined, cursors, boundary) };
  }

  /** The edges' cursors: those their page already holds for this query, the rest signed in one batch and kept. */
  private signEdges(query: SessionsQuery, placed: readonly { edge: WalkedEdge<WireSession, Window>; memo: PageMemo }[]): string[] {
    const slots = placed.map(({ memo }) => cursorSlots(memo, query.fingerprint));
    const cursors = placed.map(({ edge }, index) => slots[index]?.[edge.offset]);
    const missing = cursors.flatMap((cursor, index) => (cursor === undefined ? [index] : []));
    if (missing.length === 0) return cursors as string[];
    const signed = encodeCursors(
      missing.map((index) => {
        const { edge } = placed[index];
        const at = { pageToken: edge.pageToken, offset: edge.offset, sessionId: edge.item.id, nextPageToken: edge.nextPageToken };
        return { query: query.fingerprint, windowFrom: edge.window.from, windowTo: edge.window.to, ...at };
      }),
      this.options.cursorKey,
    );
    missing.forEach((index, nth) => {
      cursors[index] = signed[nth];
      const pageSlots = slots[index];
      if (pageSlots) pageSlots[placed[index].edge.offset] = signed[nth];
    });
    return cursors as string[];
  }

  private async walk(query: SessionsQuery, windows: Window[], start: WalkStart, onRefused: (token: RefusedToken) => void): Promise<PagedWalk> {
    const pages = new Map<string, readonly WireSession[]>();
    const pageKey = (window: Window, pageToken: string): string => `${window.from} ${window.to} ${pageToken}`;
    const issuers = new Map<string, { window: Window; pageToken: string }>();
    const walk = await walkPages<WireSession, Window>({
      windows,
      start,
      first: query.first,
      idOf: (session) => session.id,
      stopOn: (error) => error instanceof CallCapReached,
      fetchPage: async (window, pageToken) => {
        let page: WireSessionPage;
        try {
          page = await this.options.pages.load(this.pageQuery(query, window, pageToken));
        } catch (error) {
          if (error instanceof ZoomPageTokenError) onRefused({ window, pageToken, issuedBy: issuers.get(pageToken) });
          throw error;
        }
        if (page.nextPageToken !== '') issuers.set(page.nextPageToken, { window, pageToken });
        pages.set(pageKey(window, pageToken), page.sessions);
        return toPage(page);
      },
    });
    const pageOf = (window: Window, pageToken: string): readonly WireSession[] => {
      const page = pages.get(pageKey(window, pageToken));
      if (!page) throw new Error(`the walk returned an edge of a page it did not read (${pageKey(window, pageToken)})`);
      return page;
    };
    return { walk, pageOf };
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

  /** Forgets, in this request and in the shared cache, the refused token's failure and the page that issued it. */
  private async dropRefused(query: SessionsQuery, refused: RefusedToken): Promise<void> {
    const { pages, forgetPage } = this.options;
    pages.clear(this.pageQuery(query, refused.window, refused.pageToken));
    if (refused.issuedBy === undefined) return;
    const issuer = this.pageQuery(query, refused.issuedBy.window, refused.issuedBy.pageToken);
    pages.clear(issuer);
    await forgetPage(issuer);
  }

  /**
   * Zoom's token behind the cursor has expired: re-walk the cursor's window from its first page
   * (from cache where it can) and find the cursor's session again, within a small call cap.
   */
  private async recover(query: SessionsQuery, after: CursorPosition, expired: ZoomPageTokenError, refusedToken: string): Promise<WalkStart> {
    const { metrics, recoveryPages, forgetPage } = this.options;
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
        fetchPage: async (pageToken) => {
          const pageQuery = this.pageQuery(query, window, pageToken);
          let page = await recoveryPages(pageQuery);
          if (page.nextPageToken === refusedToken) {
            // A cached page still holds the token Zoom just refused: read it again from Zoom, for a live token.
            await forgetPage(pageQuery);
            page = await recoveryPages(pageQuery);
          }
          return toPage(page);
        },
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
