import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { SessionsPageDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, Stack, startStack } from '../harness';
import { RawClient } from '../raw-socket';

const CLIENT_KEY = 'client-key-0123456789abcdef';

function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { lines, stream };
}

describe('operating the gateway', () => {
  let stack: Stack;
  let base: string;
  const { lines, stream } = captureLines();

  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_API_KEYS: CLIENT_KEY, METRICS_TOKEN: 'metrics-secret' }, logger: createLogger('debug', 'json', stream), headers: { 'x-api-key': CLIENT_KEY } });
    base = stack.url.replace('/graphql', '');
  });
  afterAll(() => stack.close());

  it('answers /healthz and /readyz cheaply, without credentials, reporting Zoom\'s breaker and budget', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      schema: 'built',
      zoom: { breaker: 'closed', auth: { status: 'ok' }, listSessionsBudget: { limit: 100_000, usedInWindow: 0, left: 100_000, queued: 0, pausedForMs: 0 }, dailyUsed: 0 },
    });
  });

  it('serves Prometheus metrics behind the metrics token', async () => {
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-06-01', to: '2026-06-30', first: 1 });
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const response = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    for (const name of [
      'graphql_requests_total',
      'graphql_request_duration_seconds_bucket',
      'zoom_calls_total',
      'zoom_call_duration_seconds_bucket',
      'zoom_page_cache_total',
      'zoom_rate_governor_wait_seconds_bucket',
      'zoom_retries_total',
      'zoom_circuit_breaker_state',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/graphql_requests_total\{operation="SessionsPage",outcome="ok"\} \d+/);
  });

  it('keeps a caller\'s request id, or makes one, and returns it', async () => {
    const given = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'x-request-id': 'trace-42' }, body: '{"query":"{ __typename }"}' });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'x-request-id': 'bad id with spaces' }, body: '{"query":"{ __typename }"}' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON line per request with its id, operation, duration, Zoom calls and tracking ids', async () => {
    lines.length = 0;
    await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'x-request-id': 'walk-1' },
      body: JSON.stringify({ query: 'query LastMonth { sessions(type: PAST, from: "2026-08-01", to: "2026-08-31", first: 3) { nodes { id } } }', operationName: 'LastMonth' }),
    });
    const requestLines = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ reqId: 'walk-1', method: 'POST', path: '/graphql', status: 200, operationName: 'LastMonth', zoomCalls: 1 });
    expect(requestLines[0].zoomTrackingIds).toEqual([expect.stringMatching(/^v=2\.0;clid=sim;rid=\d+$/)]);
    expect(typeof requestLines[0].ms).toBe('number');
  });

  it('never logs the Zoom secret, a JWT or a client\'s API key', async () => {
    await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'a-wrong-key-0123456789', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }, body: '{"query":"{ __typename }"}' });
    stack.zoom.failNext({ kind: 'status', status: 401 });
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-07-01', to: '2026-07-31', first: 1 });
    const everything = lines.join('\n');
    expect(everything).toContain('zoom call failed');
    expect(everything).not.toContain(API_SECRET);
    expect(everything).not.toContain(CLIENT_KEY);
    expect(everything).not.toContain('a-wrong-key-0123456789');
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    expect(everything).not.toContain(`"${API_KEY}"`);
  });
});

describe('readiness during a Zoom outage', () => {
  it('stays ready while Zoom is down, so an outage at Zoom does not empty the load balancer', async () => {
    const stack = await startStack();
    const base = stack.url.replace('/graphql', '');
    try {
      stack.zoom.failNext(...Array.from({ length: 15 }, () => ({ kind: 'status', status: 500 }) as const));
      for (let query = 0; query < 5; query += 1) await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-06-01', to: '2026-06-30', first: 1 });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { zoom: { breaker: string } }).zoom.breaker).toBe('open');
    } finally {
      await stack.close();
    }
  });
});

describe('metrics on their own port', () => {
  it('moves /metrics off the main port when METRICS_PORT is set', async () => {
    const stack = await startStack({ env: { METRICS_PORT: '0' } });
    try {
      const main = stack.url.replace('/graphql', '');
      expect((await fetch(`${main}/metrics`)).status).toBe(404);
      const address = stack.gateway.metricsApp!.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
      // Its refusals speak GraphQL's error shape, as the main port's do.
      const elsewhere = await fetch(`http://127.0.0.1:${port}/nope`);
      expect([elsewhere.status, await elsewhere.json()]).toEqual([404, { errors: [{ message: 'No such route: this port serves /metrics.', extensions: { code: 'NOT_FOUND' } }] }]);
      for (const method of ['POST', 'OPTIONS']) {
        const refused = await fetch(`http://127.0.0.1:${port}/metrics`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{{' } : {}) });
        expect([method, refused.status, refused.headers.get('allow')]).toEqual([method, 405, 'GET']);
      }
      // A proxy tunnel is refused with what this port takes, not the main port's methods.
      const client = new RawClient(port);
      client.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
      await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1\.1 405 [^]*\r\nAllow: GET\r\n/);
    } finally {
      await stack.close();
    }
  });
});
