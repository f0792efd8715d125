import { metricForm } from './qos-metrics';

/** Distinct unknown forms remembered; past it, new forms are no longer logged (a hostile Zoom cannot grow memory). */
export const UNKNOWN_FORMS_REMEMBERED = 256;

export type UnknownMetricReport = (metric: string, raw: unknown) => void;

/** Logs each unknown form of each metric once per process: one warning, not one per sample. */
export function unknownMetricLog(warn: (details: Record<string, unknown>, message: string) => void): UnknownMetricReport {
  const seen = new Set<string>();
  return (metric, raw) => {
    const form = metricForm(raw);
    const key = `${metric}\u0000${form}`;
    if (seen.has(key) || seen.size >= UNKNOWN_FORMS_REMEMBERED) return;
    seen.add(key);
    warn({ metric, form }, 'Zoom sent a QoS value in a form the gateway does not know; it is served as null');
  };
}
