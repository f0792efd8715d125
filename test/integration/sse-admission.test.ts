import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startStack } from '../harness';
import { openProtocolClient } from '../live/ws-client';

const QUERY = JSON.stringify({ query: 'subscription { sessionEvents { type } }' });
const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An event stream asked for over a raw socket, held open until `leave`: the status of its answer. */
function askStream(url: string, headers: Record<string, string>): { status: Promise<number>; leave(): void } {
  const { port } = new URL(url);
  const head = Object.entries({ host: `127.0.0.1:${port}`, accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': String(QUERY.length), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const socket = connect(Number(port), '127.0.0.1', () => socket.write(`POST /graphql/stream HTTP/1.1\r\n${head}\r\n${QUERY}`));
  const status = new Promise<number>((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1])));
    socket.once('error', reject);
    socket.once('close', () => resolve(0));
  });
  return { status, leave: () => socket.destroy() };
}

describe('an event stream whose client leaves while its token is checked', () => {
  let jwks: Server | undefined;

  afterAll(async () => {
    await new Promise((resolve) => (jwks ? jwks.close(resolve) : resolve(undefined)));
  });

  it('gives back its connection and its place: the client may open as many streams again', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
    // A key set that takes its time, as a remote one can: the stream's token is checked meanwhile.
    const server = createServer((_request, response) => setTimeout(() => response.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [key] })), 800));
    jwks = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`, SUBSCRIPTIONS_MAX_PER_CLIENT: '3', SUBSCRIPTIONS_MAX_CONNECTIONS: '4' },
    });
    try {
      const signed = `${base64url({ alg: 'ES256', kid: 'k1', typ: 'JWT' })}.${base64url({ sub: 'bob', exp: Math.floor(stack.clock.now() / 1000) + 3_600 })}`;
      const bearer = { authorization: `Bearer ${signed}.${sign('sha256', Buffer.from(signed), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}` };
      const leaving = [0, 1, 2].map(() => askStream(stack.url, bearer));
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const stream of leaving) stream.leave();
      // Their token checks end after they left. Had they kept what they took, the client would be at its cap and one place left.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const streams = [0, 1, 2].map(() => askStream(stack.url, bearer));
      expect(await Promise.all(streams.map((stream) => stream.status))).toEqual([200, 200, 200]);
      for (const stream of streams) stream.leave();
    } finally {
      await stack.close();
    }
  });
});

describe('a bearer token that names no subject', () => {
  it('is one client however its Authorization header is written', async () => {
    const secret = 'sse-admission-jwt-secret-0123456789abcdef';
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_JWT_SECRET: secret, SUBSCRIPTIONS_MAX_PER_CLIENT: '3' } });
    try {
      const signed = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ exp: Math.floor(stack.clock.now() / 1000) + 3_600 })}`;
      const token = `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
      const streams = [];
      // One at a time, each held open: each counts while the next is asked.
      for (const authorization of [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`, `Bearer\t${token}`, `bEaReR ${token}`]) {
        const stream = askStream(stack.url, { authorization });
        await stream.status;
        streams.push(stream);
      }
      expect(await Promise.all(streams.map((stream) => stream.status))).toEqual([200, 200, 200, 429, 429]);
      for (const stream of streams) stream.leave();
    } finally {
      await stack.close();
    }
  });
});

describe('an event stream when every place is held', () => {
  it('takes the place of the oldest WebSocket that sent no connection_init, as a WebSocket would', async () => {
    const stack = await startStack({ simulator: { sessions: [] }, env: { SUBSCRIPTIONS_MAX_CONNECTIONS: '4' } });
    try {
      const idle = [];
      for (let at = 0; at < 4; at += 1) idle.push(await openProtocolClient(stack.url));
      const stream = askStream(stack.url, {});
      expect(await stream.status).toBe(200);
      // graphql-ws's code for a socket that did not initialise in time: its clients retry on it.
      expect((await idle[0].closed).code).toBe(4408);
      stream.leave();
      for (const client of idle) client.socket.terminate();
    } finally {
      await stack.close();
    }
  });
});
