/**
 * Traces, by OpenTelemetry's own variables (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables):
 * on when an OTLP endpoint is set, off (and free) otherwise.
 */

import { TRACE_SAMPLERS } from '../tracing/samplers';
import type { TracingOptions } from '../tracing/tracing';
import { sectionReader, type Env } from './parse';

export const TRACING_VARIABLES = [
  'OTEL_SDK_DISABLED', // false; true turns traces off whatever else is set
  'OTEL_TRACES_EXPORTER', // otlp; none turns traces off
  'OTEL_EXPORTER_OTLP_ENDPOINT', // unset: no traces; http(s)://collector:4318, traces sent to <endpoint>/v1/traces
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', // the traces URL in full, over the one above
  'OTEL_EXPORTER_OTLP_PROTOCOL', // http/json, the only one this gateway sends
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', // as above, for traces
  'OTEL_EXPORTER_OTLP_HEADERS', // key=value pairs, comma-separated, URL-encoded values (a collector's API key)
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS', // as above, for traces, over those
  'OTEL_SERVICE_NAME', // zoom-videosdk-graphql-gateway
  'OTEL_RESOURCE_ATTRIBUTES', // key=value pairs, comma-separated (deployment.environment.name=prod)
  'OTEL_TRACES_SAMPLER', // parentbased_always_on
  'OTEL_TRACES_SAMPLER_ARG', // the ratio of the *traceidratio samplers, 0 to 1 (1)
  'OTEL_BSP_SCHEDULE_DELAY', // 5000: milliseconds between two exports
] as const;

export const DEFAULT_SERVICE_NAME = 'zoom-videosdk-graphql-gateway';

/** What the exporter is given: tracing/tracing.ts states it (a type only: the SDK loads only when traces are on). */
export type TracingConfig = TracingOptions;

/** An HTTP header's name (RFC 9110 token) and a value of visible ASCII, spaces and tabs: Node refuses others, and every export would fail. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** `key=value,key2=value2`, values percent-encoded (the W3C Baggage form the specification uses); null when malformed. */
function keyValuePairs(text: string, asHeaders: boolean): Record<string, string> | null {
  const pairs: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const equals = item.indexOf('=');
    if (equals <= 0) return null;
    const key = item.slice(0, equals).trim();
    let value: string;
    try {
      value = decodeURIComponent(item.slice(equals + 1).trim());
    } catch {
      return null;
    }
    if (asHeaders && !(HEADER_NAME.test(key) && HEADER_VALUE.test(value))) return null;
    pairs[key] = value;
  }
  return pairs;
}

/** The traces URL: the signal's own as given, or the base endpoint with the OTLP path appended. */
function tracesUrlOf(base: string | undefined, traces: string | undefined): string | undefined {
  if (traces !== undefined) return traces;
  if (base === undefined) return undefined;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

export function readTracing(env: Env, problems: string[]): TracingConfig | undefined {
  const read = sectionReader<(typeof TRACING_VARIABLES)[number]>(env, problems);
  const disabled = read.bool('OTEL_SDK_DISABLED', false);
  const exporter = read.oneOf('OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'otlp', { lowercase: true });
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] as const) {
    const protocol = read.optional(name);
    if (protocol !== undefined && protocol !== 'http/json') read.problem(`${name} must be http/json (the only OTLP protocol this gateway sends); got "${protocol}".`);
  }
  const base = read.httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', { secret: true });
  const traces = read.httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', { secret: true });
  const headers: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'] as const) {
    const given = read.optional(name);
    if (given === undefined) continue;
    const pairs = keyValuePairs(given, true);
    // Never echoed: headers carry a collector's credentials.
    if (pairs === null) read.problem(`${name} must be key=value pairs separated by commas, values URL-encoded.`);
    else Object.assign(headers, pairs);
  }
  const resourceText = read.optional('OTEL_RESOURCE_ATTRIBUTES');
  const resourceAttributes = resourceText === undefined ? {} : keyValuePairs(resourceText, false);
  if (resourceAttributes === null) read.problem('OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas, values URL-encoded.');
  const sampler = read.oneOf('OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on', { lowercase: true });
  const ratioText = read.optional('OTEL_TRACES_SAMPLER_ARG');
  const ratio = ratioText === undefined ? 1 : /^(?:0|1|0?\.\d+|1\.0*)$/.test(ratioText) ? Number(ratioText) : NaN;
  if (!(ratio >= 0 && ratio <= 1)) read.problem(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1; got "${ratioText}".`);
  const scheduleDelayMs = read.int('OTEL_BSP_SCHEDULE_DELAY', 5_000, 1, 600_000);
  // As the specification orders them: OTEL_SERVICE_NAME, then service.name among the resource attributes, then ours.
  const serviceName = read.optional('OTEL_SERVICE_NAME') ?? resourceAttributes?.['service.name'] ?? DEFAULT_SERVICE_NAME;
  const tracesUrl = tracesUrlOf(base, traces);
  if (disabled || exporter === 'none' || tracesUrl === undefined) return undefined;
  return { tracesUrl, headers, serviceName, resourceAttributes: resourceAttributes ?? {}, sampler, samplerRatio: ratio >= 0 && ratio <= 1 ? ratio : 1, scheduleDelayMs };
}
