import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { connect, Socket } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { MemoryPageStore } from '../../src/cache/page-store.memory';
import { Gateway, createGateway } from '../../src/server';
import { heldBytes } from '../../src/sessions/page-cache';
import type { WireSessionPage } from '../../src/zoom/wire';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { API_KEY, API_SECRET, SIMULATED_NOW, gatewayEnv } from './targets';
import { memoryAfterGcMb } from './after-gc';
import { percentile } from './percentile';
import { nonReadingStreams } from './stalled-streams';

/**
 * Child-process entry of bench-memory: runs one scenario in a process started with
 * `--expose-gc`, so that the heap it reports is the gateway's, measured after a full GC.
 */

export type MemoryScenario = 'distinct-documents' | 'distinct-small-documents' | 'distinct-persisted-queries' | 'non-reading-pipelined' | 'non-reading-streams' | 'page-cache';

export interface MemoryFigures {
  readonly [name: string]: number;
}

const MB = 1024 * 1024;

const heapMb = (): number => memoryAfterGcMb();

interface Running {
  readonly zoom: ZoomSimulator;
  readonly gateway: Gateway;
  readonly port: number;
  readonly url: string;
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const offset = SIMULATED_NOW - Date.now();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now });
  const config = loadConfig(gatewayEnv(zoom.baseUrl, env));
  if (config.zoom.kind !== 'zoom') throw new Error('the bench gateway needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  return { zoom, gateway, port, url: `http://127.0.0.1:${port}/graphql` };
}

async function stop(running: Running): Promise<void> {
  await running.gateway.close();
  await running.zoom.close();
}

async function post(url: string, body: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `count` tasks, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const DOCUMENTS = 10_000;
const COMMENT_BYTES = 60 * 1024;

/** Distinct documents a client can make at will: a trivial query plus a long comment, under the body limit. */
async function distinctDocuments(small: boolean): Promise<MemoryFigures> {
  const running = await start();
  const filler = 'x'.repeat(COMMENT_BYTES);
  const documentOf = (index: number): string =>
    small ? `{ a${index}: __typename b: __typename c: __typename }` : `{ __typename } # ${index} ${filler}`;
  let failed = 0;
  // Warm up the schema, the pipeline and the HTTP client before the baseline.
  await inParallel(200, 8, async (index) => {
    await post(running.url, JSON.stringify({ query: `{ __typename } # warm ${index}` }));
  });
  const before = heapMb();
  await inParallel(DOCUMENTS, 8, async (index) => {
    if ((await post(running.url, JSON.stringify({ query: documentOf(index) }))) !== 200) failed += 1;
  });
  const after = heapMb();
  await stop(running);
  return { documents: DOCUMENTS, documentBytes: Buffer.byteLength(documentOf(0)), failed, heapBeforeMb: before, heapAfterMb: after, growthMb: after - before, kbPerDocument: ((after - before) * 1024) / DOCUMENTS };
}

const PERSISTED_QUERIES = 100_000;

/** Automatic persisted queries a client registers at will: tiny, distinct, each kept by its hash. */
async function distinctPersistedQueries(): Promise<MemoryFigures> {
  const running = await start();
  const bodyOf = (index: number): string => {
    const query = `{a${index}:__typename}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    return JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
  };
  let failed = 0;
  await inParallel(200, 8, async (index) => {
    await post(running.url, bodyOf(PERSISTED_QUERIES + index));
  });
  const before = heapMb();
  await inParallel(PERSISTED_QUERIES, 8, async (index) => {
    if ((await post(running.url, bodyOf(index))) !== 200) failed += 1;
  });
  const after = heapMb();
  await stop(running);
  return { documents: PERSISTED_QUERIES, documentBytes: Buffer.byteLength(bodyOf(0)), failed, heapBeforeMb: before, heapAfterMb: after, growthMb: after - before, kbPerDocument: ((after - before) * 1024) / PERSISTED_QUERIES };
}

const PIPELINED_CLIENTS = 30;
const PIPELINED_BYTES = 64 * 1024;
const OTHER_REQUESTS = 96;
const OTHER_TIMEOUT_MS = 10_000;
const STALL_MS = 5_000;
const BIG_QUERY = JSON.stringify({
  query: 'query { sessions(type: PAST, from: "2026-10-28", to: "2026-11-27", first: 300) { nodes { id sessionName sessionKey startTime endTime duration userCount hasVideo hasVoip audioQuality videoQuality } } }',
});

function pipelinedRequests(port: number): Buffer {
  const one = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BIG_QUERY)}\r\n\r\n${BIG_QUERY}`;
  return Buffer.from(one.repeat(Math.ceil(PIPELINED_BYTES / Buffer.byteLength(one))));
}

/** Other clients ask the same query, one at a time, eight at once. */
async function otherClients(url: string): Promise<{ answered: number; latencies: number[] }> {
  const latencies: number[] = [];
  let answered = 0;
  await inParallel(OTHER_REQUESTS, 8, async () => {
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BIG_QUERY, signal: AbortSignal.timeout(OTHER_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.status === 200) answered += 1;
    } catch {
      // Counted as unanswered.
    }
    latencies.push(performance.now() - started);
  });
  return { answered, latencies };
}

/**
 * Clients that pipeline ~64 KB of requests for large answers and never read one; meanwhile
 * others ask the same query, one at a time, eight at once.
 */
async function nonReadingPipelined(): Promise<MemoryFigures> {
  const running = await start();
  const answer = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BIG_QUERY });
  const answerBytes = (await answer.arrayBuffer()).byteLength;
  // The first round warms the JIT and the page cache; the second is the baseline.
  await otherClients(running.url);
  const baseline = await otherClients(running.url);
  const before = heapMb();
  const sockets: Socket[] = [];
  // A client that does not read never sees its socket closed: the gateway's side is counted.
  let cut = 0;
  running.gateway.app.server.on('connection', (socket: Socket) => socket.once('close', () => (cut += 1)));
  const requests = pipelinedRequests(running.port);
  for (let client = 0; client < PIPELINED_CLIENTS; client += 1) {
    const socket = connect(running.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(requests);
    // Never reads: the answers pile up in the gateway unless it stops producing them.
    socket.pause();
    sockets.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, STALL_MS));
  const stalled = heapMb();
  const { answered, latencies } = await otherClients(running.url);
  const during = heapMb();
  const cutBeforeEnd = cut;
  for (const socket of sockets) socket.destroy();
  await stop(running);
  return {
    pipelinedClients: PIPELINED_CLIENTS,
    requestsPerClient: Math.round(requests.length / Buffer.byteLength(BIG_QUERY)),
    answerKb: answerBytes / 1024,
    heapBeforeMb: before,
    heapStalledMb: stalled,
    heapDuringMb: during,
    otherRequests: OTHER_REQUESTS,
    otherAnswered: answered,
    baselineP99Ms: percentile(baseline.latencies, 99),
    otherP50Ms: percentile(latencies, 50),
    otherP99Ms: percentile(latencies, 99),
    socketsCut: cutBeforeEnd,
  };
}

