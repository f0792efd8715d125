import { randomBytes } from 'node:crypto';
import { generateSessions, isLive } from '../../src/simulator/dataset';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { GatewayProcess, startGatewayProcess } from '../services/gateway-process';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from '../services/otlp-receiver';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

/**
 * Traces against a real OTLP/HTTP receiver on port 0: a gateway process exports its spans there
 * (OTEL_EXPORTER_OTLP_ENDPOINT), continuing the client's W3C traceparent through the cache, Redis
 * and Zoom, and a webhook's from its receipt to its delivery.
 */

const API_KEY = 'tracing-api-key';
const API_SECRET = 'tracing-api-secret-0123456789abcdef';
const CLIENT_KEY = 'tracing-client-key-0123456789';
const WEBHOOK_SECRET = 'tracing-webhook-secret-0123456789';
const SERVER = 2;
const CLIENT = 3;

const COLD_PAGE = 'query ColdPage { sessions(type: PAST, first: 3) { nodes { sessionId users(first: 2) { nodes { name } } } } }';

const newTraceparent = (): { traceId: string; parentId: string; header: string } => {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
};

async function post(gateway: GatewayProcess, query: string, headers: Record<string, string>): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, ...headers }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

/** The spans of one trace, and a check that each one reaches `root` through its parents. */
function traceOf(spans: readonly ReceivedSpan[], traceId: string): ReceivedSpan[] {
  return spans.filter((span) => span.traceId === traceId);
}

