import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionsPageDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, Clock, onlyError, startStack } from '../harness';
import { ZoomClient } from '../../src/zoom/client';
import { ZoomCapacityError, ZoomNetworkError, ZoomTimeoutError } from '../../src/zoom/errors';
import { startSimulator } from '../../src/simulator/simulator';

/** Distinct filters: every query is a Zoom call of its own, none shared, none cached. */
const query = (index: number) => ({ type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 1, sessionName: `client-${index}` }) as const;

describe('calls in flight stay below the sockets, and local waits are not Zoom failures', () => {
  it('60 clients at once against a Zoom that answers in 200 ms: all served, none timed out, the breaker closed', async () => {
    // Each call is 200 ms on its socket, well inside the timeout; 60 calls over 16 sockets (the agent before
    // the cap) would have kept the last ones waiting 600 ms for one, past it.
    const stack = await startStack({
      simulator: { latencyMs: 200 },
      env: { ZOOM_TIMEOUT_MS: '600', ZOOM_BREAKER_FAILURES: '3', ZOOM_MAX_IN_FLIGHT: '12' },
    });
    try {
      const answers = await Promise.all(Array.from({ length: 60 }, (_, index) => stack.request(SessionsPageDocument, query(index))));
      expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'ok')).toEqual(Array(60).fill('ok'));
      expect(stack.gateway.breaker.state()).toBe('closed');
      expect(stack.zoom.callLog().map((call) => call.status)).toEqual(Array(60).fill(200));
      expect(stack.zoom.peakConcurrency()).toBeLessThanOrEqual(12);
      const { metrics } = stack.gateway;
      expect(await metrics.value(metrics.zoomRetries)).toBe(0);
    } finally {
      await stack.close();
    }
  });

  it('a call that finds every slot busy past the queue wait is refused locally: ZOOM_RATE_LIMITED, no Zoom call, no breaker trip', async () => {
    const stack = await startStack({
      simulator: { latencyMs: 400 },
      env: { ZOOM_MAX_IN_FLIGHT: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100', ZOOM_BREAKER_FAILURES: '1' },
    });
    try {
      const answers = await Promise.all([0, 1, 2].map((index) => stack.request(SessionsPageDocument, query(index))));
      const served = answers.filter((answer) => answer.body.errors === undefined);
      const refused = answers.filter((answer) => answer.body.errors !== undefined).map(onlyError);
      expect(served).toHaveLength(1);
      expect(refused.map((error) => [error.code, error.extensions.reason, error.extensions.retryAfter])).toEqual([['ZOOM_RATE_LIMITED', 'QUEUE', 1], ['ZOOM_RATE_LIMITED', 'QUEUE', 1]]);
      expect(refused[0].message).toContain('connections to Zoom are all busy');
      expect(stack.zoom.calls()).toBe(1);
      expect(stack.gateway.breaker.state()).toBe('closed');
      const { metrics } = stack.gateway;
      expect(await metrics.value(metrics.zoomCallsNotSent, { reason: 'in_flight_cap' })).toBe(2);
      expect(await metrics.value(metrics.zoomCalls)).toBe(1);
    } finally {
      await stack.close();
    }
  });
});

describe('ZOOM_QUEUE_MAX_WAIT_MS at its floor', () => {
  it('sends the whole window\'s budget at once, as /readyz says, and refuses only past it', async () => {
    const stack = await startStack({ env: { ZOOM_QUEUE_MAX_WAIT_MS: '100', ZOOM_LIST_SESSIONS_PER_MINUTE: '20' } });
    const readyz = async () => ((await (await fetch(stack.url.replace('/graphql', '/readyz'))).json()) as { zoom: { listSessionsBudget: { left: number } } }).zoom.listSessionsBudget.left;
    try {
      expect(await readyz()).toBe(20);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => stack.request(SessionsPageDocument, query(index))));
      for (const answer of answers) expect(answer.body.errors).toBeUndefined();
      expect(await readyz()).toBe(0);
      const refused = onlyError(await stack.request(SessionsPageDocument, query(20)));
      // The oldest call frees its slot a minute and the 1 s margin after it went: past the 100 ms this call may wait, and said honestly.
      expect([refused.code, refused.extensions.reason]).toEqual(['ZOOM_RATE_LIMITED', 'WINDOW']);
      expect(refused.extensions.retryAfter).toBeGreaterThanOrEqual(59);
      expect(refused.extensions.retryAfter).toBeLessThanOrEqual(61);
      expect(stack.zoom.calls()).toBe(20);
    } finally {
      await stack.close();
    }
  });
});

describe('ZOOM_TIMEOUT_MS starts when the call has its socket', () => {
  it('times Zoom, not the wait for a socket; a call that never gets one is refused as a local wait', async () => {
    const clock = new Clock();
    const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now, latencyMs: 1_000 });
    // One socket and no cap in front: each call is 1 s on it, the second waits 1 s for it, the third 2 s (500 ms either side of the cut).
    const client = new ZoomClient({ baseUrl: zoom.baseUrl, apiKey: API_KEY, apiSecret: API_SECRET, timeoutMs: 1_500, now: clock.now, maxSockets: 1 });
    try {
      const list = () => client.listSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31', pageSize: 1, pageToken: '' }).then(() => 'ok', (error: unknown) => error);
      const [first, second, third] = await Promise.all([list(), list(), list()]);
      expect(first).toBe('ok');
      expect(second).toBe('ok');
      expect(third).toBeInstanceOf(ZoomCapacityError);
      expect(zoom.calls()).toBe(2);
    } finally {
      client.close();
      await zoom.close();
    }
  });
});