const CACHE_DAYS = 120;
const FULL_PAGE_QUERY = `query($from: Date!, $to: Date!) { sessions(type: PAST, from: $from, to: $to, first: 300) {
  edges { cursor node { id sessionName sessionKey startTime endTime duration durationSeconds userCount hasVoip hasVideo hasScreenShare hasRecording hasPstn hasSessionSummary audioQuality videoQuality screenShareQuality } } } }`;

/**
 * What the page cache really holds per byte Zoom sent: one first page (up to 300 sessions) of each of 120 overlapping three-week ranges, each read
 * in full (every session mapped, every cursor signed), with the cache on and with it off.
 */
async function pageCache(): Promise<MemoryFigures> {
  // The bench watches what the store is given; the gateway itself never exposes its store.
  const held = new Map<string, number>();
  const originalSet = MemoryPageStore.prototype.set;
  MemoryPageStore.prototype.set = function (this: MemoryPageStore<unknown>, key: string, value: unknown, entry: { ttlMs: number; bytes: number }) {
      held.set(key, (value as WireSessionPage).bytes);
    return originalSet.call(this, key, value, entry) as Promise<void>;
  };
  const heapAfterWalk = async (env: Record<string, string>): Promise<number> => {
    const running = await start(env);
    await post(running.url, JSON.stringify({ query: FULL_PAGE_QUERY, variables: { from: '2026-11-26', to: '2026-11-26' } }));
    const before = heapMb();
    const day = (index: number): string => new Date(SIMULATED_NOW - (index + 2) * 86_400_000).toISOString().slice(0, 10);
    for (let index = 0; index < CACHE_DAYS; index += 1) {
      await post(running.url, JSON.stringify({ query: FULL_PAGE_QUERY, variables: { from: day(index + 20), to: day(index) } }));
    }
    const after = heapMb();
    await stop(running);
    return after - before;
  };
  const withCache = await heapAfterWalk({ CACHE_MAX_BYTES: String(4 * 1024 ** 3), CACHE_MAX_ENTRIES: '100000' });
  const rawMb = [...held.values()].reduce((sum, bytes) => sum + bytes, 0) / MB;
  const withoutCache = await heapAfterWalk({ CACHE_MAX_ENTRIES: '0' });
  MemoryPageStore.prototype.set = originalSet;
  const chargedMb = [...held.values()].reduce((sum, bytes) => sum + heldBytes(bytes), 0) / MB;
  return { pages: held.size, zoomMb: rawMb, chargedMb, heldMb: withCache - withoutCache, heldPerZoomByte: (withCache - withoutCache) / rawMb };
}

const SCENARIOS: Record<MemoryScenario, () => Promise<MemoryFigures>> = {
  'distinct-documents': () => distinctDocuments(false),
  'distinct-small-documents': () => distinctDocuments(true),
  'distinct-persisted-queries': distinctPersistedQueries,
  'non-reading-pipelined': nonReadingPipelined,
  'non-reading-streams': nonReadingStreams,
  'page-cache': pageCache,
};

process.once('message', (scenario: MemoryScenario) => {
  SCENARIOS[scenario]()
    .then((figures) => {
      process.send?.({ figures });
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.send?.({ failed: error instanceof Error ? error.stack ?? error.message : String(error) });
      process.exit(1);
    });
});
