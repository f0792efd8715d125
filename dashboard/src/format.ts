/** How numbers read at a glance in the lists. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** Zoom rates quality as good, fair, poor or bad; the worst of the three says most. */
const QUALITY_ORDER = ['good', 'fair', 'poor', 'bad'] as const;
export type QualityLevel = (typeof QUALITY_ORDER)[number] | 'unknown';

export function worstQuality(...ratings: readonly (string | null | undefined)[]): QualityLevel {
  let worst = -1;
  for (const rating of ratings) {
    const index = QUALITY_ORDER.findIndex((level) => level === rating?.toLowerCase());
    if (index > worst) worst = index;
  }
  return worst < 0 ? 'unknown' : QUALITY_ORDER[worst];
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
}
