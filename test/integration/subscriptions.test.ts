import { createServer, Server } from 'node:http';
import { connect } from 'node:net';
import { print } from 'graphql';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { LiveSessionsFeedDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { floodOfJoins, simSession } from '../live/webhook-flood';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';

const API_KEY = 'subscriptions-client-key-0123456789';
const OTHER_KEY = 'subscriptions-other-key-0123456789';
const SECRET = 'zoom-webhook-secret-token-for-tests';

/** Stops (or starts again) reading the socket, as a client whose network stalls: what the gateway writes piles up. */
function pauseReading(client: ProtocolClient, paused: boolean): void {
  const socket = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  if (paused) socket.pause();
  else socket.resume();
}

describe('subscriptions over graphql-transport-ws on /graphql', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_API_KEYS: `${API_KEY},${OTHER_KEY}`, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SUBSCRIPTIONS_MAX_PER_CONNECTION: '2', SUBSCRIPTIONS_MAX_PER_CLIENT: '3' },
    });
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await stack.close();
  });

  it('closes with 4401 when no credential comes, before any subscription', async () => {
    const client = await openProtocolClient(stack.url);
    client.send({ type: 'connection_init', payload: {} });
    expect((await client.closed).code).toBe(4401);
  });

  it('closes with 4403 on a wrong credential in connection_init; answers 401 to one on the upgrade', async () => {
    const inPayload = await openProtocolClient(stack.url);
    inPayload.send({ type: 'connection_init', payload: { 'x-api-key': 'not-a-key-of-this-gateway' } });
    expect((await inPayload.closed).code).toBe(4403);
    // On the upgrade it is refused before the socket takes a place.
    await expect(openProtocolClient(stack.url, { authorization: 'Bearer not.a.jwt' })).rejects.toThrow('upgrade answered 401');
  });

  it('closes with 4401 a subscribe sent before the connection is acknowledged', async () => {
    const client = await openProtocolClient(stack.url);
    subscribeEvents(client, 'early');
    expect((await client.closed).code).toBe(4401);
  });

  it('accepts the key in connection_init or on the upgrade request', async () => {
    const inPayload = await openProtocolClient(stack.url);
    await initialise(inPayload, { 'x-api-key': API_KEY });
    const onUpgrade = await openProtocolClient(stack.url, { 'x-api-key': API_KEY });
    await initialise(onUpgrade);
    await Promise.all([inPayload.close(), onUpgrade.close()]);
  });

  it('refuses a third subscription on one connection and a fourth for one client, with SUBSCRIPTION_LIMIT_EXCEEDED', async () => {
    const first = await openProtocolClient(stack.url);
    await initialise(first, { 'x-api-key': API_KEY });
    for (const id of ['a', 'b', 'c']) subscribeEvents(first, id);
    // graphql-js answers a refused subscribe with one result holding the error, then the subscription completes.
    const error = await first.next((message) => message.type === 'next' && message.id === 'c');
    expect(error.payload).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', setting: 'SUBSCRIPTIONS_MAX_PER_CONNECTION', max: 2 } })] });

    const second = await openProtocolClient(stack.url);
    await initialise(second, { 'x-api-key': API_KEY });
    subscribeEvents(second, 'd');
    subscribeEvents(second, 'e');
    const perClient = await second.next((message) => message.type === 'next' && message.id === 'e');
    expect(perClient.payload).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', setting: 'SUBSCRIPTIONS_MAX_PER_CLIENT', max: 3 } })] });

    // Another client is not held back by the first one's subscriptions.
    const other = await openProtocolClient(stack.url);
    await initialise(other, { 'x-api-key': OTHER_KEY });
    subscribeEvents(other, 'f');
    other.send({ type: 'ping' });
    await other.next((message) => message.type === 'pong');
    expect(other.messages.filter((message) => message.id === 'f')).toEqual([]);

    // Ending one frees its place.
    first.send({ id: 'a', type: 'complete' });
    await until(() => stack.gateway.core.live.subscriberCount === 3);
    subscribeEvents(second, 'g');
    second.send({ type: 'ping' });
    await second.next((message) => message.type === 'pong');
    expect(second.messages.filter((message) => message.id === 'g')).toEqual([]);
    await Promise.all([first.close(), second.close(), other.close()]);
    await until(() => stack.gateway.core.live.subscriberCount === 0);
  });

  it('refuses a client more sockets than it may hold subscriptions', async () => {
    const sockets = await Promise.all([0, 1, 2].map(() => openProtocolClient(stack.url)));
    await Promise.all(sockets.map((socket) => initialise(socket, { 'x-api-key': API_KEY })));
    const fourth = await openProtocolClient(stack.url);
    fourth.send({ type: 'connection_init', payload: { 'x-api-key': API_KEY } });
    expect(await fourth.closed).toEqual({ code: 1008, reason: 'Too many connections for this client' });
    const open = async () => (await stack.gateway.metrics.registry.getSingleMetric('graphql_subscription_connections')!.get()).values[0]?.value ?? 0;
    const before = await open();
    await sockets[0].close();
    // The gateway counts the socket closed once its own side of the close has run.
    await until(async () => (await open()) <= before - 1);
    const again = await openProtocolClient(stack.url);
    await initialise(again, { 'x-api-key': API_KEY });
    await Promise.all([...sockets.slice(1), again].map((socket) => socket.close()));
  });

  it('refuses bad arguments and queries over WebSocket with clear errors', async () => {
    const client = await openProtocolClient(stack.url);
    await initialise(client, { 'x-api-key': API_KEY });
    subscribeEvents(client, 'empty', { sessionId: '' });
    const empty = await client.next((message) => message.id === 'empty');
    expect(empty.type).toBe('next');
    expect(empty.payload).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'sessionId' }) })] });
    client.send({ id: 'query', type: 'subscribe', payload: { query: '{ __typename }' } });
    const query = await client.next((message) => message.id === 'query');
    expect(query).toEqual({ id: 'query', type: 'error', payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })] });
    await client.close();
  });

  it('gives each document its own answer when subscribers with different selections share an event', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => openProtocolClient(stack.url)));
    await Promise.all(clients.map((client) => initialise(client, { 'x-api-key': OTHER_KEY })));
    const queries = ['subscription { sessionEvents { type } }', 'subscription { sessionEvents { sessionId } }', 'subscription { sessionEvents { type } }'];
    clients.forEach((client, index) => client.send({ id: 'shape', type: 'subscribe', payload: { query: queries[index] } }));
    await Promise.all(clients.map(async (client) => {
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
    }));
    const now = stack.clock.now();
    expect(await postWebhook(stack.url.replace(/\/graphql$/, '/webhooks/zoom'), SECRET, sessionEvent('session.started', simSession('shapes==', now), now), now)).toBe(200);
    const answers = await Promise.all(clients.map(async (client) => (await client.next((message) => message.type === 'next')).payload));
    expect(answers).toEqual([
      { data: { sessionEvents: { type: 'SESSION_STARTED' } } },
      { data: { sessionEvents: { sessionId: 'shapes==' } } },
      { data: { sessionEvents: { type: 'SESSION_STARTED' } } },
    ]);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('keeps a dashboard\'s whole live set current: on subscribe, then after each change', async () => {
    const client = await openProtocolClient(stack.url);
    await initialise(client, { 'x-api-key': OTHER_KEY });
    client.send({ id: 'set', type: 'subscribe', payload: { query: print(LiveSessionsFeedDocument) } });
    const first = await client.next((message) => message.type === 'next' && message.id === 'set');
    const ids = (message: Record<string, unknown>) => (message.payload as { data: { liveSessions: { sessionId: string }[] } }).data.liveSessions.map((session) => session.sessionId);
    const before = ids(first);
    const now = stack.clock.now();
    expect(await postWebhook(stack.url.replace(/\/graphql$/, '/webhooks/zoom'), SECRET, sessionEvent('session.started', simSession('set/member==', now + 60_000), now), now)).toBe(200);
    const after = await client.next((message) => message.type === 'next' && message.id === 'set' && ids(message).includes('set/member=='));
    expect(ids(after)).toEqual(['set/member==', ...before]);
    await client.close();
  });

  it('tells a client that POSTs a subscription to subscribe over WebSocket', async () => {
    const answer = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ query: 'subscription { sessionEvents { type } }' }) });
    const body = (await answer.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('open a WebSocket to /graphql') })]);
  });

  it('serves the fields of a query\'s loaders, loaded once per event for all its subscribers', async () => {
    const documents = [
      'subscription { sessionEvents(sessionId: "loaded==", types: [USER_JOINED]) { user { name } session { sessionNumber users { nodes { name } } } } }',
      'subscription { sessionEvents(sessionId: "loaded==", types: [USER_JOINED]) { session { createdAt totalMinutes users(first: 5) { nodes { name } } } } }',
    ];
    const clients = await Promise.all(Array.from({ length: 6 }, () => openProtocolClient(stack.url)));
    await Promise.all(clients.map((client, index) => initialise(client, { 'x-api-key': index % 2 === 0 ? API_KEY : OTHER_KEY })));
    clients.forEach((client, index) => client.send({ id: 'loaded', type: 'subscribe', payload: { query: documents[index % 2] } }));
    await until(() => stack.gateway.core.live.subscriberCount === 6);
    const now = stack.clock.now();
    const session = simSession('loaded==', now);
    stack.zoom.startLiveSession(session);
    const webhooks = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
    expect(await postWebhook(webhooks, SECRET, sessionEvent('session.started', session, now), now)).toBe(200);
    const before = stack.zoom.calls();
    expect(await postWebhook(webhooks, SECRET, userEvent('session.user_joined', session, { id: 'u1', name: 'Ada', participant_uuid: 'p-1' }, now + 1), now)).toBe(200);
    const answers = await Promise.all(clients.map(async (client) => (await client.next((message) => message.type === 'next' && message.id === 'loaded')).payload));
    for (const [index, answer] of answers.entries()) {
      expect(answer).not.toHaveProperty('errors');
      // Ada from the webhook, and whoever Zoom's participants list had before the gateway heard of the session.
      const names = (answer as { data: { sessionEvents: { session: { users: { nodes: { name: string }[] } } } } }).data.sessionEvents.session.users.nodes.map((user) => user.name);
      expect(names).toEqual([...stack.zoom.inside(session.id)!.participants.map((user) => user.name), 'Ada']);
      if (index % 2 === 1) expect(answer).toMatchObject({ data: { sessionEvents: { session: { createdAt: expect.any(String) } } } });
    }
    // Participants come from the live state, with Zoom's list read once; the details call is made once for the event, whatever the subscribers and documents.
    expect(stack.zoom.calls() - before).toBe(2);
    await Promise.all(clients.map((client) => client.close()));
    await until(() => stack.gateway.core.live.subscriberCount === 0);
  });

  it('gives subscribers of one document with different variables their own answers, under the same id', async () => {
    const clients = await Promise.all([0, 1].map(() => openProtocolClient(stack.url)));
    await Promise.all(clients.map((client) => initialise(client, { 'x-api-key': OTHER_KEY })));
    const query = 'subscription ($withType: Boolean!) { sessionEvents { sessionId type @include(if: $withType) } }';
    clients.forEach((client, index) => client.send({ id: 'same', type: 'subscribe', payload: { query, variables: { withType: index === 0 } } }));
    await Promise.all(clients.map(async (client) => {
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
    }));
    const now = stack.clock.now();
    expect(await postWebhook(stack.url.replace(/\/graphql$/, '/webhooks/zoom'), SECRET, sessionEvent('session.started', simSession('variables==', now), now), now)).toBe(200);
    const answers = await Promise.all(clients.map((client) => client.next((message) => message.type === 'next')));
    expect(answers).toEqual([
      { id: 'same', type: 'next', payload: { data: { sessionEvents: { sessionId: 'variables==', type: 'SESSION_STARTED' } } } },
      { id: 'same', type: 'next', payload: { data: { sessionEvents: { sessionId: 'variables==' } } } },
    ]);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('filters by session and kind', async () => {
    const client = await openProtocolClient(stack.url);
    await initialise(client, { 'x-api-key': API_KEY });
    subscribeEvents(client, 'one', { sessionId: 'wanted==', types: ['SESSION_ENDED'] });
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    const url = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
    const now = stack.clock.now();
    for (const [id, event, ts] of [['other==', 'session.ended', now], ['wanted==', 'session.started', now + 1], ['wanted==', 'session.ended', now + 2]] as const) {
      expect(await postWebhook(url, SECRET, sessionEvent(event, simSession(id, now), ts), stack.clock.now())).toBe(200);
    }
    const message = await client.next((each) => each.type === 'next');
    expect((message.payload as { data: { sessionEvents: { type: string; sessionId: string } } }).data.sessionEvents).toMatchObject({ type: 'SESSION_ENDED', sessionId: 'wanted==' });
    await client.close();
  });
});