function descendsFrom(span: ReceivedSpan, root: ReceivedSpan, trace: readonly ReceivedSpan[]): boolean {
  const byId = new Map(trace.map((candidate) => [candidate.spanId, candidate]));
  for (let at: ReceivedSpan | undefined = span; at !== undefined; at = byId.get(at.parentSpanId)) if (at.spanId === root.spanId) return true;
  return false;
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    redis = await startOwnRedis();
    // No session is live: the start-up reconciliation then announces no start, whose stale mark on today's
    // pages (heard back through Redis, at a moment no test controls) would send the warm query to Zoom again.
    const sessions = generateSessions(20261206, Date.now()).filter((session) => !isLive(session));
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions });
    gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('tracing'),
      GATEWAY_API_KEYS: CLIENT_KEY,
      ZOOM_WEBHOOK_SECRET_TOKEN: WEBHOOK_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    // The live state's start-up reconciliation lists the live sessions once: not a call of the queries below.
    const deadline = Date.now() + 10_000;
    while (!zoom.callLog().some((call) => call.query.type === 'live') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await zoom?.close();
    await redis?.stop();
    await receiver?.close();
  });

  it('continues the client\'s traceparent: the operation, each cache load with its tier, each Redis round trip, each Zoom call with its tracking id', async () => {
    const cold = newTraceparent();
    zoom.resetCalls();
    const answer = await post(gateway, COLD_PAGE, { traceparent: cold.header });
    expect(answer.errors).toBeUndefined();
    const zoomCalls = zoom.calls();
    // One List call and one participants page per session.
    expect(zoomCalls).toBe(1 + 3);
    await receiver.until((spans) => traceOf(spans, cold.traceId).filter((span) => span.name.startsWith('zoom ')).length === zoomCalls && traceOf(spans, cold.traceId).some((span) => span.kind === SERVER));
    const trace = traceOf(receiver.spans, cold.traceId);
    const operation = trace.find((span) => span.kind === SERVER)!;
    expect(operation).toMatchObject({ name: 'query ColdPage', parentSpanId: cold.parentId, serviceName: 'gateway-under-test' });
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'ColdPage', 'http.response.status_code': 200 });
    for (const span of trace) expect(descendsFrom(span, operation, trace)).toBe(true);

    const calls = trace.filter((span) => span.name.startsWith('zoom '));
    expect(calls.map((span) => span.name).sort()).toEqual(['zoom listSessionUsers', 'zoom listSessionUsers', 'zoom listSessionUsers', 'zoom listSessions']);
    for (const call of calls) {
      expect(call.kind).toBe(CLIENT);
      expect(call.attributes).toMatchObject({ 'http.response.status_code': 200, 'zoom.outcome': 'success', 'zoom.retries': 0 });
      expect(call.attributes['zoom.tracking_id']).toMatch(/^v=2\.0;clid=sim;rid=\d+$/);
      expect(call.events.map((event) => event.name)).toContain('zoom.attempt');
    }
    expect(calls.find((span) => span.name === 'zoom listSessions')!.attributes['zoom.rate_label']).toBe('resource-intensive');
    // Each Zoom call was made by a cache load that missed both tiers.
    const loads = trace.filter((span) => span.name === 'cache load');
    for (const call of calls) expect(loads.some((load) => load.spanId === call.parentSpanId && load.attributes['cache.result'] === 'miss' && load.attributes['cache.tier'] === 'none')).toBe(true);
    const redisSpans = trace.filter((span) => span.name.startsWith('redis '));
    expect(redisSpans.length).toBeGreaterThan(0);
    for (const span of redisSpans) expect(span).toMatchObject({ kind: CLIENT, attributes: { 'db.system.name': 'redis' } });

    // Asked again: every load is answered by the in-process tier, and Zoom is not called.
    const warm = newTraceparent();
    zoom.resetCalls();
    await post(gateway, COLD_PAGE, { traceparent: warm.header });
    expect(zoom.calls()).toBe(0);
    await receiver.until((spans) => traceOf(spans, warm.traceId).some((span) => span.kind === SERVER));
    const warmTrace = traceOf(receiver.spans, warm.traceId);
    expect(warmTrace.filter((span) => span.name.startsWith('zoom '))).toEqual([]);
    const warmLoads = warmTrace.filter((span) => span.name === 'cache load');
    expect(warmLoads.length).toBe(loads.length);
    for (const load of warmLoads) expect(load.attributes).toMatchObject({ 'cache.result': 'hit', 'cache.tier': 'local' });
  });

  it('starts a trace of its own when the client sends none, or a traceparent that is not one', async () => {
    const before = new Set(receiver.spans.map((span) => span.spanId));
    const headers: Record<string, string>[] = [{}, { traceparent: 'not-a-traceparent' }, { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` }];
    for (const header of headers) {
      const answer = await post(gateway, 'query Plain { sessions(type: PAST, first: 1) { nodes { sessionId } } }', header);
      expect(answer.errors).toBeUndefined();
    }
    await receiver.until((spans) => spans.filter((span) => !before.has(span.spanId) && span.name === 'query Plain').length === 3);
    const servers = receiver.spans.filter((span) => !before.has(span.spanId) && span.name === 'query Plain');
    for (const span of servers) expect(span.parentSpanId).toBe('');
    expect(new Set(servers.map((span) => span.traceId)).size).toBe(3);
  });

  it('follows a webhook from its receipt through its application to its delivery to subscribers', async () => {
    const session = zoom.sessions.find((candidate) => candidate.end_time)!;
    const before = new Set(receiver.spans.map((span) => span.spanId));
    const status = await postWebhook(gateway.url.replace(/\/graphql$/, '/webhooks/zoom'), WEBHOOK_SECRET, sessionEvent('session.started', { ...session, id: `traced-${randomBytes(6).toString('hex')}` }, Date.now()));
    expect(status).toBe(200);
    const fresh = (spans: readonly ReceivedSpan[]) => spans.filter((span) => !before.has(span.spanId));
    await receiver.until((spans) => fresh(spans).some((span) => span.name === 'live deliver') && fresh(spans).some((span) => span.name === 'POST /webhooks/zoom'));
    const received = fresh(receiver.spans).find((span) => span.name === 'POST /webhooks/zoom')!;
    expect(received).toMatchObject({ kind: SERVER, attributes: { 'http.response.status_code': 200 } });
    const trace = traceOf(receiver.spans, received.traceId);
    const applied = trace.find((span) => span.name === 'webhook apply')!;
    expect(applied.parentSpanId).toBe(received.spanId);
    expect(applied.attributes).toMatchObject({ 'webhook.outcome': 'applied', 'zoom.event': 'SESSION_STARTED' });
    const delivered = trace.find((span) => span.name === 'live deliver')!;
    expect(descendsFrom(delivered, applied, trace)).toBe(true);
    expect(trace.filter((span) => span.name.startsWith('redis ')).every((span) => descendsFrom(span, applied, trace))).toBe(true);
    expect(trace.some((span) => span.name.startsWith('redis '))).toBe(true);
    expect(receiver.requests.malformed).toBe(0);
  });

  it('names a span after the first 100 characters of an operation name a client made 60,000 long', async () => {
    const name = `Q${'n'.repeat(60_000)}`;
    const before = new Set(receiver.spans.map((span) => span.spanId));
    const answer = await post(gateway, `query ${name} { sessions(type: PAST, first: 1) { nodes { sessionId } } }`, {});
    expect(answer.errors).toBeUndefined();
    await receiver.until((spans) => spans.some((span) => !before.has(span.spanId) && span.kind === SERVER));
    const server = receiver.spans.find((span) => !before.has(span.spanId) && span.kind === SERVER)!;
    expect(server.name).toBe(`query ${name.slice(0, 100)}`);
    expect(server.attributes['graphql.operation.name']).toBe(name.slice(0, 100));
  });
});

describe('OpenTelemetry traces when the collector is away', () => {
  it('says so in the log while serving as usual', async () => {
    const away = await startOtlpReceiver();
    await away.close();
    const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    const gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      GATEWAY_API_KEYS: CLIENT_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: away.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-secret-token',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    try {
      const answer = await post(gateway, 'query Plain { sessions(type: PAST, first: 1) { nodes { sessionId } } }', {});
      expect(answer.errors).toBeUndefined();
      const deadline = Date.now() + 15_000;
      while (!gateway.output().includes('the OpenTelemetry SDK reports a problem') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(gateway.output()).toContain('the OpenTelemetry SDK reports a problem');
      expect(gateway.output()).not.toContain('collector-secret-token');
    } finally {
      await gateway.stop();
      await zoom.close();
    }
  }, 60_000);
});
