/**
 * Zoom's error codes the gateway knows, in the gateway's own words (docs/zoom-contract.md §2 and
 * §4, M: Zoom lists them per endpoint and not exhaustively). Clients see these, never Zoom's text:
 * a body that an upstream or proxy filled with an echo of the request would carry the JWT.
 */
export const ZOOM_CODE_MEANINGS: Readonly<Record<number, string>> = {
  124: 'invalid access token',
  200: 'bad request',
  300: 'validation failed',
  429: 'rate limit reached',
  1001: 'user does not exist',
  3001: 'session does not exist',
  12702: 'session older than Zoom keeps (one year)',
};

/** `(Zoom code 3001: session does not exist)`; a code the gateway does not know is named alone. */
export function describeZoomCode(code: number | undefined): string {
  if (code === undefined) return '';
  const meaning = ZOOM_CODE_MEANINGS[code];
  return meaning === undefined ? ` (Zoom code ${code})` : ` (Zoom code ${code}: ${meaning})`;
}
