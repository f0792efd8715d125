export type LogLine = (details: Record<string, unknown>, message: string) => void;

/**
 * At most `perWindow` lines each `windowMs`: for lines a client can cause at will (its invalid
 * documents), so a client cannot flood the log. The next window's first line says how many were
 * left out.
 */
export function rateLimitedLog(write: LogLine, perWindow: number, windowMs: number, now: () => number): LogLine {
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  return (details, message) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      written = 0;
      if (suppressed > 0) {
        details = { ...details, suppressedBefore: suppressed };
        suppressed = 0;
      }
    }
    if (written >= perWindow) {
      suppressed += 1;
      return;
    }
    written += 1;
    write(details, message);
  };
}
