import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { postWebhook, sessionEvent } from '../src/simulator/webhooks';
import type { SimSession } from '../src/simulator/dataset';
import { LIVE_BENCH_KEYS, LIVE_BENCH_SECRET } from './bench/live-target';
import type { SubscribersAnswer, SubscribersCommand } from './bench/live-subscribers';
import type { RawFanoutAnswer, RawFanoutCommand } from './bench/raw-fanout';
import { runAsScript } from './bench/run-main';
import { percentile } from './bench/percentile';

/**
 * Webhook sent (Zoom's POST leaving the sender) to event delivered (the subscriber's socket has
 * read it), with 1 subscriber, then 1,000, then 10,000 on one instance; and the gateway's memory
 * per connection and per subscription. The gateway runs in a child process, the subscribers in
 * others (`SUBSCRIBER_PROCESSES`), the bench process only posts the webhooks and counts.
 */
const LEVELS = [1_000, 10_000] as const;
/**
 * One: on two cores a second subscriber process takes the gateway's core at every wake-up, and
 * a fan-out then took twice as long as with one (reading is cheap next to the gateway's writes).
 */
const SUBSCRIBER_PROCESSES = 1;
/** Zoom's events for one account, per second: a busy hour, a burst four times that, and one at a time. */
const STEADY_GAP_MS = 100;
const BURST_GAP_MS = 25;
const ONE_AT_A_TIME_GAP_MS = 500;
const QUERY = 'subscription { sessionEvents(types: [SESSION_STARTED]) { type sessionId occurredAt session { id sessionName } } }';
/** Deliveries not in by then are counted lost. */
const DELIVERY_DEADLINE_MS = 30_000;

interface Memory {
  heapUsed: number;
  rss: number;
  subscribers: number;
}

interface Run {
  readonly subscribers: number;
  readonly gapMs: number;
  readonly events: number;
  readonly latencies: number[];
  readonly lost: number;
}

interface Level {
  readonly subscribers: number;
  readonly connectMs: number;
  readonly connected: Memory;
  readonly subscribed: Memory;
}

