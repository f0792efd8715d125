import { IncomingMessage, request as httpRequest } from 'node:http';
import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { floodOfJoins, simSession } from '../live/webhook-flood';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';

const API_KEY = 'sse-client-key-0123456789';
const SECRET = 'zoom-webhook-secret-token-for-sse';

interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** An event stream read as a real client reads it: the body's bytes, split into `event:`/`data:` messages. */
interface EventStream {
  readonly status: number;
  readonly events: SseEvent[];
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

async function openStream(url: string, query: string, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url.replace(/\/graphql$/, '/graphql/stream'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  let wake: () => void = () => undefined;
  if (response.body && (response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffered = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffered += value;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            const block = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event !== undefined) events.push({ event, data: data === undefined || data === '' ? null : JSON.parse(data) });
            wake();
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  } else {
    events.push({ event: 'body', data: await response.json() });
  }
  let taken = 0;
  return {
    status: response.status,
    events,
    async next(match, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (taken < events.length) {
          const event = events[taken++];
          if (match(event)) return event;
        }
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => abort.abort(),
  };
}

describe('subscriptions over Server-Sent Events on /graphql/stream', () => {
  let stack: Stack;
  let webhooks: string;

  beforeAll(async () => {
    stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_API_KEYS: API_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SUBSCRIPTIONS_MAX_PER_CLIENT: '3', CORS_ORIGINS: 'https://app.example' },
    });
    webhooks = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await stack.close();
  });

  it('streams the events of a signed webhook flow, then gives the place back when the client leaves', async () => {
    const stream = await openStream(stack.url, 'subscription { sessionEvents(sessionId: "sse==") { type sessionId session { sessionName userCount } user { name } } }');
    expect(stream.status).toBe(200);
    await until(() => stack.gateway.core.live.subscriberCount === 1);
    const now = stack.clock.now();
    const session = simSession('sse==', now);
    const user = { id: 'u1', name: 'Ada', participant_uuid: 'p-1' };
    expect(await postWebhook(webhooks, SECRET, sessionEvent('session.started', session, now), now)).toBe(200);
    expect(await postWebhook(webhooks, SECRET, userEvent('session.user_joined', session, user, now + 1), now)).toBe(200);
    expect(await postWebhook(webhooks, SECRET, sessionEvent('session.ended', session, now + 2), now)).toBe(200);
    const types: unknown[] = [];
    for (let i = 0; i < 3; i++) types.push(((await stream.next((event) => event.event === 'next')).data as { data: { sessionEvents: { type: string } } }).data.sessionEvents.type);
    expect(types).toEqual(['SESSION_STARTED', 'USER_JOINED', 'SESSION_ENDED']);
    expect(stream.events[1].data).toMatchObject({ data: { sessionEvents: { sessionId: 'sse==', user: { name: 'Ada' } } } });
    stream.close();
    await until(() => stack.gateway.core.live.subscriberCount === 0);
  });

  it('asks for the same credentials, origins and documents as the WebSocket', async () => {
    const query = 'subscription { sessionEvents { type } }';
    const anonymous = await openStream(stack.url, query, {});
    expect([anonymous.status, anonymous.events[0].data]).toEqual([401, { errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] }]);
    const foreign = await openStream(stack.url, query, { 'x-api-key': API_KEY, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const invalid = await openStream(stack.url, 'subscription { sessionEvents { noSuchField } }');
    expect([invalid.status, invalid.events[0].data]).toEqual([400, { errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] }]);
    // graphql-js 16 would throw at subscribe on a skipped root field: refused by validation instead.
    const skipped = await openStream(stack.url, 'subscription { sessionEvents @skip(if: true) { type } }');
    expect([skipped.status, skipped.events[0].data]).toEqual([400, { errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] }]);
    const badVariables = await fetch(stack.url.replace(/\/graphql$/, '/graphql/stream'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': API_KEY },
      body: JSON.stringify({ query, variables: [1] }),
    });
    expect([badVariables.status, await badVariables.json()]).toEqual([400, { errors: [{ message: 'Invalid variables', extensions: { code: 'BAD_REQUEST' } }] }]);
    // Refusals graphql-sse makes without a body speak GraphQL too.
    for (const [headers, status, code] of [
      [{ accept: 'application/json', 'content-type': 'application/json' }, 404, 'NOT_FOUND'],
      [{ accept: 'text/event-stream', 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      // As over POST /graphql: JSON in another charset, or compressed, is refused before it is read.
      [{ accept: 'text/event-stream', 'content-type': 'application/json; charset=latin1' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ accept: 'text/event-stream', 'content-type': 'application/json', 'content-encoding': 'gzip' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ] as const) {
      const refused = await fetch(stack.url.replace(/\/graphql$/, '/graphql/stream'), { method: 'POST', headers: { ...headers, 'x-api-key': API_KEY }, body: JSON.stringify({ query }) });
      expect([refused.status, refused.headers.get('content-type'), ((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code]).toEqual([
        status,
        'application/json; charset=utf-8',
        code,
      ]);
    }
    const query2 = await openStream(stack.url, '{ __typename }');
    expect([query2.status, query2.events[0].data]).toEqual([400, { errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] }]);
  });

  it('counts a client\'s connections and subscriptions across WebSocket and SSE', async () => {
    const socket = await openProtocolClient(stack.url);
    await initialise(socket, { 'x-api-key': API_KEY });
    subscribeEvents(socket, 'one');
    subscribeEvents(socket, 'two');
    const first = await openStream(stack.url, 'subscription { sessionEvents { type } }');
    await until(() => stack.gateway.core.live.subscriberCount === 3);
    // The client's fourth subscription, on its third connection.
    const refused = await openStream(stack.url, 'subscription { sessionEvents { type } }');
    expect((await refused.next((event) => event.event === 'next')).data).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', setting: 'SUBSCRIPTIONS_MAX_PER_CLIENT', max: 3 } })] });
    await refused.next((event) => event.event === 'complete');
    // Three connections held: a fourth is refused before it holds anything.
    socket.send({ id: 'two', type: 'complete' });
    await until(() => stack.gateway.core.live.subscriberCount === 2);
    const held = await openStream(stack.url, 'subscription { sessionEvents { type } }');
    await until(() => stack.gateway.core.live.subscriberCount === 3);
    const fourth = await openStream(stack.url, 'subscription { sessionEvents { type } }');
    expect([fourth.status, fourth.events[0].data]).toEqual([429, { errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' } })] }]);
    for (const stream of [first, refused, held]) stream.close();
    await socket.close();
    await until(() => stack.gateway.core.live.subscriberCount === 0);
  });
});

describe('event streams at shutdown', () => {
  it('ends open streams when the gateway closes, instead of holding the close open', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    const stream = await openStream(stack.url, 'subscription { sessionEvents { type } }');
    await until(() => stack.gateway.core.live.subscriberCount === 1);
    await stack.close();
    expect(stack.gateway.core.live.subscriberCount).toBe(0);
    stream.close();
  }, 10_000);
});

describe('subscriptions are priced as queries are, per event', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, LIMIT_MAX_HEAVY_COST: '5' }, headers: { 'x-api-key': API_KEY } });
    // The first reconciliation of the live set lists live sessions once: counted before the test counts.
    await until(() => stack.gateway.core.live.servesLive());
  });
  afterAll(() => stack.close());

  // Per event: one participants page and thirty 10-entry QoS pages: 31 Heavy calls, over the limit of 5.
  const dear = 'subscription { sessionEvents { session { users(first: 300) { nodes { qos { samples { dateTime } } } } } } }';
  // One details call and one participants page: 2.
  const cheap = 'subscription { sessionEvents { session { sessionNumber users { nodes { name } } } } }';

  it('refuses a subscription whose events would each cost more than LIMIT_MAX_HEAVY_COST, over both transports, before any Zoom call', async () => {
    const calls = stack.zoom.calls();
    const socket = await openProtocolClient(stack.url);
    await initialise(socket, { 'x-api-key': API_KEY });
    socket.send({ id: 'dear', type: 'subscribe', payload: { query: dear } });
    const refused = await socket.next((message) => message.id === 'dear');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'heavyCost', max: 5, found: 31 } }] });
    const stream = await openStream(stack.url, dear);
    expect([stream.status, stream.events[0].data]).toEqual([400, { errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_LIMIT_EXCEEDED', found: 31 }) })] }]);
    // The same selection in a query is priced by the same rules: 31, and 1 for the details call that session(id) always makes.
    const query = await stack.post({ query: '{ session(id: "x") { users(first: 300) { nodes { qos { samples { dateTime } } } } } }' });
    expect(query.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'heavyCost', found: 32 });
    expect(stack.zoom.calls()).toBe(calls);
    await socket.close();
  });

  it('accepts one within the limit, and the same document with variables that make it dear is refused', async () => {
    const socket = await openProtocolClient(stack.url);
    await initialise(socket, { 'x-api-key': API_KEY });
    socket.send({ id: 'cheap', type: 'subscribe', payload: { query: cheap } });
    const withFirst = 'subscription Events($first: Int) { sessionEvents { session { users(first: $first) { nodes { qos { samples { dateTime } } } } } } }';
    socket.send({ id: 'small', type: 'subscribe', payload: { query: withFirst, variables: { first: 10 } } });
    socket.send({ id: 'large', type: 'subscribe', payload: { query: withFirst, variables: { first: 300 } } });
    const large = await socket.next((message) => message.id === 'large');
    expect(large).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', found: 31 } }] });
    // A variable named after a member of Object.prototype is read as its default, as execution reads it.
    socket.send({ id: 'proto', type: 'subscribe', payload: { query: withFirst.replace(/\$first/g, '$constructor').replace('Int)', 'Int = 300)') } });
    expect(await socket.next((message) => message.id === 'proto')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', found: 31 } }] });
    // Variables execution would refuse are refused on subscribe, with the code POST /graphql gives them.
    socket.send({ id: 'typed', type: 'subscribe', payload: { query: withFirst, variables: { first: '300' } } });
    expect(await socket.next((message) => message.id === 'typed')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    // A variable the operation does not declare, nested 5,000 deep, is not read at all.
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    socket.socket.send(`{"id":"deep","type":"subscribe","payload":{"query":${JSON.stringify(withFirst)},"variables":{"first":1,"junk":${deep}}}}`);
    // The two others hold: no error came for them, and the gateway counts them as live subscriptions.
    await until(() => stack.gateway.core.live.subscriberCount === 3);
    await socket.close();
    await until(() => stack.gateway.core.live.subscriberCount === 0);
  });
});

