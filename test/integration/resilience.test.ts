import { SessionsPageDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, Clock, START, Stack, onlyError, startStack } from '../harness';
import { realTimers } from '../../src/time/timers';
import { ZoomClient } from '../../src/zoom/client';
import { ZoomTimeoutError } from '../../src/zoom/errors';
import { startSimulator } from '../../src/simulator/simulator';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;
const DOCUMENTED_CODES = ['BAD_USER_INPUT', 'CURSOR_EXPIRED', 'ZOOM_RATE_LIMITED', 'ZOOM_AUTH_FAILED', 'ZOOM_NOT_FOUND', 'ZOOM_UNAVAILABLE', 'ZOOM_BAD_RESPONSE'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retries where they are safe', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it.each([
    ['a 500', { kind: 'status', status: 500 } as const],
    ['a 503', { kind: 'status', status: 503 } as const],
    ['a reset keep-alive socket', { kind: 'reset' } as const],
    ['a per-second 429', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } as const],
  ])('retries %s and answers with data', async (_name, fault) => {
    stack.zoom.failNext(fault);
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 3 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.sessions.edges).toHaveLength(3);
    expect(stack.zoom.calls()).toBe(2);
    const { metrics } = stack.gateway;
    expect(await metrics.value(metrics.zoomRetries)).toBe(1);
  });

  it('gives up after the attempts allowed', async () => {
    stack.zoom.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    expect(onlyError(await stack.request(SessionsPageDocument, { ...october, first: 3 })).code).toBe('ZOOM_UNAVAILABLE');
    expect(stack.zoom.calls()).toBe(3);
  });

  it.each([
    ['a 400', { kind: 'status', status: 400 } as const, 'BAD_USER_INPUT'],
    ['a 401', { kind: 'status', status: 401 } as const, 'ZOOM_AUTH_FAILED'],
    ['a 404', { kind: 'status', status: 404 } as const, 'ZOOM_NOT_FOUND'],
  ])('never retries %s', async (_name, fault, code) => {
    stack.zoom.failNext(fault);
    expect(onlyError(await stack.request(SessionsPageDocument, { ...october, first: 3 })).code).toBe(code);
    expect(stack.zoom.calls()).toBe(1);
  });

  it('stops calling Zoom after a daily-limit 429 until its reset, and says how long', async () => {
    stack.zoom.failNext({
      kind: 'status',
      status: 429,
      message: 'You have reached the maximum daily rate limit for this API.',
      headers: { 'Retry-After': '2026-11-28T00:00:00Z', 'X-RateLimit-Type': 'Daily-limit' },
    });
    const first = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 3 }));
    expect(first.code).toBe('ZOOM_RATE_LIMITED');
    expect(stack.zoom.calls()).toBe(1);
    const later = onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-09-01', to: '2026-09-30', first: 3 }));
    expect(later.code).toBe('ZOOM_RATE_LIMITED');
    // The header names midnight UTC; the wait is real time until then, within a minute of 12 h.
    expect(later.extensions.retryAfter).toBeGreaterThan(12 * 3600 - 60);
    expect(later.extensions.retryAfter).toBeLessThanOrEqual(12 * 3600);
    expect(stack.zoom.calls()).toBe(1);
  });
});

describe('429s that name no wait', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());
  const noHeaders = { 'Retry-After': '', 'X-RateLimit-Type': '' };

  it('retries a per-second 429 after a second', async () => {
    stack.zoom.failNext({ kind: 'status', status: 429, headers: noHeaders });
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 3 });
    expect(answer.body.errors).toBeUndefined();
    expect(stack.zoom.calls()).toBe(2);
  });

  it('holds back for Zoom\'s minute on a 429 it cannot read, and tells clients the same wait, without retrying', async () => {
    stack.zoom.failNext({ kind: 'status', status: 429, message: 'Too many requests.', headers: noHeaders });
    const first = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 3 }));
    expect(first).toMatchObject({ code: 'ZOOM_RATE_LIMITED', extensions: { retryAfter: 60 } });
    expect(stack.zoom.calls()).toBe(1);
    const later = onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-09-01', to: '2026-09-30', first: 3 }));
    expect(later.code).toBe('ZOOM_RATE_LIMITED');
    expect(later.extensions.retryAfter).toBeGreaterThan(55);
    expect(stack.zoom.calls()).toBe(1);
  });

  it('knows the daily cap by its message and waits for midnight UTC', async () => {
    await stack.close();
    // The gateway's pacing clock, fixed at noon UTC, so that midnight is a known 12 hours away.
    stack = await startStack({ gateway: { timers: { now: () => START, sleep: realTimers.sleep } } });
    stack.zoom.failNext({ kind: 'status', status: 429, message: 'You have reached the maximum daily rate limit for this API.', headers: noHeaders });
    const first = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 3 }));
    expect(first.code).toBe('ZOOM_RATE_LIMITED');
    expect(first.extensions.retryAfter).toBe(12 * 3600);
    expect(stack.zoom.calls()).toBe(1);
    const later = onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-09-01', to: '2026-09-30', first: 3 }));
    expect(later.extensions.retryAfter).toBe(12 * 3600);
    expect(stack.zoom.calls()).toBe(1);
  });
});

