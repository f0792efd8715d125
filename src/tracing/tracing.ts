import { DiagLogLevel, diag } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import type { Logger } from 'pino';
import { rateLimitedLog } from '../rate-limited-log';
import { REDACTED, scrubSecrets } from '../scrub-secrets';
import type { TraceSampler } from './samplers';

/** What the exporter needs (config/tracing.ts reads it from OpenTelemetry's variables). */
export interface TracingOptions {
  readonly tracesUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TraceSampler;
  readonly samplerRatio: number;
  readonly scheduleDelayMs: number;
}

/** Lines a minute the SDK may log (a collector that is down fails every export). */
const SDK_LINES_PER_MINUTE = 6;

/**
 * An SDK problem as the log tells it: a collector's answer may echo the request, so the values of
 * OTEL_EXPORTER_OTLP_HEADERS (credentials) never reach the log, nor anything scrubSecrets knows.
 */
export function sdkProblemText(message: string, headers: Readonly<Record<string, string>>): string {
  const secrets = Object.values(headers).filter((value) => value.length >= 4);
  return secrets.reduce((text, secret) => text.split(secret).join(REDACTED), scrubSecrets(message)).slice(0, 500);
}

/**
 * The SDK's own warnings and errors (an export the collector refused or never answered, spans
 * dropped from a full queue) in the gateway's log, a few a minute; the next minute's first line
 * says how many were left out.
 */
function logSdkProblems(logger: Logger, now: () => number, headers: Readonly<Record<string, string>>): void {
  // The level of the line being written: set just before the limiter writes it, synchronously.
  let level: 'warn' | 'error' = 'warn';
  const line = rateLimitedLog((details, message) => logger[level](details, message), SDK_LINES_PER_MINUTE, 60_000, now);
  const log = (at: 'warn' | 'error') => (message: string) => {
    level = at;
    line({ otel: sdkProblemText(String(message), headers) }, 'tracing: the OpenTelemetry SDK reports a problem (spans may be lost)');
  };
  const quiet = () => undefined;
  diag.setLogger({ error: log('error'), warn: log('warn'), info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);
}

/** Characters an attribute value keeps, and events a span keeps (a Zoom call's attempts are a handful). */
const SPAN_ATTRIBUTE_MAX_CHARS = 1_024;
const SPAN_EVENTS_MAX = 32;

export interface Tracing {
  /** Exports what is still buffered, then stops; never throws (a collector gone at shutdown costs only its spans). */
  shutdown(): Promise<void>;
}

function samplerOf(name: TraceSampler, ratio: number): Sampler {
  const root = name.endsWith('always_on') ? new AlwaysOnSampler() : name.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
  // parentbased_*: a caller's sampled flag wins, so a trace a client started is kept whole or not at all.
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/**
 * Registers the OpenTelemetry SDK for the process: spans of src/tracing/spans.ts are recorded,
 * batched and posted as OTLP/HTTP JSON; a client's W3C `traceparent` is continued. Called once,
 * by main.ts, before the server starts.
 */
export function startTracing(config: TracingOptions, logger: Logger, now: () => number): Tracing {
  logSdkProblems(logger, now, config.headers);
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers } });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName }),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    // Whatever a client can put in an attribute (an error message quoting its input) stays small in the export queue.
    spanLimits: { attributeValueLengthLimit: SPAN_ATTRIBUTE_MAX_CHARS, eventCountLimit: SPAN_EVENTS_MAX },
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.scheduleDelayMs })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  logger.info({ traces: new URL(config.tracesUrl).origin, sampler: config.sampler }, 'Tracing on: spans exported over OTLP/HTTP');
  return {
    async shutdown() {
      await provider.shutdown().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'the last spans could not be exported'));
    },
  };
}
