/**
 * One entry of CORS_ORIGINS against a browser's Origin: `*` (any), an origin as browsers write it
 * (`https://app.example`, `http://localhost:5173`), or one whose port is `*` (that scheme and host
 * on any port, or none).
 */
export function originMatches(entry: string, origin: string): boolean {
  if (entry === '*' || entry === origin) return true;
  if (!entry.endsWith(':*')) return false;
  const base = entry.slice(0, -2);
  return origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)));
}

/**
 * Whether a browser page of `origin` may open a subscription here. Browsers send Origin on every
 * WebSocket upgrade and cross-origin request, and CORS does not guard a WebSocket: without this a
 * page on any site could subscribe with whatever the browser sends. No Origin is not a browser;
 * the gateway's own origin (its dashboard) is always allowed.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, corsOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (corsOrigins.some((entry) => originMatches(entry, origin))) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
