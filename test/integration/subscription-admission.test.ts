import WebSocket from 'ws';
import { capturedLogger } from '../services/log-lines';
import { startGatewayProcess } from '../services/gateway-process';
import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';

const API_KEY = 'admission-client-key-0123456789';

/** A dashboard as a browser opens one: no header on the upgrade, its key in connection_init at once. */
async function dashboard(url: string, headers: Record<string, string> = {}): Promise<ProtocolClient> {
  const client = await openProtocolClient(url, headers);
  await initialise(client, { 'x-api-key': API_KEY });
  return client;
}

/** The HTTP status an upgrade is refused with, or 101 when it is accepted (then closed). */
async function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => resolve(0));
  });
}

describe('places go to credentials first', () => {
  it('accepts 1,000 dashboards connecting at once from one address', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    try {
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 1_000 }, () => dashboard(stack.url)));
      const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      // A figure for the record, not a check: the suite's timeout is the bound.
      process.stdout.write(`1,000 dashboards at once: ${accepted} accepted in ${Math.round(performance.now() - started)} ms\n`);
      expect(accepted).toBe(1_000);
      await Promise.all(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.close() : undefined)));
    } finally {
      await stack.close();
    }
  }, 10_000);

  it('accepts them all while 100 idle sockets a second arrive from the same address', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    const idle: ProtocolClient[] = [];
    let flooding = true;
    const flood = (async () => {
      while (flooding) {
        // Ten every 100 ms: 100 a second that never send connection_init.
        const opened = await Promise.allSettled(Array.from({ length: 10 }, () => openProtocolClient(stack.url)));
        for (const outcome of opened) if (outcome.status === 'fulfilled') idle.push(outcome.value);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      // The flood has the share of places before the dashboards come.
      await until(() => idle.length >= 100, 5_000);
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 1_000 }, () => dashboard(stack.url)));
      const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      process.stdout.write(`1,000 dashboards amid 100 idle/s: ${accepted} accepted in ${Math.round(performance.now() - started)} ms; ${idle.length} idle sockets opened\n`);
      expect(accepted).toBe(1_000);
      await Promise.all(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.close() : undefined)));
    } finally {
      flooding = false;
      await flood;
      for (const client of idle) client.socket.terminate();
      await stack.close();
    }
  }, 20_000);

  it('gives a newcomer the place of the oldest uninitialised socket, never an initialised one\'s', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY, SUBSCRIPTIONS_MAX_CONNECTIONS: '4' } });
    try {
      const first = await dashboard(stack.url);
      const idle = [await openProtocolClient(stack.url), await openProtocolClient(stack.url), await openProtocolClient(stack.url)];
      // Full: the newcomer takes the oldest idle socket's place, which is closed as timed out.
      const second = await dashboard(stack.url);
      expect(await idle[0].closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
      const third = await dashboard(stack.url);
      expect((await idle[1].closed).code).toBe(4408);
      const fourth = await dashboard(stack.url);
      expect((await idle[2].closed).code).toBe(4408);
      // Four initialised sockets: nothing left to evict.
      await expect(openProtocolClient(stack.url)).rejects.toThrow('upgrade answered 503');
      await Promise.all([first, second, third, fourth].map((client) => client.close()));
    } finally {
      await stack.close();
    }
  });
});

describe('sockets on their way out', () => {
  it('give their place back at once, even when the client stops reading the close', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY, SUBSCRIPTIONS_MAX_CONNECTIONS: '2' } });
    try {
      const refused = await Promise.all([openProtocolClient(stack.url), openProtocolClient(stack.url)]);
      for (const client of refused) {
        client.send({ type: 'connection_init', payload: { 'x-api-key': 'not-a-key-of-this-gateway' } });
        (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      }
      // Neither waits in the evictable set any more: were their places held until ws's 30 s close timeout, these would get 503.
      await until(async () => (await upgradeStatus(stack.url, {})) === 101, 3_000);
      const dashboards = [await dashboard(stack.url), await dashboard(stack.url)];
      await Promise.all(dashboards.map((client) => client.close()));
      for (const client of refused) client.socket.terminate();
    } finally {
      await stack.close();
    }
  });
});

