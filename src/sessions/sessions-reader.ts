import type { GatewayMetrics } from '../metrics';
import { CursorPosition, encodeCursor, encodeCursors } from '../pagination/cursor';
import type { PageInfo } from '../pagination/page-info.type';
import { Walk, WalkStart, WalkedEdge, startAfter, walkPages } from '../pagination/paginate';
import { relocate } from '../pagination/relocate';
import { todayUtc } from '../time/calendar';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireSession } from '../zoom/wire';
import { CallBudget, CallCapReached } from './call-budget';
import type { SessionConnection, SessionEdge } from './session-connection.type';
import { PageMemo, cursorSlots, memoOf, sessionAt } from './page-memo';
import type { Session } from './session.type';
import type { PageLoad, PlaceOfGone } from './session-pages';
import type { SessionsArgsRules, SessionsQuery } from './sessions.args';
import { RecoveryPages, RefusedToken, SessionPageLoader, WalkPages, createSessionPageLoader, pageQueryOf } from './walk-pages';
import { Window, windowsUntil } from './windows';

export interface SessionsReaderOptions {
  /** Zoom's pages through the page cache (LIVE ones from the live state while it serves). */
  readonly pages: PageLoad;
  /** The request's call cap, spent by its walks. */
  readonly budget: CallBudget;
  /** The small call cap for re-finding an expired cursor's position. */
  readonly recoveryBudget: CallBudget;
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

/** Reads the sessions connection for one request. */
export class SessionsReader {
  /** This request's loader: de-duplicates its pages and spends its call cap. */
  private readonly loader: SessionPageLoader;

  constructor(private readonly options: SessionsReaderOptions) {
    this.loader = createSessionPageLoader(options.pages, options.budget);
  }

  rules(): SessionsArgsRules {
    return { today: todayUtc(this.options.now()), maxFirst: this.options.maxFirst, cursorKey: this.options.cursorKey };
  }

  async connection(query: SessionsQuery): Promise<SessionConnection> {
    const { windows, start } = this.plan(query);
    const placeGone = await this.placeOfGone(query, windows, start);
    let pages = new WalkPages(this.loader, query);
    let walk: Walk<WireSession, Window>;
    try {
      walk = await this.walk(query, windows, start, pages, placeGone);
    } catch (error) {
      const { refused } = pages;
      if (!(error instanceof ZoomPageTokenError) || refused === undefined) throw error;
      // Zoom may end a token before its 15 minutes: the cached page that handed it out is stale.
      await this.dropRefused(query, refused);
      const restart = query.after === undefined ? start : await this.recover(query, query.after, error, refused.pageToken);
      pages = new WalkPages(this.loader, query);
      walk = await this.walk(query, windows, restart, pages, placeGone);
    }
    if (walk.stoppedBefore) this.options.metrics.callCapReached.inc();
    const placed = walk.edges.map((edge) => {
      const memo = memoOf(edge.page);
      return { edge, memo, node: sessionAt(memo, edge.page, edge.offset) };
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

  private walk(query: SessionsQuery, windows: Window[], start: WalkStart, pages: WalkPages, placeGone: PlaceOfGone | undefined): Promise<Walk<WireSession, Window>> {
    return pages.serve(
      walkPages<WireSession, Window>({ windows, start, first: query.first, idOf: (session) => session.id, stopOn: (error) => error instanceof CallCapReached, placeGone }),
    );
  }

  /** Where the cursor's session stood in its page, should the page have lost it (a LIVE session that ended since). */
  private placeOfGone(query: SessionsQuery, windows: Window[], start: WalkStart): Promise<PlaceOfGone | undefined> {
    const { pages } = this.options;
    const { after } = start;
    if (after?.offset === undefined || pages.placeOf === undefined) return Promise.resolve(undefined);
    return pages.placeOf(pageQueryOf(query, windows[start.windowIndex], start.pageToken), after.id);
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
    this.loader.clear(pageQueryOf(query, refused.window, refused.pageToken));
    if (refused.issuedBy === undefined) return;
    const issuer = pageQueryOf(query, refused.issuedBy.window, refused.issuedBy.pageToken);
    this.loader.clear(issuer);
    await this.options.pages.forget(issuer);
  }

  /**
   * Zoom's token behind the cursor has expired: re-walk the cursor's window from its first page
   * (from cache where it can) and find the cursor's session again, within a small call cap.
   */
  private async recover(query: SessionsQuery, after: CursorPosition, expired: ZoomPageTokenError, refusedToken: string): Promise<WalkStart> {
    const { metrics, pages, recoveryBudget } = this.options;
    if (after.sessionId === '') {
      metrics.cursorRecoveries.inc({ outcome: 'expired' });
      throw expired;
    }
    const window: Window = { from: after.windowFrom, to: after.windowTo };
    let found;
    try {
      found = await new RecoveryPages(pages, recoveryBudget, query, window, refusedToken).serve(relocate({ id: after.sessionId, idOf: (session: WireSession) => session.id }));
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
