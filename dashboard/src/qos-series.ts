import type { Series } from './chart-geometry';
import type { DashboardQosMetricsFragment } from './generated/graphql';

// The fragment asks for `__typename` too (Apollo Client's cache needs it); it is not a metric.
export type QosMetric = Exclude<keyof DashboardQosMetricsFragment, '__typename'>;

export const QOS_METRICS: readonly { readonly metric: QosMetric; readonly label: string; readonly unit: string }[] = [
  { metric: 'latencyMs', label: 'Latency', unit: 'ms' },
  { metric: 'jitterMs', label: 'Jitter', unit: 'ms' },
  { metric: 'avgLossPercent', label: 'Loss', unit: '%' },
];

export interface QosSampleLike {
  readonly dateTime: string;
  readonly audioInput: DashboardQosMetricsFragment | null;
  readonly audioOutput: DashboardQosMetricsFragment | null;
  readonly videoInput: DashboardQosMetricsFragment | null;
  readonly videoOutput: DashboardQosMetricsFragment | null;
}

const DIRECTIONS = [
  ['audioInput', 'audio in'],
  ['audioOutput', 'audio out'],
  ['videoInput', 'video in'],
  ['videoOutput', 'video out'],
] as const;

/**
 * One line per direction of one metric over time. A sample Zoom sent no number for is a gap
 * (null), not a zero: a zero would read as perfect quality. Directions with no value at all are left out.
 */
export function qosSeries(samples: readonly QosSampleLike[], metric: QosMetric): Series[] {
  return DIRECTIONS.map(([direction, name]) => ({
    name,
    points: samples.map((sample) => ({ x: Date.parse(sample.dateTime), y: sample[direction]?.[metric] ?? null })),
  })).filter((series) => series.points.some((point) => point.y !== null));
}
