import { request as httpRequest } from 'node:http';
import { Stack, startStack } from '../harness';
import { capturedLogger } from '../services/log-lines';

/** A request whose Host a browser on a rebound name would send, which fetch cannot set: the status, and the error code if any. */
async function send(stack: Stack, options: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; code?: string }> {
  const { status, code } = await answer(stack, options);
  return code === undefined ? { status } : { status, code };
}

function answer(stack: Stack, options: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; code?: string; message?: string }> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { 'apollo-require-preflight': 'true', ...options.headers, host: options.host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // An event stream that opened never ends by itself: its status is what is asked.
        if (response.headers['content-type']?.startsWith('text/event-stream')) response.destroy();
      });
      response.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let error: { message?: string; extensions?: { code?: string } } | undefined;
        try {
          error = (JSON.parse(text) as { errors?: { message?: string; extensions?: { code?: string } }[] }).errors?.[0];
        } catch {
          error = undefined;
        }
        resolve({ status: response.statusCode ?? 0, code: error?.extensions?.code, message: error?.message });
      });
    });
    outgoing.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0 });
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const QUERY = '/graphql?query=%7B__typename%7D';
const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'graphql-transport-ws' };
const stream = { accept: 'text/event-stream', 'content-type': 'application/json' };
const SUBSCRIBE = JSON.stringify({ query: 'subscription { sessionEvents { type } }' });

/**
 * DNS rebinding: a page on a name its author controls, re-pointed at the gateway's address, is
 * same-origin with the gateway in the browser (neither CORS nor the Origin check stands in its
 * way), and its requests carry that name as Host. An anonymous gateway answers only its own names.
 */
describe('an anonymous gateway, reached under a name that is not its own', () => {
  let stack: Stack;
  let port: string;
  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off', ALLOWED_HOSTS: 'gateway.internal.example,.apps.example,zoom_gateway', ZOOM_WEBHOOK_SECRET_TOKEN: 'zoom-webhook-secret-token-for-tests', TRUSTED_PROXIES: '127.0.0.1' } });
    port = new URL(stack.url).port;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses queries, subscriptions over WebSocket and event streams, the explorer and the dashboard, with 403 FORBIDDEN', async () => {
    const host = `rebound.evil.example:${port}`;
    const origin = `http://${host}`;
    expect(await send(stack, { path: QUERY, host })).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await send(stack, { method: 'POST', path: '/graphql', host, headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await send(stack, { path: '/graphql', host, headers: { origin, ...upgrade } })).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await send(stack, { method: 'POST', path: '/graphql/stream', host, headers: { origin, ...stream }, body: SUBSCRIBE })).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await send(stack, { path: '/graphql', host, headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await send(stack, { path: '/dashboard/', host })).status).toBe(403);
    // Through a trusted proxy, the name the browser used is the one the proxy forwards.
    expect(await send(stack, { path: QUERY, host: `127.0.0.1:${port}`, headers: { 'x-forwarded-host': host } })).toEqual({ status: 403, code: 'FORBIDDEN' });
    // A rebound page writes X-Forwarded-Host itself (same-origin, no preflight): from a trusted address, straight or
    // through a proxy that passes it on or appends to it, no entry is believed over the others (found by review).
    for (const forwarded of ['localhost', '127.0.0.1', `localhost, ${host}`]) {
      expect(await send(stack, { path: QUERY, host, headers: { 'x-forwarded-host': forwarded } })).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect(await send(stack, { path: QUERY, host: `127.0.0.1:${port}`, headers: { 'x-forwarded-host': `localhost, ${host}` } })).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('answers under its own names: addresses, localhost and ALLOWED_HOSTS (exact, or a domain\'s names)', async () => {
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`, `app.localhost:${port}`, `gateway.internal.example:${port}`, 'GATEWAY.internal.example', `team.apps.example:${port}`]) {
      expect({ host, ...(await send(stack, { path: QUERY, host })) }).toEqual({ host, status: 200 });
    }
    expect((await send(stack, { path: '/graphql', host: `localhost:${port}`, headers: { origin: `http://localhost:${port}`, ...upgrade } })).status).toBe(101);
    // Behind a proxy that sends its own Host (an address, or a container's service name listed) and forwards the browser's.
    expect(await send(stack, { path: QUERY, host: `127.0.0.1:${port}`, headers: { 'x-forwarded-host': 'gateway.internal.example' } })).toEqual({ status: 200 });
    expect(await send(stack, { path: QUERY, host: 'zoom_gateway:4000', headers: { 'x-forwarded-host': 'gateway.internal.example' } })).toEqual({ status: 200 });
    expect((await send(stack, { path: '/graphql', host: 'zoom_gateway:4000', headers: { 'x-forwarded-host': 'team.apps.example', origin: 'http://team.apps.example', ...upgrade } })).status).toBe(101);
    expect((await send(stack, { method: 'POST', path: '/graphql/stream', host: `localhost:${port}`, headers: stream, body: SUBSCRIBE })).status).toBe(200);
  });

  it('names the host name it refused, so that an operator behind a proxy knows what ALLOWED_HOSTS lacks', async () => {
    const refused = await answer(stack, { path: QUERY, host: 'gateway_upstream:4000', headers: { 'x-forwarded-host': 'gateway.internal.example' } });
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('"gateway_upstream"');
    const long = await answer(stack, { path: QUERY, host: `${'a'.repeat(300)}.example` });
    expect(long.message).toContain(`"${'a'.repeat(100)}"`);
    expect(long.message).not.toContain('a'.repeat(101));
  });

  it('says in the log which name it refused, on a WebSocket upgrade too (found by review: only HTTP refusals were logged)', async () => {
    const { logger, lines } = capturedLogger('info');
    const logged = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off' }, logger });
    try {
      const wsPort = new URL(logged.url).port;
      expect((await send(logged, { path: '/graphql', host: `wsevil.example:${wsPort}`, headers: upgrade })).status).toBe(403);
      expect(lines.filter((line) => line.hostName === 'wsevil.example')).toHaveLength(1);
      expect(lines.some((line) => Array.isArray(line.hostNames) && (line.hostNames as string[]).includes('localhost'))).toBe(true);
    } finally {
      await logged.close();
    }
  });

  it('still takes Zoom\'s webhooks (signed) and health probes under any name', async () => {
    const host = `gateway.public.example:${port}`;
    expect((await send(stack, { path: '/healthz', host })).status).toBe(200);
    expect((await send(stack, { path: '/readyz', host })).status).toBe(200);
    // Unsigned: refused for its signature, not for its Host.
    expect((await send(stack, { method: 'POST', path: '/webhooks/zoom', host, headers: { 'content-type': 'application/json' }, body: '{"event":"session.started"}' })).status).toBe(401);
  });
});

describe('a gateway that asks clients for credentials', () => {
  it('answers under any name: a rebound page has no credential to send', async () => {
    const key = 'rebinding-test-client-key-0123456789';
    const stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_API_KEYS: key } });
    try {
      const host = `rebound.evil.example:${new URL(stack.url).port}`;
      expect(await send(stack, { path: QUERY, host, headers: { 'x-api-key': key } })).toEqual({ status: 200 });
      expect((await send(stack, { path: QUERY, host })).status).toBe(401);
    } finally {
      await stack.close();
    }
  });
});
