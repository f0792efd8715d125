/**
 * The page walker: reads items forward across token-paged windows until `first` items are
 * collected. It reads no page itself: it yields the page it needs next and is resumed with it
 * (or with the reader's error, thrown in at the `yield`), so it stays pure, is tested with literal
 * pages, and the layer that owns the pages drives it without being called back (walk-pages.ts).
 */

export interface Page<T> {
  readonly items: readonly T[];
  /** "" when the window has no further page. */
  readonly nextPageToken: string;
}

/** The next item to read: window index, the token of its page ("" = first page), offset in that page. */
export interface WalkStart {
  readonly windowIndex: number;
  readonly pageToken: string;
  readonly offset: number;
  /** The item the client last saw: expected just before `offset` in the start page, or on an earlier page. */
  readonly after?: { readonly id: string; readonly offset?: number };
}

export interface WalkedEdge<T, W> {
  readonly item: T;
  /** The items of the page it was read from: the page travels with its edges, never looked up again. */
  readonly page: readonly T[];
  readonly window: W;
  readonly pageToken: string;
  readonly offset: number;
  /** Present on the last item of a page: the page's next token ("" when the window ends there). */
  readonly nextPageToken?: string;
}

export interface Walk<T, W> {
  readonly edges: WalkedEdge<T, W>[];
  readonly hasNextPage: boolean;
  /** Set when `stopOn` cut the walk short: the page that was not read. */
  readonly stoppedBefore?: { readonly windowIndex: number; readonly pageToken: string };
}

/** The page a walk needs next: one page of one window. */
export interface PageRequest<W> {
  readonly window: W;
  readonly pageToken: string;
}

/** A walk in steps: it yields what it needs (`Q`), is resumed with that page, and returns `R`. */
export type PageSteps<Q, T, R> = Generator<Q, R, Page<T>>;

export interface WalkOptions<T, W> {
  readonly windows: readonly W[];
  readonly start: WalkStart;
  readonly first: number;
  readonly idOf: (item: T) => string;
  /** Errors of reading a page that end the walk early with what it has (a spent call cap), instead of failing it. */
  readonly stopOn?: (error: unknown) => boolean;
  /**
   * Where the item last seen would stand in its page, now that the page lacks it: the index of the first item
   * that follows it, from a source that keeps an order. Without it, what followed is taken to have moved up
   * into its place, which skips or repeats items when others left or arrived above it.
   */
  readonly placeGone?: (items: readonly T[]) => number;
}

/** Where reading resumes after an edge, given what its cursor recorded. */
export function startAfter(edge: { windowIndex: number; pageToken: string; offset: number; nextPageToken?: string; id?: string }): WalkStart {
  const seen = edge.id === undefined || edge.id === '' ? undefined : edge.id;
  if (edge.nextPageToken === undefined) {
    const start = { windowIndex: edge.windowIndex, pageToken: edge.pageToken, offset: edge.offset + 1 };
    return seen === undefined ? start : { ...start, after: { id: seen, offset: edge.offset } };
  }
  const start = edge.nextPageToken !== '' ? { windowIndex: edge.windowIndex, pageToken: edge.nextPageToken, offset: 0 } : { windowIndex: edge.windowIndex + 1, pageToken: '', offset: 0 };
  return seen === undefined ? start : { ...start, after: { id: seen } };
}

/** Whether a page holds an item; a page that cannot be read now is taken not to (the walk reads it again anyway). */
function* holds<T, W>(request: PageRequest<W>, idOf: (item: T) => string, id: string): PageSteps<PageRequest<W>, T, boolean> {
  try {
    const page: Page<T> = yield request;
    return page.items.some((item) => idOf(item) === id);
  } catch {
    return false;
  }
}

export function* walkPages<T, W>(options: WalkOptions<T, W>): PageSteps<PageRequest<W>, T, Walk<T, W>> {
  const { windows, first, idOf, stopOn } = options;
  // Nothing to return is worth no Zoom call: "more" then means "the range is not read to its end".
  if (first <= 0) return { edges: [], hasNextPage: options.start.windowIndex < windows.length };
  const edges: WalkedEdge<T, W>[] = [];
  // Live data shifts between pages: the same session may show up twice in one walk.
  const seen = new Set<string>();
  if (options.start.after) seen.add(options.start.after.id);
  let { windowIndex, pageToken, offset } = options.start;
  let firstPage = true;

  while (windowIndex < windows.length) {
    const window = windows[windowIndex];
    let page: Page<T>;
    try {
      page = yield { window, pageToken };
    } catch (error) {
      if (stopOn?.(error)) return { edges, hasNextPage: true, stoppedBefore: { windowIndex, pageToken } };
      throw error;
    }
    let index = offset;
    const { after } = options.start;
    if (firstPage && after) {
      // A page re-read since the cursor was issued may have shifted (live data, a fresher copy):
      // continue after the session the client last saw, wherever it now stands.
      const found = page.items.findIndex((item) => idOf(item) === after.id);
      const placed = found < 0 && after.offset !== undefined ? options.placeGone?.(page.items) : undefined;
      if (found >= 0) {
        index = found + 1;
      } else if (placed !== undefined && (placed < page.items.length || page.nextPageToken === '')) {
        index = placed;
      } else if (after.offset !== undefined) {
        if (page.nextPageToken !== '' && (yield* holds({ window, pageToken: page.nextPageToken }, idOf, after.id))) {
          // Sessions that arrived above pushed it onto the next page: all of this page was seen.
          pageToken = page.nextPageToken;
          offset = 0;
          continue;
        }
        // Gone (a live session that ended, say): what followed it moved up into its place.
        index = after.offset;
      }
    }
    firstPage = false;
    for (; index < page.items.length && edges.length < first; index += 1) {
      const item = page.items[index];
      const id = idOf(item);
      if (seen.has(id)) continue;
      seen.add(id);
      const isLast = index === page.items.length - 1;
      const edge = { item, page: page.items, window, pageToken, offset: index };
      edges.push(isLast ? { ...edge, nextPageToken: page.nextPageToken } : edge);
    }
    const moreInWindow = index < page.items.length || page.nextPageToken !== '';
    if (edges.length >= first) {
      return { edges, hasNextPage: moreInWindow || windowIndex + 1 < windows.length };
    }
    if (page.nextPageToken !== '') {
      pageToken = page.nextPageToken;
    } else {
      windowIndex += 1;
      pageToken = '';
    }
    offset = 0;
  }
  return { edges, hasNextPage: false };
}