describe('a client that sends without reading', () => {
  it('is let go once the answers it left unread pass the bound, instead of queueing one for each message (a ping flood)', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY } });
    try {
      const client = await dashboard(stack.url);
      const wire = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      wire.pause();
      // A pong echoes its ping's payload: 20 MB of answers, several times what loopback's kernel buffers take.
      const PINGS = 20_000;
      const payload = { pad: 'x'.repeat(1_000) };
      for (let ping = 0; ping < PINGS; ping += 1) client.send({ type: 'ping', payload });
      // Time for the gateway to read them all and answer what it will, then the client reads what it was sent.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      wire.resume();
      const closed = await Promise.race([client.closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000))]);
      const pongs = client.messages.filter((message) => message.type === 'pong').length;
      // Closed by the gateway (1008, or 1006 when the close frame was still queued behind the pongs as it cut the
      // socket): before the bound it answered every ping and kept the socket.
      expect({ closed: closed !== undefined && [1006, 1008].includes(closed.code), answeredEveryPing: pongs === PINGS }).toEqual({ closed: true, answeredEveryPing: false });
      client.socket.terminate();
    } finally {
      await stack.close();
    }
  }, 60_000);
});

describe('a client that resets its connection behind a burst of messages', () => {
  it('costs no stack on stderr and no error line: the answers that could not be written were for nobody', async () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { logger, lines } = capturedLogger('debug');
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY }, logger });
    try {
      for (let round = 0; round < 3; round += 1) {
        const client = await dashboard(stack.url);
        for (let ping = 0; ping < 2_000; ping += 1) client.send({ type: 'ping' });
        (client.socket as unknown as { _socket: { resetAndDestroy(): void } })._socket.resetAndDestroy();
        await until(() => stack.gateway.core.live.metrics.subscriptionConnections.get().then((gauge) => gauge.values[0]?.value === 0));
      }
      // Time for the gateway to read what it was sent and fail to answer it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(printed).not.toHaveBeenCalled();
      // pino's levels: 50 is error.
      expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
    } finally {
      printed.mockRestore();
      await stack.close();
    }
  });
});