describe('shutdown', () => {
  it('closes subscriptions with 1001 when the gateway closes', async () => {
    const stack = await startStack({ simulator: { sessions: [] } });
    const client = await openProtocolClient(stack.url);
    await initialise(client);
    subscribeEvents(client, 'live');
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    await stack.close();
    expect((await client.closed).code).toBe(1001);
  });
});

describe('without webhooks', () => {
  it('feeds sessionEvents by comparing successive live lists: starts and ends', async () => {
    const stack = await startStack({ env: { ZOOM_LIVE_POLL_SECONDS: '1', CACHE_TTL_LIVE_SECONDS: '0' } });
    try {
      const client = await openProtocolClient(stack.url);
      await initialise(client);
      subscribeEvents(client, 'polled');
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
      // The first poll is the baseline; a session starting after it is an event.
      const polls = async () => ((await stack.gateway.metrics.registry.getSingleMetric('zoom_live_reconciliations_total')!.get()).values.find((value) => value.labels.outcome === 'polled')?.value ?? 0);
      await until(async () => (await polls()) >= 1, 5_000);
      stack.zoom.startLiveSession(simSession('polled/start==', stack.clock.now()));
      const started = await client.next((message) => message.type === 'next', 5_000);
      expect((started.payload as { data: { sessionEvents: { type: string; sessionId: string } } }).data.sessionEvents).toMatchObject({ type: 'SESSION_STARTED', sessionId: 'polled/start==' });
      stack.zoom.endLiveSession('polled/start==', new Date(stack.clock.now()).toISOString());
      const ended = await client.next((message) => message.type === 'next', 5_000);
      expect((ended.payload as { data: { sessionEvents: { type: string; sessionId: string } } }).data.sessionEvents).toMatchObject({ type: 'SESSION_ENDED', sessionId: 'polled/start==' });
      await client.close();
    } finally {
      await stack.close();
    }
  });
});

