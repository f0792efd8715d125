/**
 * Whether a browser page of `origin` may open a subscription here. Browsers send Origin on every
 * WebSocket upgrade and cross-origin request, and CORS does not guard a WebSocket: without this a
 * page on any site could subscribe with whatever the browser sends. No Origin is not a browser;
 * the gateway's own origin (its dashboard) is always allowed.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, corsOrigins: readonly string[]): boolean {
  if (origin === undefined || corsOrigins.includes('*')) return true;
  if (corsOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
