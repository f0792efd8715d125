/**
 * Zoom's rule for session IDs in a path: an ID that starts with `/` or contains `//` is
 * URL-encoded twice, any other once (../shared/zoom-api.md §2, confidence H).
 */
export function encodeSessionIdForPath(id: string): string {
  const once = encodeURIComponent(id);
  return id.startsWith('/') || id.includes('//') ? encodeURIComponent(once) : once;
}
