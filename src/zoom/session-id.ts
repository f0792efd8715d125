import { ZoomBadResponseError } from './errors';

/**
 * `.` or `..` as a path segment makes URL resolution (or Zoom's router, which decodes the path)
 * leave `/videosdk/sessions/{id}` for another endpoint, called with the gateway's JWT: `.` is
 * List sessions. Percent-encoded dots and slashes count as what they decode to. Zoom's ids are
 * base64 of 16 bytes and hold no dot, so refusing any dot segment refuses no real id.
 */
export function hasDotSegment(id: string): boolean {
  const decoded = id.replace(/%(?:25)*2e/gi, '.').replace(/%(?:25)*(?:2f|5c)/gi, '/');
  return decoded.split(/[/\\]/).some((segment) => segment === '.' || segment === '..');
}

/**
 * Zoom's rule for session IDs in a path: an ID that starts with `/` or contains `//` is
 * URL-encoded twice, any other once (docs/zoom-contract.md §2, confidence H).
 */
export function encodeSessionIdForPath(id: string): string {
  // The resolvers refuse such ids first, as BAD_USER_INPUT; this guards any path that reaches here without them.
  if (hasDotSegment(id)) throw new RangeError('A session id with a `.` or `..` path segment would address another Zoom endpoint');
  const once = encodeURIComponent(id);
  return id.startsWith('/') || id.includes('//') ? encodeURIComponent(once) : once;
}

/**
 * A session id Zoom listed that no path can carry (a dot segment): Zoom's answer broke its contract. Told
 * before any call is made, as ZOOM_BAD_RESPONSE on the fields that need it; undefined for a usable id.
 */
export function unusableSessionId(id: string): ZoomBadResponseError | undefined {
  return hasDotSegment(id) ? new ZoomBadResponseError('a session id with a `.` or `..` path segment, which would address another endpoint') : undefined;
}