/**
 * A stream read with node:http, whose socket stops being read once the answer starts, as a client whose
 * network stalls; `resume()` reads what reached it until the gateway ends or cuts the stream.
 */
async function openStalledStream(url: string, query: string): Promise<{ resume(): Promise<{ text: string; cut: boolean }> }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest(url.replace(/\/graphql$/, '/graphql/stream'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': API_KEY },
    });
    request.once('response', resolve).once('error', reject);
    request.end(JSON.stringify({ query }));
  });
  response.socket.pause();
  response.pause();
  return {
    resume: () =>
      new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const done = (cut: boolean) => resolve({ text: Buffer.concat(chunks).toString('utf8'), cut });
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => done(!response.complete));
        response.once('error', () => done(true));
        response.once('aborted', () => done(true));
        response.socket.resume();
        response.resume();
      }),
  };
}

describe('an event stream whose reader stops reading', () => {
  it('is dropped once its socket and its queue are full, not left to fill a buffer, while a stream that reads gets every event', async () => {
    // The unsent-bytes bound far above the ~45 MB of the flood: only the subscriber's queue can drop the stalled stream.
    const env = { GATEWAY_API_KEYS: API_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SUBSCRIPTION_BUFFER_EVENTS: '8', HTTP_MAX_UNSENT_BYTES: String(256 * 1024 * 1024) };
    const stack = await startStack({ simulator: { sessions: [] }, env });
    try {
      await until(() => stack.gateway.core.live.servesLive());
      // Each join's event carries every participant so far, at 1 KB each: 300 joins are ~45 MB a stream.
      const query = 'subscription { sessionEvents(sessionId: "flood==", types: [USER_JOINED]) { user { name } session { users(first: 300) { nodes { name } } } } }';
      const nameOf = (event: SseEvent) => (event.data as { data: { sessionEvents: { user: { name: string } } } }).data.sessionEvents.user.name.slice(0, 4);
      const reader = await openStream(stack.url, query);
      const stalled = await openStalledStream(stack.url, query);
      await until(() => stack.gateway.core.live.subscriberCount === 2);
      const JOINS = 300;
      await floodOfJoins(stack, SECRET, 'flood==', JOINS);
      await reader.next((event) => event.event === 'next' && nameOf(event) === String(JOINS - 1).padStart(4, '0'), 30_000);
      expect(reader.events.filter((event) => event.event === 'next')).toHaveLength(JOINS);
      await until(() => stack.gateway.core.live.subscriberCount === 1, 10_000);
      expect(await stack.gateway.metrics.value(stack.gateway.core.live.metrics.droppedSubscribers)).toBe(1);
      const { text, cut } = await stalled.resume();
      expect(cut).toBe(true);
      // What reached it before the cut is a prefix of the events, in order, none of them twice.
      // Only whole messages: the last one may be cut off.
      const names = text.split('\n\n').slice(0, -1).flatMap((block) => {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        return /^event: next$/m.test(block) && data !== undefined && data !== '' ? [nameOf({ event: 'next', data: JSON.parse(data) })] : [];
      });
      expect(names.length).toBeLessThan(JOINS);
      expect(names).toEqual(Array.from({ length: names.length }, (_, n) => String(n).padStart(4, '0')));
      reader.close();
      await until(() => stack.gateway.core.live.subscriberCount === 0);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('is cut when it takes no byte for HTTP_SEND_STALL_TIMEOUT_MS, though its queue has room', async () => {
    // A queue that never fills and an unsent-bytes bound far above the flood: only the stall cuts it.
    const env = { GATEWAY_API_KEYS: API_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SUBSCRIPTION_BUFFER_EVENTS: '1000', HTTP_MAX_UNSENT_BYTES: String(256 * 1024 * 1024), HTTP_SEND_STALL_TIMEOUT_MS: '1000' };
    const stack = await startStack({ simulator: { sessions: [] }, env });
    try {
      await until(() => stack.gateway.core.live.servesLive());
      const query = 'subscription { sessionEvents(sessionId: "stall==", types: [USER_JOINED]) { session { users(first: 300) { nodes { name } } } } }';
      const stalled = await openStalledStream(stack.url, query);
      await until(() => stack.gateway.core.live.subscriberCount === 1);
      await floodOfJoins(stack, SECRET, 'stall==', 150);
      await until(() => stack.gateway.core.live.subscriberCount === 0, 15_000);
      expect(await stack.gateway.metrics.value(stack.gateway.core.live.metrics.droppedSubscribers)).toBe(1);
      expect((await stalled.resume()).cut).toBe(true);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
