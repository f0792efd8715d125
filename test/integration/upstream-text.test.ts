import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { ECHO_PROXY_HOST, ECHO_PROXY_IP } from '../../src/simulator/faults';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { startSimulator } from '../../src/simulator/simulator';
import { ZoomClient } from '../../src/zoom/client';
import { ZoomNetworkError } from '../../src/zoom/errors';
import { SessionsPageDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, START, Stack, onlyError, startStack } from '../harness';
import { capturedLogger } from '../services/log-lines';
import { ZOOM_FAILURES_LOGGED_PER_MINUTE } from '../../src/budget/zoom-caller';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 1 } as const;
const JWT_SHAPED = /eyJ[\w-]+\.eyJ[\w-]+/;

describe('only vetted text from Zoom reaches clients and logs', () => {
  let stack: Stack;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    // One attempt and no cache: each fault below is met by exactly one request.
    stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1', CACHE_MAX_ENTRIES: '0', ZOOM_BREAKER_FAILURES: '1000' }, logger: createLogger('debug', 'json', stream) });
  });
  afterAll(async () => {
    const logged = lines.join('');
    expect(logged).toContain('zoom call failed');
    expect(logged).not.toMatch(JWT_SHAPED);
    expect(logged).not.toMatch(/bearer\s+(?!\[redacted\])/i);
    expect(logged).not.toContain(API_SECRET);
    await stack.close();
  });

  it.each([
    ['a JSON echo of the request (400)', { kind: 'echo', status: 400, format: 'json' } as const, 'BAD_USER_INPUT', 'Zoom rejected the query (Zoom code 300: validation failed).'],
    ['an HTML page echoing the request (404)', { kind: 'echo', status: 404, format: 'html' } as const, 'ZOOM_NOT_FOUND', 'Zoom has no such resource.'],
    ['an HTML page echoing the request (502)', { kind: 'echo', status: 502, format: 'html' } as const, 'ZOOM_UNAVAILABLE', 'Zoom failed to answer (HTTP 502); try again later.'],
    ['Zoom\'s own 404', { kind: 'status', status: 404 } as const, 'ZOOM_NOT_FOUND', 'Zoom has no such resource (Zoom code 3001: session does not exist).'],
    ['a 400 with an unknown code', { kind: 'status', status: 400, code: 4711, message: 'Internal host db-3.zoom.internal refused' } as const, 'BAD_USER_INPUT', 'Zoom rejected the query (Zoom code 4711).'],
  ])('%s: the gateway\'s own message, no JWT, no internal names', async (_name, fault, code, message) => {
    stack.zoom.failNext(fault);
    const answer = await stack.request(SessionsPageDocument, october);
    const error = onlyError(answer);
    expect([error.code, error.message]).toEqual([code, message]);
    expect(answer.text).not.toMatch(JWT_SHAPED);
    expect(answer.text).not.toMatch(/bearer/i);
    for (const internal of [ECHO_PROXY_HOST, ECHO_PROXY_IP, 'db-3.zoom.internal']) expect(answer.text).not.toContain(internal);
  });
});

describe('redirects', () => {
  it('never follows one with the JWT: a 3xx is ZOOM_BAD_RESPONSE, and the target hears nothing', async () => {
    const elsewhere = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: () => START });
    const stack = await startStack({ env: { CACHE_MAX_ENTRIES: '0' } });
    try {
      // Another port of the same host: node-fetch would keep the Authorization header for it.
      const location = `${elsewhere.baseUrl}/videosdk/sessions?type=past&from=2026-10-01&to=2026-10-31&page_size=300`;
      for (const status of [302, 307] as const) {
        stack.zoom.failNext({ kind: 'redirect', status, location });
        const error = onlyError(await stack.request(SessionsPageDocument, october));
        expect(error.code).toBe('ZOOM_BAD_RESPONSE');
      }
      expect(elsewhere.calls()).toBe(0);
      expect(stack.zoom.calls()).toBe(2);
    } finally {
      await stack.close();
      await elsewhere.close();
    }
  });
});

describe('network errors', () => {
  it('name the URL without its user-info', async () => {
    // A port that was just free: nothing listens there now.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = new ZoomClient({ baseUrl: `http://ops:pw-secret@127.0.0.1:${port}/v2`, apiKey: API_KEY, apiSecret: API_SECRET, timeoutMs: 1_000, now: Date.now });
    try {
      const error = await client.listSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31', pageSize: 1, pageToken: '' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ZoomNetworkError);
      expect((error as ZoomNetworkError).code).toBe('ECONNREFUSED');
      expect((error as Error).message).toContain('http://[redacted]@127.0.0.1');
      expect((error as Error).message).not.toContain('pw-secret');
      expect((error as Error).cause).toBeUndefined();
    } finally {
      client.close();
    }
  });
});

describe('a Zoom outage in the log', () => {
  it('writes at most ZOOM_FAILURES_LOGGED_PER_MINUTE failed-attempt lines a minute, while every attempt is counted', async () => {
    const { logger, lines } = capturedLogger('debug');
    const stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1', CACHE_MAX_ENTRIES: '0', ZOOM_BREAKER_FAILURES: '1000' }, logger });
    const failures = ZOOM_FAILURES_LOGGED_PER_MINUTE + 40;
    try {
      stack.zoom.failNext(...Array.from({ length: failures }, () => ({ kind: 'status', status: 500 }) as const));
      for (let request = 0; request < failures; request += 1) expect(onlyError(await stack.request(SessionsPageDocument, october)).code).toBe('ZOOM_UNAVAILABLE');
      expect(stack.zoom.calls()).toBe(failures);
      const attemptLines = lines.filter((line) => line.msg === 'zoom call failed' && line.level === 40);
      expect(attemptLines).toHaveLength(ZOOM_FAILURES_LOGGED_PER_MINUTE);
      expect(await metric(stack, 'zoom_calls_total{endpoint="listSessions",status="500",outcome="http_error"}')).toBe(failures);
    } finally {
      await stack.close();
    }
  });
});

async function metric(stack: Stack, series: string): Promise<number> {
  const text = await (await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}
