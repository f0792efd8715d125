import DataLoader from 'dataloader';
import type { OnWire, SessionUsersQuery, ZoomClient } from '../zoom/client';
import { ZoomPageTokenError } from '../zoom/errors';
import type { WireQosUser, WireSessionUser, WireUserPage } from '../zoom/wire-inside';
import type { ZoomCallObserver, ZoomCaller, ZoomEndpointName } from '../budget/zoom-caller';
import { unusableSessionId } from '../zoom/session-id';
import type { CallBudget } from './call-budget';
import type { SharedCache } from '../cache/shared-cache';
import { InsideFreshness, SessionRef, insideKey, insideTtlMs } from './session-ref';

/** Participants per Zoom page: Zoom documents no maximum for this list; 300 as for List sessions (L). */
export const USERS_PAGE_SIZE = 300;
/** QoS entries per Zoom page: Zoom's own examples use 10, and QoS bodies are large (docs/zoom-contract.md §2, L). */
export const QOS_PAGE_SIZE = 10;

export type UserListKind = 'users' | 'qos';

/** One page of a session's list, by its place in the walk; `token` is Zoom's for it ("" for the first). */
export interface UserPageKey {
  readonly session: SessionRef;
  readonly index: number;
  readonly token: string;
  /** Ask Zoom again, past the cache (a walk starting over after an expired token). */
  readonly fresh?: boolean;
}

/**
 * Where a session's participants come from. Zoom's list today; a live session's may later come
 * from webhook state: any source that answers pages in order fits.
 */
export type SessionUserPages = (key: UserPageKey) => Promise<WireUserPage<WireSessionUser>>;
export type SessionQosPages = (key: UserPageKey) => Promise<WireUserPage<WireQosUser>>;

type AnyUserPage = WireUserPage<WireSessionUser> | WireUserPage<WireQosUser>;

/**
 * Pages through the shared cache, keyed by their place in the walk rather than by Zoom's token:
 * the token changes on every walk and expires in 15 minutes, the place does not.
 */
export function cachedUserPages<U>(
  kind: UserListKind,
  call: (query: SessionUsersQuery, observer?: ZoomCallObserver) => Promise<WireUserPage<U>>,
  cache: SharedCache<WireUserPage<U>>,
  policy: InsideFreshness,
) {
  const pageSize = kind === 'users' ? USERS_PAGE_SIZE : QOS_PAGE_SIZE;
  return (key: UserPageKey, budget: CallBudget): Promise<WireUserPage<U>> =>
    cache.load(
      insideKey(kind, key.session, pageSize, key.index),
      (observer) => call({ sessionId: key.session.id, type: key.session.type, pageSize, pageToken: key.token }, observer),
      budget,
      { ttlMs: () => insideTtlMs(key.session.type, policy), bytes: (page) => page.bytes, fresh: key.fresh },
    );
}

/** Every participants and QoS call goes out through the caller (breaker, Heavy budget, retries); a session id no path can carry, not at all. */
export function zoomUserPages(client: ZoomClient, caller: ZoomCaller) {
  const call =
    <P extends AnyUserPage>(endpoint: ZoomEndpointName, load: (query: SessionUsersQuery, onWire: OnWire) => Promise<P>) =>
    (query: SessionUsersQuery, observer?: ZoomCallObserver): Promise<P> => {
      const unusable = unusableSessionId(query.sessionId);
      return unusable ? Promise.reject(unusable) : caller.call(endpoint, (onWire) => load(query, onWire), observer);
    };
  return {
    users: call('listSessionUsers', (query, onWire) => client.listSessionUsers(query, onWire)),
    qos: call('listSessionUsersQos', (query, onWire) => client.listSessionUsersQos(query, onWire)),
  };
}

/** Per request: a page asked for by many fields or aliases is one load. One value or Error per key. */
export function createUserPageLoader<P extends AnyUserPage>(load: (key: UserPageKey, budget: CallBudget) => Promise<P>, budget: CallBudget): (key: UserPageKey) => Promise<P> {
  const loader = new DataLoader<UserPageKey, P, string>(
    (keys) => Promise.all(keys.map((key) => load(key, budget).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    // The token is part of the key: after an expired token, the same place is asked again with a fresh one.
    { cacheKeyFn: (key) => `${key.fresh ? 'fresh' : 'any'} ${insideKey('page', key.session, key.index, key.token)}` },
  );
  return (key) => loader.load(key);
}

/**
 * A page further down a walk whose token Zoom no longer honours (the cached page before it
 * outlived its 15-minute token): the list is walked again from its start with fresh tokens, up to
 * that page; the walk then continues on the fresh page's token. An ended session's list does not
 * change, so the page at that place is the one asked for.
 */
export async function pageOrRewalk<P extends AnyUserPage>(pages: (key: UserPageKey) => Promise<P>, key: UserPageKey): Promise<P> {
  try {
    return await pages(key);
  } catch (error) {
    if (!(error instanceof ZoomPageTokenError) || key.index === 0 || key.fresh) throw error;
  }
  let token = '';
  for (let index = 0; ; index += 1) {
    const page = await pages({ session: key.session, index, token, fresh: true });
    if (index === key.index) return page;
    if (page.nextPageToken === '') return { ...page, users: [], nextPageToken: '' };
    token = page.nextPageToken;
  }
}