describe('kept-alive sockets to Zoom', () => {
  it('drops an idle socket a second before the far end says it will close it, so no call goes out on a closing connection', async () => {
    // A Node server keeps an idle connection 2 s and says so (`Keep-Alive: timeout=2`); the gateway's agent must
    // give the socket up at 1 s, not reuse it until the server's close races the next call.
    const server = http.createServer((_request, response) => response.setHeader('content-type', 'application/json').end('{"user_id":"u1"}'));
    server.keepAliveTimeout = 2_000;
    let connections = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const clock = new Clock();
    const client = new ZoomClient({ baseUrl: `http://127.0.0.1:${port}/v2`, apiKey: API_KEY, apiSecret: API_SECRET, timeoutMs: 5_000, now: clock.now });
    try {
      const qos = () => client.getSessionUserQos('s1', 'u1', 'past');
      await qos();
      await qos();
      expect(connections).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await qos();
      expect(connections).toBe(2);
    } finally {
      client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a kept-alive socket the far end closed', () => {
  type Reply = 'answer' | 'reset' | 'headers, then reset' | 'hang' | { readonly resetAfterMs: number };
  /**
   * A far end that treats its `nth` request as `reply` says; by default it answers each connection's first
   * request and resets one on a reused connection (as when it closes an idle connection just as a call goes out).
   */
  async function farEnd(reply: (nth: number, reused: boolean) => Reply, timeoutMs = 5_000) {
    let requests = 0;
    let connections = 0;
    const server = http.createServer((request, response) => {
      const socket = request.socket;
      const how = reply((requests += 1), socket.bytesWritten > 0);
      if (how === 'answer') response.setHeader('content-type', 'application/json').end('{"user_id":"u1"}');
      else if (how === 'reset') socket.resetAndDestroy();
      else if (how === 'headers, then reset') {
        // node-fetch waits for the first byte of a compressed body before it resolves: the reset comes after the far end answered.
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
        response.flushHeaders();
        setTimeout(() => socket.resetAndDestroy(), 50);
      } else if (how !== 'hang') setTimeout(() => socket.resetAndDestroy(), how.resetAfterMs);
    });
    // No `Keep-Alive: timeout=` hint: the agent cannot know when the far end gives a socket up.
    server.keepAliveTimeout = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let resends = 0;
    const clock = new Clock();
    const client = new ZoomClient({ baseUrl: `http://127.0.0.1:${port}/v2`, apiKey: API_KEY, apiSecret: API_SECRET, timeoutMs, now: clock.now, onStaleSocket: () => (resends += 1) });
    return {
      qos: () => client.getSessionUserQos('s1', 'u1', 'past'),
      counts: () => ({ requests, connections, resends }),
      close: async () => {
        client.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }
  const resetReused = (_nth: number, reused: boolean): Reply => (reused ? 'reset' : 'answer');

  it('sends a call that met a reset before any answer again, once, on a connection of its own: the caller sees the answer', async () => {
    const far = await farEnd(resetReused);
    try {
      // Two kept-alive sockets, both of which the far end will reset: the call must not go out again on the other one.
      await Promise.all([far.qos(), far.qos()]);
      expect(far.counts()).toEqual({ requests: 2, connections: 2, resends: 0 });
      await expect(far.qos()).resolves.toMatchObject({ user_id: 'u1' });
      expect(far.counts()).toEqual({ requests: 4, connections: 3, resends: 1 });
    } finally {
      await far.close();
    }
  });

  it('never sends it a third time: a reset on its own connection is the caller\'s network error', async () => {
    const far = await farEnd((nth) => (nth === 1 ? 'answer' : 'reset'));
    try {
      await far.qos();
      await expect(far.qos()).rejects.toBeInstanceOf(ZoomNetworkError);
      expect(far.counts()).toEqual({ requests: 3, connections: 2, resends: 1 });
    } finally {
      await far.close();
    }
  });

  it('does not send again once the far end has answered, even if the body never comes', async () => {
    const far = await farEnd((_nth, reused) => (reused ? 'headers, then reset' : 'answer'));
    try {
      await far.qos();
      await expect(far.qos()).rejects.toBeInstanceOf(ZoomNetworkError);
      expect(far.counts()).toEqual({ requests: 2, connections: 1, resends: 0 });
    } finally {
      await far.close();
    }
  });

  it('gives the second sending only what is left of the call\'s timeout', async () => {
    // The reused socket is held 900 ms, then reset; the call's own connection hangs. One timeout of 1 s in all, not 1.9 s.
    const far = await farEnd((nth) => (nth === 1 ? 'answer' : nth === 2 ? { resetAfterMs: 900 } : 'hang'), 1_000);
    try {
      await far.qos();
      const started = performance.now();
      await expect(far.qos()).rejects.toBeInstanceOf(ZoomTimeoutError);
      expect(performance.now() - started).toBeLessThan(1_600);
      expect(far.counts()).toEqual({ requests: 3, connections: 2, resends: 1 });
    } finally {
      await far.close();
    }
  });
});