describe('a subscription id completed and reused while its first subscribe is still being set up', () => {
  it('leaves nothing running once the socket closes, though graphql-ws loses sight of the first; nothing on stderr', async () => {
    const gateway = await startGatewayProcess({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_API_KEYS: API_KEY });
    const subscriptions = async () => Number(/^graphql_subscriptions (\d+)$/m.exec(await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text())?.[1]);
    try {
      const client = await dashboard(gateway.url);
      // In one burst, as a hostile client sends it: subscribe, complete, and subscribe again under each id.
      const wire = (client.socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      wire.cork();
      for (let at = 0; at < 5; at += 1) {
        subscribeEvents(client, `id-${at}`);
        client.send({ id: `id-${at}`, type: 'complete' });
        subscribeEvents(client, `id-${at}`);
      }
      wire.uncork();
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
      await until(async () => (await subscriptions()) >= 5);
      await client.close();
      // graphql-ws held only the second of each id: the first would have run, holding its place, until restart.
      await until(async () => (await subscriptions()) === 0);
      // And the client's cap is whole again: as many subscriptions as before on a new socket.
      const again = await dashboard(gateway.url);
      for (let at = 0; at < 5; at += 1) subscribeEvents(again, `again-${at}`);
      await until(async () => (await subscriptions()) === 5);
      await again.close();
      // Ended through one listener per socket, not one per subscription: Node warns on stderr past ten.
      const notJson = gateway.output().split('\n').filter((line) => line !== '' && !line.startsWith('{'));
      expect(notJson).toEqual([]);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});

describe('client identity in anonymous mode', () => {
  it('holds 30 sockets with 30 made-up keys from one address to one client\'s caps', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off', SUBSCRIPTIONS_MAX_PER_CLIENT: '5', SUBSCRIPTIONS_MAX_PER_CONNECTION: '2' } });
    try {
      const clients = await Promise.all(Array.from({ length: 30 }, () => openProtocolClient(stack.url)));
      await Promise.all(clients.map((client, index) => {
        client.send({ type: 'connection_init', payload: { 'x-api-key': `made-up-key-${index}` } });
        return client.next((message) => message.type === 'connection_ack', 3_000).then(() => 'acked', () => 'closed');
      }));
      const open = clients.filter((client) => client.socket.readyState === WebSocket.OPEN);
      expect(open).toHaveLength(5);
      for (const client of clients.filter((each) => !open.includes(each))) expect((await client.closed).code).toBe(1008);
      // Ten subscriptions asked by the five sockets: the client may hold five.
      for (const [index, client] of open.entries()) {
        subscribeEvents(client, `s${index}`);
        subscribeEvents(client, `t${index}`);
      }
      await until(() => stack.gateway.core.live.subscriberCount === 5);
      const refusals = await Promise.all(open.map(async (client) => {
        client.send({ type: 'ping' });
        await client.next((message) => message.type === 'pong');
        return client.messages.filter((message) => message.type === 'next');
      }));
      expect(refusals.flat().map((message) => message.payload)).toEqual(Array.from({ length: 5 }, () => ({ errors: [expect.objectContaining({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', setting: 'SUBSCRIPTIONS_MAX_PER_CLIENT', max: 5 } })] })));
      await Promise.all(clients.map((client) => client.close()));
    } finally {
      await stack.close();
    }
  });
});

describe('the client address behind a trusted proxy', () => {
  it('counts anonymous clients by X-Forwarded-For from a trusted proxy, and by the peer otherwise', async () => {
    const connect = async (url: string, forwardedFor: string): Promise<ProtocolClient> => {
      const client = await openProtocolClient(url, { 'x-forwarded-for': forwardedFor });
      client.send({ type: 'connection_init', payload: {} });
      await client.next((message) => message.type === 'connection_ack', 3_000).catch(() => undefined);
      return client;
    };
    const isOpen = (client: ProtocolClient) => client.socket.readyState === WebSocket.OPEN;
    const env = { GATEWAY_AUTH: 'off', SUBSCRIPTIONS_MAX_PER_CLIENT: '1' };
    const behind = await startStack({ simulator: { sessions: [] }, env: { ...env, TRUSTED_PROXIES: '127.0.0.0/8' } });
    try {
      // Two browsers behind the proxy are two clients; a third socket of the first is its second.
      const [first, second, again] = [await connect(behind.url, '198.51.100.1'), await connect(behind.url, '198.51.100.2'), await connect(behind.url, '198.51.100.1')];
      expect([isOpen(first), isOpen(second), isOpen(again)]).toEqual([true, true, false]);
      expect((await again.closed).code).toBe(1008);
      await Promise.all([first.close(), second.close()]);
    } finally {
      await behind.close();
    }
    const direct = await startStack({ simulator: { sessions: [] }, env });
    try {
      // Not from a trusted proxy: the header is the client's own word, and both sockets are 127.0.0.1's.
      const [first, second] = [await connect(direct.url, '198.51.100.1'), await connect(direct.url, '198.51.100.2')];
      expect([isOpen(first), isOpen(second)]).toEqual([true, false]);
      await first.close();
    } finally {
      await direct.close();
    }
  });
});

describe('origin of the upgrade', () => {
  it('refuses a foreign Origin with 403 when CORS_ORIGINS is a list; takes listed and own origins', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off', CORS_ORIGINS: 'https://app.example' } });
    try {
      const host = new URL(stack.url).host;
      expect(await upgradeStatus(stack.url, { origin: 'https://evil.example' })).toBe(403);
      expect(await upgradeStatus(stack.url, { origin: 'null' })).toBe(403);
      expect(await upgradeStatus(stack.url, { origin: 'https://app.example' })).toBe(101);
      expect(await upgradeStatus(stack.url, { origin: `http://${host}` })).toBe(101);
      expect(await upgradeStatus(stack.url, {})).toBe(101);
    } finally {
      await stack.close();
    }
  });
});

describe('browser origins a development gateway takes when CORS_ORIGINS is not set', () => {
  it('are the pages of this machine and the gateway\'s own, over CORS, WebSocket and event streams: a page on another site reads nothing', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off' } });
    try {
      const streams = stack.url.replace(/\/graphql$/, '/graphql/stream');
      const preflight = (origin: string) =>
        fetch(stack.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }).then((response) => response.headers.get('access-control-allow-origin'));
      const stream = (origin: string) =>
        fetch(streams, { method: 'POST', headers: { origin, accept: 'text/event-stream', 'content-type': 'application/json' }, body: JSON.stringify({ query: 'subscription { sessionEvents { type } }' }) }).then(async (response) => {
          await response.body?.cancel();
          return response.status;
        });
      const origins = ['http://localhost:5173', 'http://127.0.0.1:3000', `http://${new URL(stack.url).host}`, 'https://evil.example', 'http://localhost.evil.example'];
      // The gateway's own origin here is on loopback too.
      expect(await Promise.all(origins.map(preflight))).toEqual([...origins.slice(0, 3), null, null]);
      // A foreign page's preflight is told why, not given Apollo's CSRF refusal.
      const refused = await fetch(stack.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect([refused.status, ((await refused.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]]).toEqual([403, { message: 'This origin may not call the gateway from a browser: it is not in CORS_ORIGINS.', extensions: { code: 'FORBIDDEN' } }]);
      expect(await Promise.all(origins.map((origin) => upgradeStatus(stack.url, { origin })))).toEqual([101, 101, 101, 403, 403]);
      expect(await Promise.all(origins.map(stream))).toEqual([200, 200, 200, 403, 403]);
    } finally {
      await stack.close();
    }
  });
});

describe('invalid documents are the client\'s errors', () => {
  it('answers them with the codes POST /graphql gives, logging none at error level', async () => {
    const { logger, lines } = capturedLogger('debug');
    const stack: Stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: API_KEY }, logger });
    try {
      const client = await dashboard(stack.url);
      const documents = {
        syntax: 'subscription { sessionEvents { type }',
        unknown: 'subscription { sessionEvents { noSuchField } }',
        twoRoots: 'subscription { sessionEvents { type } liveSessions { id } }',
        skipped: 'subscription { sessionEvents @skip(if: true) { type } }',
        includedThroughFragment: 'subscription($on: Boolean = true) { ...Root } fragment Root on Subscription { ... @include(if: $on) { sessionEvents { type } } }',
      };
      const codes: Record<string, unknown> = {};
      for (const [id, query] of Object.entries(documents)) {
        client.send({ id, type: 'subscribe', payload: { query } });
        const answer = await client.next((message) => message.id === id);
        expect(answer.type).toBe('error');
        codes[id] = (answer.payload as { extensions: { code: string } }[]).map((error) => error.extensions.code);
      }
      expect(codes).toEqual({
        syntax: ['GRAPHQL_PARSE_FAILED'],
        unknown: ['GRAPHQL_VALIDATION_FAILED'],
        twoRoots: ['GRAPHQL_VALIDATION_FAILED'],
        skipped: ['GRAPHQL_VALIDATION_FAILED'],
        includedThroughFragment: ['GRAPHQL_VALIDATION_FAILED'],
      });
      // Over HTTP the same documents get the same codes.
      for (const [id, query] of Object.entries(documents)) {
        const answer = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify({ query }) });
        const body = (await answer.json()) as { errors: { extensions: { code: string } }[] };
        expect([id, body.errors.map((error) => error.extensions.code)]).toEqual([id, codes[id]]);
      }
      await client.close();
      // pino's levels: 50 is error, 30 info.
      expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
      expect(lines.filter((line) => line.msg === 'subscribe refused')).toHaveLength(Object.keys(documents).length);
    } finally {
      await stack.close();
    }
  });
});
