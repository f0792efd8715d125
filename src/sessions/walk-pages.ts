import DataLoader from 'dataloader';
import type { Page, PageRequest, PageSteps } from '../pagination/paginate';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireSession, WireSessionPage } from '../zoom/wire';
import type { CallBudget } from './call-budget';
import { PageLoad, SessionPageQuery, sessionPageKey } from './session-pages';
import type { SessionsQuery } from './sessions.args';
import type { Window } from './windows';

export type SessionPageLoader = DataLoader<SessionPageQuery, WireSessionPage, string>;

/**
 * Per request: Zoom has no batch endpoint, so "batching" is de-duplication; the loader's cache
 * must not outlive the request, since its pages are one user's view at one moment.
 */
export function createSessionPageLoader(pages: PageLoad, budget: CallBudget): SessionPageLoader {
  return new DataLoader<SessionPageQuery, WireSessionPage, string>(
    (queries) => Promise.all(queries.map((query) => pages.load(query, budget).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    { cacheKeyFn: sessionPageKey },
  );
}

/** The Zoom page of one window and token of a sessions query. */
export function pageQueryOf(query: SessionsQuery, window: Window, pageToken: string): SessionPageQuery {
  return { type: query.type, window, pageToken, sessionKey: query.sessionKey, sessionName: query.sessionName };
}

function toPage(page: WireSessionPage): Page<WireSession> {
  return { items: page.sessions, nextPageToken: page.nextPageToken };
}

/**
 * Runs a walk's steps (paginate.ts, relocate.ts) to their end, reading each page they ask for
 * with `read`; a page that cannot be read is thrown into the steps, which decide whether it ends them.
 */
export async function readPages<Q, T, R>(steps: PageSteps<Q, T, R>, read: (request: Q) => Promise<Page<T>>): Promise<R> {
  let step = steps.next();
  while (!step.done) {
    let page: Page<T>;
    try {
      page = await read(step.value);
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(page);
  }
  return step.value;
}

/** A page token Zoom refused during a walk, and the page this walk read it from (when it did). */
export interface RefusedToken {
  readonly window: Window;
  readonly pageToken: string;
  readonly issuedBy?: { readonly window: Window; readonly pageToken: string };
}

/**
 * The pages one walk reads (paginate.ts asks for them, `serve` hands them over): the page that issued each
 * token is noted, so a token Zoom refuses leads back to the cached page that holds it.
 */
export class WalkPages {
  /** Set when Zoom refused a token this walk sent. */
  refused: RefusedToken | undefined;
  private readonly issuers = new Map<string, { window: Window; pageToken: string }>();

  constructor(
    private readonly loader: SessionPageLoader,
    private readonly query: SessionsQuery,
  ) {}

  serve<R>(steps: PageSteps<PageRequest<Window>, WireSession, R>): Promise<R> {
    return readPages(steps, (request) => this.fetch(request.window, request.pageToken));
  }

  private async fetch(window: Window, pageToken: string): Promise<Page<WireSession>> {
    let page: WireSessionPage;
    try {
      page = await this.loader.load(pageQueryOf(this.query, window, pageToken));
    } catch (error) {
      if (error instanceof ZoomPageTokenError) this.refused = { window, pageToken, issuedBy: this.issuers.get(pageToken) };
      throw error;
    }
    if (page.nextPageToken !== '') this.issuers.set(page.nextPageToken, { window, pageToken });
    return toPage(page);
  }
}

/**
 * The pages that find an expired cursor's session again in its window (relocate.ts asks for them,
 * `serve` hands them over): outside the request's loader, within their own call cap. A cached page that
 * still holds the token Zoom just refused is read again from Zoom, for a live token.
 */
export class RecoveryPages {
  constructor(
    private readonly pages: PageLoad,
    private readonly budget: CallBudget,
    private readonly query: SessionsQuery,
    private readonly window: Window,
    private readonly refusedToken: string,
  ) {}

  serve<R>(steps: PageSteps<string, WireSession, R>): Promise<R> {
    return readPages(steps, (pageToken) => this.fetch(pageToken));
  }

  private async fetch(pageToken: string): Promise<Page<WireSession>> {
    const pageQuery = pageQueryOf(this.query, this.window, pageToken);
    let page = await this.pages.load(pageQuery, this.budget);
    if (page.nextPageToken === this.refusedToken) {
      await this.pages.forget(pageQuery);
      page = await this.pages.load(pageQuery, this.budget);
    }
    return toPage(page);
  }
}
