import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { simSession } from '../live/webhook-flood';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { GatewayProcess, gatewayPid, startGatewayProcess, webhookUrl } from '../services/gateway-process';

/**
 * A subscription outlives the request that authenticated it: a key taken out of the key file
 * (SIGHUP) or a token that expires must end it, or a leaked and revoked credential goes on
 * receiving live sessions and participants' names. A gateway process, a real signal, real sockets.
 */

const API_KEY = 'credential-end-api-key';
const API_SECRET = 'credential-end-api-secret-0123456789';
const SECRET = 'zoom-webhook-secret-token-for-credential-end';
const KEY_KEPT = 'credential-end-kept-key-0123456789';
const KEY_REVOKED = 'credential-end-revoked-key-0123456789';
const JWT_SECRET = 'credential-end-jwt-secret-0123456789abcdef';
const STREAM_QUERY = 'subscription { sessionEvents(types: [SESSION_STARTED]) { type sessionId } }';

/** An event stream over SSE: what it received so far, and whether the gateway ended it. */
interface Stream {
  text(): string;
  readonly ended: Promise<void>;
  cancel(): Promise<void>;
}

async function openStream(gateway: GatewayProcess, headers: Record<string, string>): Promise<Stream> {
  const response = await fetch(`${gateway.url}/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: STREAM_QUERY }),
  });
  if (response.status !== 200 || response.body === null) throw new Error(`the stream was answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value);
      }
    } catch {
      // Cut by the gateway: the end this test waits for.
    }
  })();
  return { text: () => text, ended, cancel: () => reader.cancel().catch(() => undefined) };
}

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const settled = <T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> => Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

describe('subscriptions end with their credential', () => {
  let dir: string;
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  const sockets: ProtocolClient[] = [];
  const streams: Stream[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-credential-end-'));
    writeFileSync(join(dir, 'keys'), `${KEY_KEPT}\n${KEY_REVOKED}\n`);
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, GATEWAY_API_KEYS_FILE: join(dir, 'keys'), GATEWAY_JWT_SECRET: JWT_SECRET,
    });
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    for (const stream of streams) await stream.cancel();
    await gateway?.stop();
    await zoom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function subscribed(payload: Record<string, unknown>): Promise<ProtocolClient> {
    const socket = await openProtocolClient(gateway.url);
    sockets.push(socket);
    await initialise(socket, payload);
    subscribeEvents(socket, 'started', { types: ['SESSION_STARTED'] });
    socket.send({ type: 'ping' });
    await socket.next((message) => message.type === 'pong');
    return socket;
  }

  async function started(id: string): Promise<void> {
    const now = Date.now();
    expect(await postWebhook(webhookUrl(gateway), SECRET, sessionEvent('session.started', simSession(id, now), now))).toBe(200);
  }

  const nextStarted = (socket: ProtocolClient, id: string) =>
    socket.next((message) => message.type === 'next' && JSON.stringify(message.payload).includes(id), 10_000);

  it('ends the sockets and streams of a key taken out of the key file at SIGHUP, and no other', async () => {
    const kept = await subscribed({ 'x-api-key': KEY_KEPT });
    const revoked = await subscribed({ 'x-api-key': KEY_REVOKED });
    const revokedStream = await openStream(gateway, { 'x-api-key': KEY_REVOKED });
    streams.push(revokedStream);
    await started('before-revocation==');
    await nextStarted(kept, 'before-revocation==');
    await nextStarted(revoked, 'before-revocation==');
    await eventually(() => revokedStream.text().includes('before-revocation=='));

    writeFileSync(join(dir, 'keys'), `${KEY_KEPT}\n`);
    process.kill(gatewayPid(gateway), 'SIGHUP');
    expect(await settled(revoked.closed, 10_000)).toEqual({ code: 4403, reason: 'Forbidden: the API key was revoked' });
    expect(await settled(revokedStream.ended, 10_000)).toBeUndefined();

    await started('after-revocation==');
    await nextStarted(kept, 'after-revocation==');
    expect(revokedStream.text()).not.toContain('after-revocation==');
    expect(gateway.output()).toContain('"endedSubscriptionConnections":2');
    // The key is refused from then on, over every transport.
    await expect(subscribed({ 'x-api-key': KEY_REVOKED })).rejects.toThrow();
  }, 60_000);

  it('ends a socket and a stream opened with a JWT once the token expires, and keeps one whose token is still good', async () => {
    const secret = new TextEncoder().encode(JWT_SECRET);
    const nowSeconds = Math.floor(Date.now() / 1000);
    // Past its expiry by 3 s, within the 5 s the gateway allows for clock skew: accepted now, over 2 s from now.
    const expiring = await new SignJWT({ sub: 'expiring' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSeconds - 3).sign(secret);
    const lasting = await new SignJWT({ sub: 'lasting' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(nowSeconds + 3_600).sign(secret);
    const expiringSocket = await subscribed({ authorization: `Bearer ${expiring}` });
    const expiringStream = await openStream(gateway, { authorization: `Bearer ${expiring}` });
    streams.push(expiringStream);
    const lastingSocket = await subscribed({ authorization: `Bearer ${lasting}` });

    expect(await settled(expiringSocket.closed, 10_000)).toEqual({ code: 4403, reason: 'Forbidden: the token expired' });
    expect(await settled(expiringStream.ended, 10_000)).toBeUndefined();
    await started('after-expiry==');
    await nextStarted(lastingSocket, 'after-expiry==');
    expect(expiringStream.text()).not.toContain('after-expiry==');
  }, 60_000);
});
