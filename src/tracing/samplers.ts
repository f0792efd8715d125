/** OpenTelemetry's standard samplers by their `OTEL_TRACES_SAMPLER` names; the `parentbased_` ones follow a caller's sampled flag. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];
