import { Socket, connect } from 'node:net';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { simSession } from '../live/webhook-flood';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { GatewayProcess, startGatewayProcess, webhookUrl } from '../services/gateway-process';
import { addDays, todayUtc } from '../../src/time/calendar';

/**
 * One address opening connection after connection, each announcing a body and sending part of it, held memory
 * until the timeouts fired: 12,000 held 930 MB. HTTP_MAX_CONNECTIONS caps the open connections: a new one closes
 * the oldest that is idle or still sending, never a request being answered, a WebSocket or an event stream.
 * A gateway process, real sockets from one address.
 */

const API_KEY = 'connection-cap-api-key';
const API_SECRET = 'connection-cap-api-secret-0123456789';
const SECRET = 'zoom-webhook-secret-token-for-connection-cap';
const CAP = 20;

/** A connection that announces a 60,000-byte body, sends 30,000 bytes of it, and holds; `closed` once the gateway closes it. */
function slowBody(port: number): { socket: Socket; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  socket.once('connect', () => {
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n');
    socket.write(Buffer.alloc(30_000, 0x20));
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isOpen = (socket: Socket): boolean => !socket.destroyed && socket.readyState === 'open';

/** A keep-alive connection that sends one whole request and reads its answer; resolves once the answer has come. */
function oneRequest(port: number, head: string, body: string): { socket: Socket; answered: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let text = '';
  const answered = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers = text.slice(0, end);
      const rest = text.slice(end + 4);
      const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? -1);
      if ((length >= 0 && Buffer.byteLength(rest) >= length) || (/transfer-encoding: chunked/i.test(headers) && rest.endsWith('0\r\n\r\n'))) resolve(headers);
    });
    socket.once('close', () => resolve(text));
  });
  socket.once('connect', () => socket.write(`${head}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
  return { socket, answered };
}

describe('a gateway holding at most HTTP_MAX_CONNECTIONS connections that are idle or still sending', () => {
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  let port: number;
  const held: Socket[] = [];
  const subscribers: ProtocolClient[] = [];

  beforeAll(async () => {
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, HTTP_MAX_CONNECTIONS: String(CAP),
      // Not Zoom's budget under test: many distinct List calls are asked at once.
      ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
    });
    port = Number(new URL(gateway.url).port);
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    for (const subscriber of subscribers) await subscriber.close();
    await gateway.stop();
    await zoom.close();
  });

  it('keeps at most the cap of slow senders open, the oldest closed first, and serves a new client meanwhile', async () => {
    const senders = Array.from({ length: 5 * CAP }, () => slowBody(port));
    held.push(...senders.map((sender) => sender.socket));
    await pause(1_000);
    const open = senders.filter((sender) => !sender.socket.destroyed && sender.socket.readyState === 'open');
    expect(open.length).toBeLessThanOrEqual(CAP);
    expect(open.length).toBeGreaterThan(0);
    // The oldest made room: the last one opened is still there, the first is gone.
    expect(senders[0].socket.destroyed || senders[0].socket.readyState !== 'open').toBe(true);
    expect(senders[senders.length - 1].socket.readyState).toBe('open');
    const answer = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(answer.status).toBe(200);
  });

  it('counts again a connection whose answer ended: a refused event stream, or answers that outnumbered the cap', async () => {
    // Event streams refused (a document that does not parse), each on a connection kept alive after its answer.
    const refused = Array.from({ length: 2 * CAP }, () => oneRequest(port, 'POST /graphql/stream HTTP/1.1\r\nAccept: text/event-stream', '{"query":"x"}'));
    held.push(...refused.map((each) => each.socket));
    await Promise.all(refused.map((each) => each.answered));
    // Answers that outnumber the cap, being answered together while Zoom takes 3 s (opened 20 ms apart: a burst of
    // more new connections than the cap at once would close the youngest before their requests arrive).
    zoom.setLatency(3_000);
    const range = { from: addDays(todayUtc(Date.now()), -2), to: todayUtc(Date.now()) };
    const answered: ReturnType<typeof oneRequest>[] = [];
    for (let n = 0; n < 3 * CAP; n += 1) {
      answered.push(oneRequest(port, 'POST /graphql HTTP/1.1', JSON.stringify({ query: `query ($from: Date!, $to: Date!) { sessions(type: PAST, from: $from, to: $to, first: 1, sessionName: "cap ${n}") { nodes { sessionId } } }`, variables: range })));
      await pause(20);
    }
    held.push(...answered.map((each) => each.socket));
    const heads = await Promise.all(answered.map((each) => each.answered));
    zoom.setLatency(0);
    expect(heads.every((head) => head.startsWith('HTTP/1.1 200'))).toBe(true);
    await pause(200);
    // Idle again, all of them are counted: no more than the cap stay open.
    const idle = [...refused, ...answered].filter((each) => isOpen(each.socket));
    expect(idle.length).toBeLessThanOrEqual(CAP);
    // And slow senders after them find the count at the cap, not above it.
    const senders = Array.from({ length: 2 * CAP }, () => slowBody(port));
    held.push(...senders.map((sender) => sender.socket));
    await pause(500);
    expect([...refused, ...answered].filter((each) => isOpen(each.socket)).length + senders.filter((sender) => isOpen(sender.socket)).length).toBeLessThanOrEqual(CAP);
  });

  it('closes no WebSocket, no event stream and no request being answered to make room', async () => {
    const subscriber = await openProtocolClient(gateway.url);
    subscribers.push(subscriber);
    await initialise(subscriber);
    subscribeEvents(subscriber, 'kept');
    const stream = await fetch(`${gateway.url}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { sessionEvents(types: [SESSION_STARTED]) { type sessionId } }' }),
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let streamed = '';
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        streamed += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    // A request that has arrived whole and waits for its answer (Zoom answering in 2 s), then many slow senders.
    zoom.setLatency(2_000);
    const range = { from: addDays(todayUtc(Date.now()), -1), to: todayUtc(Date.now()) };
    const waiting = fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ($from: Date!, $to: Date!) { sessions(type: PAST, from: $from, to: $to, first: 1) { nodes { sessionId } } }', variables: range }),
    });
    await pause(200);
    const senders = Array.from({ length: 5 * CAP }, () => slowBody(port));
    held.push(...senders.map((sender) => sender.socket));
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { errors?: unknown }).errors).toBeUndefined();
    zoom.setLatency(0);
    const session = simSession('connection-cap/one+s==', Date.now() - 1_000);
    zoom.startLiveSession(session);
    expect(await postWebhook(webhookUrl(gateway), SECRET, sessionEvent('session.started', session, Date.now()))).toBe(200);
    // The WebSocket and the stream were not closed for room, and both get the event.
    await subscriber.next((message) => message.type === 'next' && JSON.stringify(message.payload).includes(session.id));
    for (const deadline = Date.now() + 10_000; !streamed.includes(session.id) && Date.now() < deadline; ) await pause(50);
    expect(streamed).toContain(session.id);
    await reader.cancel();
    await reading;
  });
});