describe('hostile and broken sockets', () => {
  it('survives clients that reset while an upgrade to another path is answered', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const port = Number(new URL(stack.url).port);
      for (let i = 0; i < 200; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write('GET /nope HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
            socket.resetAndDestroy();
            resolve();
          });
          socket.on('error', () => resolve());
        });
      }
      // The gateway's answers to the reset sockets fail after the resets arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(uncaught).toEqual([]);
      const client = await openProtocolClient(stack.url);
      await initialise(client, { 'x-api-key': API_KEY });
      await client.close();
    } finally {
      process.off('uncaughtException', record);
      await stack.close();
    }
  });

  it('does not count a socket that closes while its credential is being checked', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    let asked: () => void = () => undefined;
    const jwksAsked = new Promise<void>((resolve) => (asked = resolve));
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // The JWKS answers only once the socket is gone, so the close lands during authenticate().
    const jwks: Server = createServer((_request, response) => {
      asked();
      void answered.then(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address();
    const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_JWKS_URL: jwksUrl, SUBSCRIPTIONS_MAX_PER_CLIENT: '1' } });
    try {
      const token = await new SignJWT({ sub: 'dashboard' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime(Math.floor(stack.clock.now() / 1000) + 300).sign(privateKey);
      const gone = await openProtocolClient(stack.url);
      gone.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
      await jwksAsked;
      gone.socket.terminate();
      await gone.closed;
      const open = async () => (await stack.gateway.metrics.registry.getSingleMetric('graphql_subscription_connections')!.get()).values[0]?.value ?? 0;
      await until(async () => (await open()) === 0);
      answer();
      // With the closed socket counted, this client's one place would be taken for good (1008).
      const client = await openProtocolClient(stack.url);
      await initialise(client, { authorization: `Bearer ${token}` });
      await client.close();
    } finally {
      answer();
      await stack.close();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });

  it('closes promptly with a subscriber that does not read: its socket is cut after a grace', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    const client = await openProtocolClient(stack.url);
    await initialise(client, { 'x-api-key': API_KEY });
    subscribeEvents(client, 'live');
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    pauseReading(client, true);
    // Without the cut, ws waits 30 s for the close handshake: past this test's timeout.
    await expect(stack.close()).resolves.toBeUndefined();
    pauseReading(client, false);
    expect((await client.closed).code).not.toBe(1000);
  }, 10_000);
});

