/**
 * The longest wait Zoom means: until its daily reset, less than a day away, and an hour for clocks.
 * A longer one (a proxy's, or garbage such as 20 digits of seconds) is cut to it, not ignored, since
 * Zoom did refuse the call; left whole, it would shut a label out for good, across restarts.
 */
export const MAX_RETRY_AFTER_MS = 25 * 60 * 60_000;

/**
 * Parses Zoom's `Retry-After` into a wait in milliseconds, at most MAX_RETRY_AFTER_MS. Zoom sends seconds on per-second
 * limits and a timestamp on the daily limit (ISO-8601 in practice, HTTP-date per RFC 9110),
 * and sometimes nothing (docs/zoom-contract.md §5). Undefined means "no usable hint".
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Number(text) * 1000);
  // Only strings that look like dates: Date.parse alone accepts odd inputs such as "1".
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) && !/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - nowMs));
}
