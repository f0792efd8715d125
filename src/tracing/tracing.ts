import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import type { Logger } from 'pino';
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
export function startTracing(config: TracingOptions, logger: Logger): Tracing {
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers } });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName }),
    sampler: samplerOf(config.sampler, config.samplerRatio),
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
