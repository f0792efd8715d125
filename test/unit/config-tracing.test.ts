import { loadConfig } from '../../src/config';
import { configProblems } from '../config-problems';


describe('tracing settings (OpenTelemetry\'s own variables)', () => {
  it('are off without an OTLP endpoint, and when OpenTelemetry is told off', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeUndefined();
  });

  it('send to <endpoint>/v1/traces, or to the traces endpoint as given, with the headers and resource given', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'zoom-videosdk-graphql-gateway',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      scheduleDelayMs: 5_000,
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=zoom,authorization=Bearer%20one',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20two',
        OTEL_SERVICE_NAME: 'sessions-gateway',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }).tracing,
    ).toEqual({
      tracesUrl: 'https://traces.example/otlp/v1/traces',
      headers: { 'x-team': 'zoom', authorization: 'Bearer two' },
      serviceName: 'sessions-gateway',
      resourceAttributes: { 'deployment.environment.name': 'prod' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      scheduleDelayMs: 5_000,
    });
  });

  it('report every bad value at once, never echoing a header (it may hold a credential)', () => {
    const problems = configProblems({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_TRACES_EXPORTER: 'zipkin',
    });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(
      expect.arrayContaining(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_TRACES_EXPORTER']),
    );
    for (const headers of ['api-key=s3cr3t%zz', 'api key=s3cr3t', 'api-key=s3cr3t%0d%0aX-Injected: 1']) {
      const secret = configProblems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: headers });
      expect(secret).toHaveLength(1);
      expect(secret.join('\n')).not.toContain('s3cr3t');
    }
  });

  it('never quote an endpoint (a token may ride in its query), and refuse what would fail every export later', () => {
    const endpoint = configProblems({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317?token=S3CRETtok' });
    expect(endpoint).toHaveLength(1);
    expect(endpoint[0]).not.toContain('S3CRET');
    expect(configProblems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=%E2%82%ACsecret' })).toHaveLength(1);
    expect(configProblems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-key=%01secret' })).toHaveLength(1);
    for (const ratio of ['0x1', '1e-1', '-0.5', '1.5']) expect(configProblems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: ratio })).toHaveLength(1);
  });

  it('put /v1/traces in the endpoint\'s path, before its query, and take service.name from the resource when no OTEL_SERVICE_NAME is set', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/otlp?x=1' }).tracing?.tracesUrl).toBe('http://c:4318/otlp/v1/traces?x=1');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource' }).tracing?.serviceName).toBe('from-resource');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource', OTEL_SERVICE_NAME: 'named' }).tracing?.serviceName).toBe('named');
  });
});
