import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { postWebhook, sessionEvent } from '../src/simulator/webhooks';
import type { SimSession } from '../src/simulator/dataset';
import { LIVE_BENCH_SECRET } from './bench/live-target';
import { runAsScript } from './bench/run-main';

/**
 * Webhook accepted (Zoom's POST answered 200) to event delivered (the subscriber's socket has
 * it), with 1 subscriber and then 1,000 on one instance; and the gateway's memory per
 * connection and per subscription. The gateway runs in a child process; the subscribers share
 * the bench process, so the 1,000-subscriber latency includes their parsing on the same core.
 */
const SUBSCRIBERS = 1_000;
const EVENTS = 40;
/** Zoom's events for one account, per second: a busy hour, and a burst four times that. */
const STEADY_GAP_MS = 100;
const BURST_GAP_MS = 25;
const QUERY = 'subscription { sessionEvents(types: [SESSION_STARTED]) { type sessionId occurredAt session { id sessionName } } }';

interface Memory {
  heapUsed: number;
  rss: number;
  subscribers: number;
}

function startTarget(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(join(__dirname, 'bench', 'live-target.js'), [], { execArgv: ['--expose-gc', ...(process.env.BENCH_TARGET_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`live target exited with ${code}`)));
    child.once('message', (message: { ready?: string; failed?: string }) => (message.ready ? resolve({ child, url: message.ready }) : reject(new Error(message.failed))));
  });
}

function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    child.once('message', (message: Memory) => resolve(message));
    child.send({ memory: true });
  });
}

type Receipt = (sessionId: string, at: number) => void;

async function connect(url: string, onEvent: Receipt): Promise<WebSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => {
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: { data?: { sessionEvents?: { sessionId: string } } } };
      if (message.type === 'connection_ack') resolve();
      const sessionId = message.payload?.data?.sessionEvents?.sessionId;
      if (message.type === 'next' && sessionId !== undefined) onEvent(sessionId, performance.now());
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  });
  return socket;
}

async function subscribe(socket: WebSocket): Promise<void> {
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
}

function session(id: string): SimSession {
  return {
    id, session_name: 'Bench', start_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Posts EVENTS session.started webhooks and returns every delivery's latency, accepted to received. */
async function measure(url: string, run: string, expected: number, gapMs: number, accepted: Map<string, number>, delivered: () => number): Promise<void> {
  const before = delivered();
  for (let n = 0; n < EVENTS; n += 1) {
    const id = `${run}-${n}`;
    const status = await postWebhook(`${url}/webhooks/zoom`, LIVE_BENCH_SECRET, sessionEvent('session.started', session(id), Date.now()));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    accepted.set(id, performance.now());
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const deadline = Date.now() + 30_000;
  while (delivered() - before < expected * EVENTS) {
    if (Date.now() > deadline) throw new Error(`only ${delivered() - before} of ${expected * EVENTS} deliveries arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function benchLive(): Promise<string> {
  const { child, url } = await startTarget();
  const accepted = new Map<string, number>();
  const latencies: number[] = [];
  let deliveries = 0;
  // A delivery can beat the POST's answer to the bench: it is then timed from the answer (0 ms).
  const onEvent: Receipt = (sessionId, at) => {
    deliveries += 1;
    const start = accepted.get(sessionId);
    latencies.push(start === undefined ? 0 : Math.max(0, at - start));
  };
  const sockets: WebSocket[] = [];
  try {
    const idle = await memoryOf(child);
    const one = await connect(url, onEvent);
    sockets.push(one);
    await subscribe(one);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await measure(url, 'one', 1, STEADY_GAP_MS, accepted, () => deliveries);
    const single = latencies.splice(0);

    const connectedAt = performance.now();
    for (let i = 1; i < SUBSCRIBERS; i += 1) sockets.push(await connect(url, onEvent));
    const connectMs = performance.now() - connectedAt;
    const connected = await memoryOf(child);
    for (const socket of sockets.slice(1)) await subscribe(socket);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const subscribed = await memoryOf(child);
    if (subscribed.subscribers !== SUBSCRIBERS) throw new Error(`${subscribed.subscribers} subscribers, expected ${SUBSCRIBERS}`);
    await measure(url, 'many', SUBSCRIBERS, STEADY_GAP_MS, accepted, () => deliveries);
    const many = latencies.splice(0);
    await measure(url, 'burst', SUBSCRIBERS, BURST_GAP_MS, accepted, () => deliveries);
    const burst = latencies.splice(0);

    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const perConnection = (connected.heapUsed - idle.heapUsed) / (SUBSCRIBERS - 1);
    const perSubscription = (subscribed.heapUsed - connected.heapUsed) / (SUBSCRIBERS - 1);
    const rssPer = (subscribed.rss - idle.rss) / (SUBSCRIBERS - 1);
    const row = (name: string, values: number[]) => `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(2)} | ${percentile(values, 99).toFixed(2)} | ${Math.max(...values).toFixed(2)} |`;
    return [
      `${EVENTS} signed session.started webhooks to one instance per run; latency from the webhook's 200 to each subscriber's socket (bench process).`,
      '',
      '| subscribers, events a second | deliveries | p50 ms | p99 ms | max ms |',
      '|---|---|---|---|---|',
      row(`1, ${1000 / STEADY_GAP_MS} (baseline)`, single),
      row(`${SUBSCRIBERS}, ${1000 / STEADY_GAP_MS}`, many),
      row(`${SUBSCRIBERS}, ${1000 / BURST_GAP_MS}`, burst),
      '',
      `With ${SUBSCRIBERS} subscribers at ${1000 / STEADY_GAP_MS} events a second: p50 ${(percentile(many, 50) / percentile(single, 50)).toFixed(1)}x the 1-subscriber baseline, p99 ${(percentile(many, 99) / percentile(single, 99)).toFixed(1)}x.`,
      `Gateway memory (heap after GC, child process): ${kb(perConnection)} KB per initialised connection, ${kb(perSubscription)} KB per subscription on it, ${kb(rssPer)} KB RSS per subscriber all told; ${SUBSCRIBERS} connections opened in ${connectMs.toFixed(0)} ms.`,
    ].join('\n');
  } finally {
    for (const socket of sockets) socket.terminate();
    child.disconnect();
  }
}

if (require.main === module) runAsScript(() => benchLive());
