/**
 * Parses Zoom's `Retry-After` into a wait in milliseconds. Zoom sends seconds on per-second
 * limits and a timestamp on the daily limit (ISO-8601 in practice, HTTP-date per RFC 9110),
 * and sometimes nothing (docs/zoom-contract.md §5). Undefined means "no usable hint".
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only strings that look like dates: Date.parse alone accepts odd inputs such as "1".
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) && !/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
