/**
 * Hash routes: the gateway serves one index.html at /dashboard/, so a reload of any page works
 * without the server knowing the app's routes.
 */
export const ROUTES = [
  { path: 'sessions', title: 'Sessions' },
  { path: 'live', title: 'Live now' },
  { path: 'budget', title: 'Budget' },
] as const;

export type RoutePath = (typeof ROUTES)[number]['path'];

export function routeOf(hash: string): RoutePath {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.find((route) => route.path === path)?.path ?? 'sessions';
}

/** The query part of a hash route (`#/sessions?from=…`), so filters survive a reload and can be linked. */
export function routeParams(hash: string): URLSearchParams {
  const query = hash.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : hash.slice(query + 1));
}