describe('the circuit breaker', () => {
  it('stops calls while Zoom is down, fails fast, and probes for recovery; 4xx do not trip it', async () => {
    const stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1', ZOOM_BREAKER_FAILURES: '2', ZOOM_BREAKER_COOLDOWN_MS: '2000', CACHE_MAX_ENTRIES: '0' } });
    try {
      stack.zoom.failNext({ kind: 'status', status: 404 }, { kind: 'status', status: 404 }, { kind: 'status', status: 404 });
      for (let call = 0; call < 3; call += 1) await stack.request(SessionsPageDocument, { ...october, first: 1 });
      expect(stack.gateway.breaker.state()).toBe('closed');

      stack.zoom.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 502 });
      await stack.request(SessionsPageDocument, { ...october, first: 1 });
      await stack.request(SessionsPageDocument, { ...october, first: 1 });
      expect(stack.gateway.breaker.state()).toBe('open');
      stack.zoom.resetCalls();
      const fast = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 1 }));
      expect(fast.code).toBe('ZOOM_UNAVAILABLE');
      // The cooldown is long enough that a slow machine still asks within it: the rest of it, in whole seconds.
      expect([1, 2]).toContain(fast.extensions.retryAfter);
      expect(stack.zoom.calls()).toBe(0);

      await sleep(2_100);
      const probe = await stack.request(SessionsPageDocument, { ...october, first: 1 });
      expect(probe.body.errors).toBeUndefined();
      expect(stack.gateway.breaker.state()).toBe('closed');
      const { metrics } = stack.gateway;
      expect((await metrics.breakerState.get()).values[0].value).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('timeouts', () => {
  it('cuts a hung Zoom call at the configured timeout and leaves no open socket behind', async () => {
    const clock = new Clock();
    const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now });
    const client = new ZoomClient({ baseUrl: zoom.baseUrl, apiKey: API_KEY, apiSecret: API_SECRET, timeoutMs: 1_000, now: clock.now });
    try {
      zoom.failNext({ kind: 'hang' });
      const started = performance.now();
      const error = await client.listSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31', pageSize: 300, pageToken: '' }).catch((caught: unknown) => caught);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(ZoomTimeoutError);
      expect(elapsed).toBeGreaterThanOrEqual(900);
      // Cut near the timeout, not at twice it; the upper margin is for a loaded machine's timers.
      expect(elapsed).toBeLessThanOrEqual(1_500);
      for (let wait = 0; wait < 20 && (await zoom.openConnections()) > 0; wait += 1) await sleep(25);
      expect(await zoom.openConnections()).toBe(0);
    } finally {
      client.close();
      await zoom.close();
    }
  });
});

describe('chaos at Zoom', () => {
  it('with 20% 429, 10% 500, 5% malformed, 5% hung and 5% reset: right data or a documented code, normal service after, under 1.3x attempts', async () => {
    const stack = await startStack({
      env: { ZOOM_TIMEOUT_MS: '300', ZOOM_BREAKER_COOLDOWN_MS: '200', ZOOM_MAX_CALLS_PER_REQUEST: '1' },
      simulator: { seed: 7 },
    });
    try {
      stack.zoom.setFaults({ rate429: 0.2, rate5xx: 0.1, rateMalformed: 0.05, rateHang: 0.05, rateReset: 0.05 });
      const day = (offset: number) => new Date(Date.parse('2026-11-26') - offset * 86_400_000).toISOString().slice(0, 10);
      const queries = Array.from({ length: 120 }, (_, offset) => ({ type: 'PAST' as const, from: day(offset), to: day(offset), first: 10 }));
      const codes: string[] = [];
      let served = 0;
      const client = async (index: number) => {
        for (let next = index; next < queries.length; next += 10) {
          const query = queries[next];
          const answer = await stack.request(SessionsPageDocument, query);
          const expected = stack.zoom.expectedSessions({ type: 'past', from: query.from, to: query.to }).slice(0, 10).map((session) => session.id);
          if (answer.body.data) {
            expect(answer.body.data.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected);
            served += 1;
          }
          for (const error of answer.body.errors ?? []) codes.push(String(error.extensions?.code));
          expect(answer.text).not.toContain(API_SECRET);
        }
      };
      await Promise.all(Array.from({ length: 10 }, (_, index) => client(index)));
      for (const code of codes) expect(DOCUMENTED_CODES).toContain(code);
      expect(served).toBeGreaterThan(queries.length / 2);

      const { metrics } = stack.gateway;
      const needed = await metrics.value(metrics.pageCache, { result: 'miss' });
      const attempts = stack.zoom.calls();
      expect(attempts / needed).toBeLessThan(1.3);

      stack.zoom.setFaults({});
      await sleep(1_500);
      const after = await stack.request(SessionsPageDocument, { ...october, first: 5 });
      expect(after.body.errors).toBeUndefined();
      expect(after.body.data!.sessions.edges).toHaveLength(5);
      process.stdout.write(`chaos: ${served}/${queries.length} served, ${attempts} attempts for ${needed} calls needed (${(attempts / needed).toFixed(2)}x), codes ${JSON.stringify(countBy(codes))}\n`);
    } finally {
      await stack.close();
    }
  }, 120_000);
});

function countBy(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});
}
