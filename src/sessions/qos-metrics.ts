/**
 * Zoom sends QoS values as strings with units: "23 kbps", "126 ms", "0.3%", "12 fps",
 * "1280*720" (docs/zoom-contract.md §2, H). Each parser answers the number, null for Zoom's
 * ways of saying "nothing" ("", "-", absent), or undefined for a form it does not know, which
 * the caller logs once and serves as null.
 */
export type MetricValue<T> = T | null | undefined;

const NUMBER = '(\\d+(?:\\.\\d+)?)';
// Built once: a dashboard page parses some 100,000 values.
const BITRATE = new RegExp(`^${NUMBER}\\s*(kbps|mbps|bps)$`, 'i');
const MILLISECONDS = new RegExp(`^${NUMBER}\\s*(ms)$`, 'i');
const PERCENT = new RegExp(`^${NUMBER}\\s*(%)$`);
const FRAME_RATE = new RegExp(`^${NUMBER}\\s*(fps)$`, 'i');
const RESOLUTION = /^(\d{1,5})\s*[*xX×]\s*(\d{1,5})$/;
const ABSENT = new Set(['', '-', '--', 'N/A', 'n/a']);

function absent(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && ABSENT.has(raw.trim()));
}

function withUnit(raw: unknown, pattern: RegExp, scale: (value: number, unit: string) => number): MetricValue<number> {
  if (absent(raw)) return null;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw !== 'string') return undefined;
  const match = pattern.exec(raw.trim());
  return match ? scale(Number(match[1]), (match[2] ?? '').toLowerCase()) : undefined;
}

/** "23 kbps", "1.5 Mbps", "23kbps" → kilobits a second. */
export function parseBitrateKbps(raw: unknown): MetricValue<number> {
  return withUnit(raw, BITRATE, (value, unit) => (unit === 'mbps' ? value * 1000 : unit === 'bps' ? value / 1000 : value));
}

/** "126 ms", "126ms" → milliseconds. */
export function parseMilliseconds(raw: unknown): MetricValue<number> {
  return withUnit(raw, MILLISECONDS, (value) => value);
}

/** "0.3%", "0.3 %" → percent. */
export function parsePercent(raw: unknown): MetricValue<number> {
  return withUnit(raw, PERCENT, (value) => value);
}

/** "12 fps", "12fps" → frames a second. */
export function parseFrameRate(raw: unknown): MetricValue<number> {
  return withUnit(raw, FRAME_RATE, (value) => value);
}

/** "1280*720" (Zoom's form), "1280x720" → "1280x720". */
export function parseResolution(raw: unknown): MetricValue<string> {
  if (absent(raw)) return null;
  if (typeof raw !== 'string') return undefined;
  const match = RESOLUTION.exec(raw.trim());
  return match ? `${match[1]}x${match[2]}` : undefined;
}

/** The shape of an unknown value, for logging it once: digits folded, so "7 kbit" and "23 kbit" are one form. */
export function metricForm(raw: unknown): string {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw);
  return shown.slice(0, 40).replace(/\d+/g, '9');
}