function clock(): number {
  return performance.timeOrigin + performance.now();
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

/** A process of subscribers; a socket closed under it fails the bench (none may be dropped). */
class Subscribers {
  private readonly child = fork(join(__dirname, 'bench', 'live-subscribers.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  private waiting: ((answer: SubscribersAnswer) => void) | undefined;
  failure: string | undefined;
  count = 0;

  constructor(readonly keys: readonly string[]) {
    this.child.on('message', (answer: SubscribersAnswer) => {
      if ('failed' in answer) this.failure ??= answer.failed;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(answer);
    });
  }

  ask<A extends SubscribersAnswer>(command: SubscribersCommand): Promise<A> {
    return new Promise((resolve, reject) => {
      this.waiting = (answer) => ('failed' in answer ? reject(new Error(answer.failed)) : resolve(answer as A));
      this.child.send(command);
    });
  }

  async open(url: string, count: number, subscribe: boolean): Promise<void> {
    if (count <= 0) return;
    this.count = (await this.ask<{ opened: number }>({ open: { url, keys: this.keys, count, query: QUERY, subscribe } })).opened;
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

function session(id: string): SimSession {
  return {
    id, session_name: 'Bench', start_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

async function delivered(groups: readonly Subscribers[]): Promise<number> {
  let sum = 0;
  for (const group of groups) sum += (await group.ask<{ delivered: number }>({ delivered: true })).delivered;
  return sum;
}

/**
 * Posts `events` session.started webhooks `gapMs` apart; every delivery's latency from the POST's
 * sending (the gateway answers it once the event is taken, so the 200 may come after deliveries), and
 * the deliveries lost.
 */
async function measure(url: string, name: string, groups: readonly Subscribers[], gapMs: number, events: number): Promise<Run> {
  const subscribers = groups.reduce((sum, group) => sum + group.count, 0);
  const before = await delivered(groups);
  const sent = new Map<string, number>();
  for (let n = 0; n < events; n += 1) {
    const id = `${name}-${n}`;
    sent.set(id, clock());
    const status = await postWebhook(`${url}/webhooks/zoom`, LIVE_BENCH_SECRET, sessionEvent('session.started', session(id), Date.now()));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const deadline = Date.now() + DELIVERY_DEADLINE_MS;
  while ((await delivered(groups)) - before < subscribers * events && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const latencies: number[] = [];
  let arrived = 0;
  for (const group of groups) {
    const { receipts } = await group.ask<{ receipts: Record<string, number[]> }>({ collect: true });
    for (const [id, times] of Object.entries(receipts)) {
      const start = sent.get(id);
      if (start === undefined) throw new Error(`a delivery of ${id}, which this run did not send`);
      for (const at of times) latencies.push(Math.max(0, at - start));
      arrived += times.length;
    }
  }
  if (arrived > subscribers * events) throw new Error(`${arrived - subscribers * events} deliveries more than sent: duplicates`);
  process.stderr.write(`bench-live: ${name}: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ${subscribers * events - arrived} lost\n`);
  return { subscribers, gapMs, events, latencies, lost: subscribers * events - arrived };
}

/** A frame the size of the bench's event (its `next` message is about 250 bytes). */
const RAW_FRAME_BYTES = 256;
const RAW_ROUNDS = 20;
const RAW_ROUND_GAP_MS = 500;

function rawPeer(): { ask<A extends RawFanoutAnswer>(command: RawFanoutCommand): Promise<A>; close(): void } {
  const child = fork(join(__dirname, 'bench', 'raw-fanout.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    ask: (command) => new Promise((resolve) => {
      child.once('message', (answer: RawFanoutAnswer) => resolve(answer as never));
      child.send(command);
    }),
    close: () => (child.connected ? child.disconnect() : undefined),
  };
}

/**
 * The floor under the 10,000-subscriber rows, measured in the same run: one frame written to each of
 * `count` plain loopback sockets in one loop (a writer process), read as the subscribers read (a reader
 * process); latency from the loop's start to each read.
 */
async function rawFloor(count: number): Promise<Run> {
  const writer = rawPeer();
  const reader = rawPeer();
  try {
    const { port } = await writer.ask<{ port: number }>({ listen: true });
    await reader.ask({ open: { port, count } });
    await new Promise((resolve) => setTimeout(resolve, RAW_ROUND_GAP_MS));
    const latencies: number[] = [];
    let lost = 0;
    for (let round = 0; round < RAW_ROUNDS; round += 1) {
      const { startedAt } = await writer.ask<{ startedAt: number }>({ write: { bytes: RAW_FRAME_BYTES } });
      await new Promise((resolve) => setTimeout(resolve, RAW_ROUND_GAP_MS));
      const { receipts } = await reader.ask<{ receipts: number[] }>({ collect: true });
      for (const at of receipts) latencies.push(Math.max(0, at - startedAt));
      lost += Math.max(0, count - receipts.length);
    }
    process.stderr.write(`bench-live: raw-${count}: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms\n`);
    return { subscribers: count, gapMs: RAW_ROUND_GAP_MS, events: RAW_ROUNDS, latencies, lost };
  } finally {
    writer.close();
    reader.close();
  }
}

/** Opens sockets up to `subscribers` (initialised, then subscribed) and weighs the gateway at each step. */
async function grow(url: string, child: ChildProcess, groups: readonly Subscribers[], subscribers: number): Promise<Level> {
  const started = performance.now();
  const share = (index: number) => Math.floor(subscribers / groups.length) + (index < subscribers % groups.length ? 1 : 0);
  await Promise.all(groups.map((group, index) => group.open(url, share(index) - group.count, false)));
  const connectMs = performance.now() - started;
  const connected = await memoryOf(child);
  await Promise.all(groups.map((group) => group.ask({ subscribe: true })));
  const deadline = Date.now() + DELIVERY_DEADLINE_MS;
  let subscribed = await memoryOf(child);
  while (subscribed.subscribers < subscribers && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    subscribed = await memoryOf(child);
  }
  if (subscribed.subscribers !== subscribers) throw new Error(`${subscribed.subscribers} subscribers, expected ${subscribers}`);
  return { subscribers, connectMs, connected, subscribed };
}

export async function benchLive(): Promise<string> {
  const { child, url } = await startTarget();
  const keysPerGroup = Math.ceil(LIVE_BENCH_KEYS.length / SUBSCRIBER_PROCESSES);
  const groups = Array.from({ length: SUBSCRIBER_PROCESSES }, (_, n) => new Subscribers(LIVE_BENCH_KEYS.slice(n * keysPerGroup, (n + 1) * keysPerGroup)));
  try {
    const idle = await memoryOf(child);
    await groups[0].open(url, 1, true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const single = await measure(url, 'one', groups, STEADY_GAP_MS, 40);
    const runs: Run[] = [single];
    const levels: Level[] = [];
    const before = { subscribers: 1, heapUsed: idle.heapUsed, rss: idle.rss };
    for (const subscribers of LEVELS) {
      levels.push(await grow(url, child, groups, subscribers));
      await new Promise((resolve) => setTimeout(resolve, 500));
      runs.push(await measure(url, `one-at-a-time-${subscribers}`, groups, ONE_AT_A_TIME_GAP_MS, 20));
      runs.push(await measure(url, `steady-${subscribers}`, groups, STEADY_GAP_MS, 40));
      runs.push(await measure(url, `burst-${subscribers}`, groups, BURST_GAP_MS, 40));
    }
    const failure = groups.find((group) => group.failure !== undefined)?.failure;
    if (failure !== undefined) throw new Error(failure);
    const largest = LEVELS[LEVELS.length - 1];
    const floor = await rawFloor(largest);
    const floorP99 = percentile(floor.latencies, 99);
    const worstP99 = runs.filter((run) => run.subscribers === largest).reduce((most, run) => Math.max(most, percentile(run.latencies, 99)), 0);

    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const ms = (value: number) => value.toFixed(2);
    // A baseline of 0 has no ratio.
    const ratio = (value: number, base: number) => (base > 0 ? `${(value / base).toFixed(1)}x` : 'n/a');
    const p99 = percentile(single.latencies, 99);
    const p50 = percentile(single.latencies, 50);
    const row = (run: Run, note = '') =>
      `| ${run.subscribers}, ${1000 / run.gapMs}${note} | ${run.latencies.length} | ${run.lost} | ${ms(percentile(run.latencies, 50))} | ${ms(percentile(run.latencies, 99))} | ${ms(run.latencies.reduce((max, value) => Math.max(max, value), 0))} | ${ratio(percentile(run.latencies, 50), p50)} | ${ratio(percentile(run.latencies, 99), p99)} |`;
    let previous = before;
    const memoryRows = levels.map((level) => {
      const added = level.subscribers - previous.subscribers;
      const line = `| ${level.subscribers} | ${kb((level.connected.heapUsed - previous.heapUsed) / added)} | ${kb((level.subscribed.heapUsed - level.connected.heapUsed) / added)} | ${kb((level.subscribed.heapUsed - idle.heapUsed) / level.subscribers)} | ${kb((level.subscribed.rss - idle.rss) / level.subscribers)} | ${(level.subscribed.rss / 1024 ** 2).toFixed(0)} | ${(level.connectMs / 1000).toFixed(1)} |`;
      previous = { subscribers: level.subscribers, heapUsed: level.subscribed.heapUsed, rss: level.subscribed.rss };
      return line;
    });
    return [
      `Signed session.started webhooks to one instance; latency from the webhook's POST leaving the bench process to each subscriber's socket reading the event (${SUBSCRIBER_PROCESSES} subscriber processes; one graphql-ws socket and subscription per subscriber, ten API keys of a thousand subscribers each, every cap at its default).`,
      '',
      '| subscribers, events a second | deliveries | lost | p50 ms | p99 ms | max ms | p50 vs baseline | p99 vs baseline |',
      '|---|---|---|---|---|---|---|---|',
      row(single, ' (baseline)'),
      ...runs.slice(1).map((run) => row(run)),
      '',
      `The floor, in the same run: one ${RAW_FRAME_BYTES}-byte frame written to each of ${largest} plain loopback TCP sockets in one loop (no WebSocket, GraphQL or queue), read by one process: p50 ${ms(percentile(floor.latencies, 50))} ms, p99 ${ms(floorP99)} ms over ${RAW_ROUNDS} rounds, ${floor.lost} lost. The gateway's worst ${largest}-subscriber p99 is ${ratio(worstP99, floorP99)} that floor: what is left above it is the gateway's own work.`,
      '',
      `Gateway memory (child process, after a full GC; against the idle gateway, ${(idle.rss / 1024 ** 2).toFixed(0)} MB RSS):`,
      '',
      '| subscribers | heap KB per initialised connection | heap KB per subscription on it | heap KB per subscriber | RSS KB per subscriber | RSS MB | seconds to connect |',
      '|---|---|---|---|---|---|---|',
      ...memoryRows,
    ].join('\n');
  } finally {
    for (const group of groups) group.close();
    child.disconnect();
  }
}

if (require.main === module) runAsScript(() => benchLive());
