import { Attributes, Context, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/**
 * The gateway's spans, through OpenTelemetry's API alone. Until tracing.ts registers a provider
 * (OTLP configured), the API's tracer is a no-op: a span is a shared non-recording object and
 * `inSpan` only calls its work, so instrumented code costs nothing measurable with traces off
 * (`npm run bench`, "Tracing").
 */
const tracer = trace.getTracer('zoom-videosdk-graphql-gateway');

export { SpanKind };
export type { Span };

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The context to start in (a client's `traceparent`); the active one when left out. */
  readonly parent?: Context;
}

/** Starts a span, active while `run` runs, in the caller's context or the one `options.parent` names. */
function startActive<T>(name: string, options: SpanOptions, run: (span: Span) => T): T {
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes };
  return options.parent === undefined ? tracer.startActiveSpan(name, spanOptions, run) : tracer.startActiveSpan(name, spanOptions, options.parent, run);
}

/** Runs `work` inside a span of its own, which it can annotate; ended when the work settles, marked failed when it throws. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const run = async (span: Span): Promise<T> => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  };
  return startActive(name, options, run);
}

/** Adds to the span running now, if one is recording: a lookup's outcome belongs to the span of the work that asked. */
export function noteOnSpan(attributes: Attributes): void {
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.setAttributes(attributes);
}

/** An event on the span running now (one attempt of a call that may be retried). */
export function eventOnSpan(name: string, attributes: Attributes): void {
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.addEvent(name, attributes);
}

/** The context a caller sent in its W3C `traceparent` and `tracestate` headers (none: a new trace). */
export function callerContext(headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  return propagation.extract(context.active(), headers);
}

/** The span running now, to be renamed or annotated once more is known (the operation's name, after parsing). */
export function activeSpan(): Span | undefined {
  return trace.getActiveSpan();
}

/** `inSpan` for synchronous work (a delivery to in-process queues). */
export function inSpanNow<T>(name: string, options: SpanOptions, work: (span: Span) => T): T {
  const run = (span: Span): T => {
    try {
      return work(span);
    } finally {
      span.end();
    }
  };
  return startActive(name, options, run);
}

/** The W3C `traceparent` of the span running now, to travel with work another process picks up; undefined when nothing is recorded. */
export function currentTraceparent(): string | undefined {
  if (!trace.getActiveSpan()?.isRecording()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` names, for work that continues a trace begun elsewhere (a webhook received by another instance). */
export function contextOfTraceparent(traceparent: string): Context {
  return propagation.extract(context.active(), { traceparent });
}
