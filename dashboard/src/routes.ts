import type { SessionType } from './generated/graphql';

/**
 * Hash routes: the gateway serves one index.html at /dashboard/, so a reload of any page works
 * without the server knowing the app's routes.
 */
export const ROUTES = [
  { path: 'sessions', title: 'Sessions' },
  { path: 'live', title: 'Live now' },
  { path: 'usage', title: 'Usage' },
  { path: 'budget', title: 'Budget' },
] as const;

/** Reached from a row of Sessions or Live now, never from the bar: it needs a session id. */
export type RoutePath = (typeof ROUTES)[number]['path'] | 'session';

export function routeOf(hash: string): RoutePath {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  if (path === 'session') return 'session';
  return ROUTES.find((route) => route.path === path)?.path ?? 'sessions';
}

/** The query part of a hash route (`#/sessions?from=…`), so filters survive a reload and can be linked. */
export function routeParams(hash: string): URLSearchParams {
  const query = hash.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : hash.slice(query + 1));
}

/**
 * Zoom's session ids may hold `/`, `+` and `=`: encoded as one path segment. The type goes along
 * since Zoom must be told whether the session has ended.
 */
export function sessionHref(id: string, type: SessionType): string {
  return `#/session/${encodeURIComponent(id)}?type=${type}`;
}

export function sessionRouteOf(hash: string): { readonly id: string; readonly type: SessionType } | undefined {
  const match = /^#\/?session\/([^?]+)/.exec(hash);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { id, type: routeParams(hash).get('type') === 'LIVE' ? 'LIVE' : 'PAST' };
}
