import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';
import type { WireQosSample, WireQosUser } from '../zoom/wire-inside';
import { MetricValue, parseBitrateKbps, parseFrameRate, parseMilliseconds, parsePercent, parseResolution } from './qos-metrics';
import { time } from './session-user.type';
import type { UnknownMetricReport } from './unknown-metric-log';

@ObjectType({ description: 'One direction of one medium at one moment; null where Zoom sent nothing or a form the gateway does not read.' })
export class QosMetrics {
  @Field(() => Float, { nullable: true }) bitrateKbps!: number | null;

  @Field(() => Float, { nullable: true }) latencyMs!: number | null;

  @Field(() => Float, { nullable: true }) jitterMs!: number | null;

  @Field(() => Float, { nullable: true }) avgLossPercent!: number | null;

  @Field(() => Float, { nullable: true }) maxLossPercent!: number | null;

  @Field(() => String, { nullable: true, description: 'Width x height, e.g. "1280x720" (video and screen share only).' }) resolution!: string | null;

  @Field(() => Float, { nullable: true, description: 'Frames a second (video and screen share only).' }) frameRate!: number | null;
}

@ObjectType({ description: 'Quality measured at one moment.' })
export class QosSample {
  @Field(() => DateTimeResolver) dateTime!: Date;

  @Field(() => QosMetrics, { nullable: true }) audioInput!: QosMetrics | null;

  @Field(() => QosMetrics, { nullable: true }) audioOutput!: QosMetrics | null;

  @Field(() => QosMetrics, { nullable: true }) videoInput!: QosMetrics | null;

  @Field(() => QosMetrics, { nullable: true }) videoOutput!: QosMetrics | null;

  @Field(() => QosMetrics, { nullable: true }) screenShareInput!: QosMetrics | null;

  @Field(() => QosMetrics, { nullable: true }) screenShareOutput!: QosMetrics | null;
}

@ObjectType({ description: 'A participant\'s quality over the session, sample by sample, with the worst of each measure.' })
export class SessionUserQos {
  @Field(() => [QosSample], { description: 'In Zoom\'s order (by time).' }) samples!: QosSample[];

  @Field(() => Float, { nullable: true, description: 'The highest audio-input latency of any sample, in ms.' }) worstAudioLatencyMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'The highest packet loss of any sample, any medium and direction, in percent.' }) worstLossPercent!: number | null;
}

const GROUPS = [
  ['audioInput', 'audio_input'],
  ['audioOutput', 'audio_output'],
  ['videoInput', 'video_input'],
  ['videoOutput', 'video_output'],
  ['screenShareInput', 'as_input'],
  ['screenShareOutput', 'as_output'],
] as const;

function toMetrics(wire: unknown, group: string, report: UnknownMetricReport): QosMetrics | null {
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) return null;
  const fields = wire as Record<string, unknown>;
  const read = <T>(name: string, parse: (raw: unknown) => MetricValue<T>): T | null => {
    const value = parse(fields[name]);
    if (value !== undefined) return value;
    report(`${group}.${name}`, fields[name]);
    return null;
  };
  return {
    bitrateKbps: read('bitrate', parseBitrateKbps),
    latencyMs: read('latency', parseMilliseconds),
    jitterMs: read('jitter', parseMilliseconds),
    avgLossPercent: read('avg_loss', parsePercent),
    maxLossPercent: read('max_loss', parsePercent),
    resolution: read('resolution', parseResolution),
    frameRate: read('frame_rate', parseFrameRate),
  };
}

function toSample(wire: WireQosSample, report: UnknownMetricReport): QosSample | null {
  const dateTime = time(wire.date_time);
  if (dateTime === null) return null;
  const sample = { dateTime } as QosSample;
  for (const [field, wireField] of GROUPS) sample[field] = toMetrics(wire[wireField], wireField, report);
  return sample;
}

function highest(values: readonly (number | null)[]): number | null {
  return values.reduce<number | null>((most, value) => (value !== null && (most === null || value > most) ? value : most), null);
}

const MAPPED = Symbol('mapped QoS');

type MemoizedQosUser = WireQosUser & { [MAPPED]?: SessionUserQos };

/**
 * The graph's QoS of a cached entry, mapped once and kept on the entry while the cache holds it
 * (as page-memo.ts keeps sessions): parsing every sample's strings again for each request was
 * most of a warm dashboard page's time (`npm run bench`, "Tracing": 30 sessions × 10 participants).
 */
export function sessionUserQosOf(wire: WireQosUser, report: UnknownMetricReport): SessionUserQos {
  return ((wire as MemoizedQosUser)[MAPPED] ??= toSessionUserQos(wire, report));
}

/** A participant's QoS entry to the graph's; samples without a readable time are dropped. */
export function toSessionUserQos(wire: WireQosUser, report: UnknownMetricReport): SessionUserQos {
  const raw = Array.isArray(wire.user_qos) ? (wire.user_qos as unknown[]) : [];
  const samples = raw.flatMap((entry) => {
    const sample = typeof entry === 'object' && entry !== null ? toSample(entry as WireQosSample, report) : null;
    return sample === null ? [] : [sample];
  });
  return {
    samples,
    worstAudioLatencyMs: highest(samples.map((sample) => sample.audioInput?.latencyMs ?? null)),
    worstLossPercent: highest(samples.flatMap((sample) => GROUPS.map(([field]) => sample[field]?.maxLossPercent ?? null))),
  };
}