describe('a subscriber that stops reading', () => {
  it('is dropped once its socket and its buffer are full, while one that reads gets every event', async () => {
    const stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_API_KEYS: `${API_KEY},${OTHER_KEY}`, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SUBSCRIPTION_BUFFER_EVENTS: '8' },
    });
    try {
      await until(() => stack.gateway.core.live.servesLive());
      // Each join's event carries every participant so far, at 1 KB each: 300 joins write ~45 MB to each
      // subscriber, far past what the kernel holds for a socket that is not read.
      const document = 'subscription { sessionEvents(sessionId: "flood==", types: [USER_JOINED]) { user { name } session { users(first: 300) { nodes { name } } } } }';
      const [reader, stalled] = await Promise.all([openProtocolClient(stack.url), openProtocolClient(stack.url)]);
      await initialise(reader, { 'x-api-key': API_KEY });
      await initialise(stalled, { 'x-api-key': OTHER_KEY });
      for (const client of [reader, stalled]) client.send({ id: 'flood', type: 'subscribe', payload: { query: document } });
      await until(() => stack.gateway.core.live.subscriberCount === 2);
      pauseReading(stalled, true);
      const JOINS = 300;
      await floodOfJoins(stack, SECRET, 'flood==', JOINS);
      const last = await reader.next((message) => message.type === 'next' && (message.payload as { data: { sessionEvents: { user: { name: string } } } }).data.sessionEvents.user.name.startsWith(String(JOINS - 1).padStart(4, '0')), 30_000);
      expect(last).toBeDefined();
      expect(reader.messages.filter((message) => message.type === 'next')).toHaveLength(JOINS);
      await until(async () => (await stack.gateway.metrics.registry.getSingleMetric('graphql_subscribers_dropped_total')!.get()).values[0]?.value === 1, 10_000);
      pauseReading(stalled, false);
      // 1013 when its close frame reached it; 1006 when the socket was cut because it did not take the close within the grace.
      expect([1013, 1006]).toContain((await stalled.closed).code);
      // What it was sent before the close is a prefix of the events, in order, none of them twice.
      const names = stalled.messages.filter((message) => message.type === 'next').map((message) => (message.payload as { data: { sessionEvents: { user: { name: string } } } }).data.sessionEvents.user.name.slice(0, 4));
      expect(names.length).toBeLessThan(JOINS);
      expect(names).toEqual(Array.from({ length: names.length }, (_, n) => String(n).padStart(4, '0')));
      await reader.close();
    } finally {
      await stack.close();
    }
  }, 60_000);
});

describe('a subscriber whose socket dies with events still queued', () => {
  it('gives its subscription back: nothing stays subscribed for a socket that is gone', async () => {
    const stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_API_KEYS: API_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET },
    });
    try {
      await until(() => stack.gateway.core.live.servesLive());
      const document = 'subscription { sessionEvents(sessionId: "gone==", types: [USER_JOINED]) { user { name } session { users(first: 300) { nodes { name } } } } }';
      const stalled = await openProtocolClient(stack.url);
      await initialise(stalled, { 'x-api-key': API_KEY });
      stalled.send({ id: 'gone', type: 'subscribe', payload: { query: document } });
      await until(() => stack.gateway.core.live.subscriberCount === 1);
      pauseReading(stalled, true);
      // Enough joins to fill the kernel's buffers and leave writes waiting on the gateway's side, fewer than its event buffer.
      await floodOfJoins(stack, SECRET, 'gone==', 200);
      // The client vanishes: its pending writes fail before the socket's close is seen.
      stalled.socket.terminate();
      await until(() => stack.gateway.core.live.subscriberCount === 0, 10_000);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
