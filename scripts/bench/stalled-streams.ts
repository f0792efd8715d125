import { IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createGateway } from '../../src/server';
import type { SimSession } from '../../src/simulator/dataset';
import { startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { memoryAfterGcMb } from './after-gc';
import { API_KEY, API_SECRET, SIMULATED_NOW, gatewayEnv } from './targets';

/**
 * Event streams (SSE) that stop reading while a live session's joins flow: the bytes the gateway
 * holds unsent for them (sampled during the flood) and what its heap and buffers hold after it,
 * against before (one process, after a full GC). One stream reads all along.
 */
const SECRET = 'stalled-streams-webhook-secret';
const STALLED_STREAMS = 20;
/**
 * Each join's event carries every participant so far, named at the longest a webhook may name one
 * (1 KB): 300 joins are ~45 MB a stream, past what loopback's socket buffers take (several MB).
 */
const JOINS = 300;
const NAME = 'x'.repeat(1_000);
const QUERY = 'subscription { sessionEvents(sessionId: "stalled==", types: [USER_JOINED]) { user { name } session { users(first: 300) { nodes { name } } } } }';
const SAMPLE_MS = 10;
const MB = 1024 * 1024;

const heldMb = (): number => memoryAfterGcMb(true);

function openStream(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path: '/graphql/stream', method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } });
    sent.once('response', resolve).once('error', reject);
    sent.end(JSON.stringify({ query: QUERY }));
  });
}

export async function nonReadingStreams(): Promise<Record<string, number>> {
  const offset = SIMULATED_NOW - Date.now();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now, sessions: [] });
  const config = loadConfig(gatewayEnv(zoom.baseUrl, { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET }));
  if (config.zoom.kind !== 'zoom') throw new Error('the bench gateway needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const webhooks = `http://127.0.0.1:${port}/webhooks/zoom`;
  let cut = 0;
  const sockets = new Set<Socket>();
  gateway.app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      cut += 1;
    });
  });
  const reader = await openStream(port);
  let readerEvents = 0;
  let readerBytes = 0;
  reader.on('data', (chunk: Buffer) => {
    readerBytes += chunk.length;
    readerEvents += chunk.toString('latin1').split('event: next').length - 1;
  });
  const stalled: IncomingMessage[] = [];
  for (let n = 0; n < STALLED_STREAMS; n += 1) {
    const stream = await openStream(port);
    stream.socket.pause();
    stream.pause();
    stalled.push(stream);
  }
  const start = now();
  const session: SimSession = {
    id: 'stalled==', session_name: 'Stalled readers', start_time: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
  zoom.startLiveSession(session);
  await postWebhook(webhooks, SECRET, sessionEvent('session.started', session, start), now());
  const before = heldMb();
  const cutBefore = cut;
  // What the gateway's side of the sockets holds that the kernel has not taken, at its most during the flood.
  const unsent = (): number => [...sockets].reduce((sum, socket) => sum + socket.writableLength, 0);
  let peakUnsent = 0;
  const sampler = setInterval(() => (peakUnsent = Math.max(peakUnsent, unsent())), SAMPLE_MS);
  for (let n = 0; n < JOINS; n += 1) {
    const user = { id: `u${n}`, name: `${n} ${NAME}`, participant_uuid: `p-${n}` };
    await postWebhook(webhooks, SECRET, userEvent('session.user_joined', session, user, start + 1 + n), now());
  }
  const deadline = Date.now() + 30_000;
  while (readerEvents < JOINS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  clearInterval(sampler);
  const after = heldMb();
  const figures = {
    peakUnsentKbPerStalledStream: peakUnsent / 1024 / STALLED_STREAMS,
    unsentMbAfter: unsent() / MB,
    stalledStreams: STALLED_STREAMS,
    events: JOINS,
    eventBytes: readerBytes / Math.max(1, readerEvents),
    readerEvents,
    heldBeforeMb: before,
    heldAfterMb: after,
    stalledCut: cut - cutBefore,
  };
  for (const stream of [reader, ...stalled]) stream.destroy();
  await gateway.close();
  await zoom.close();
  return figures;
}
