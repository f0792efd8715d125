import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { encodeNodeId } from '../src/sessions/node-id';
import { isLive } from '../src/simulator/dataset';
import { startSimulator } from '../src/simulator/simulator';
import { runAsScript } from './bench/run-main';

/**
 * How much of Zoom's Heavy budget (40 calls a second on Business+) clients can use, against
 * Zoom's latency. The simulator counts each call when it arrives, in a sliding second, and
 * answers 429 past 40, as a rate limiter in front of Zoom must (it decides before the call is
 * served); 60 clients keep asking for the details of sessions no one asked for before, so every
 * request costs one Heavy call. The baseline is the budget itself.
 */
const HEAVY_PER_SECOND = 40;
const CLIENTS = 60;
const RUN_MS = 12_000;
/** The first seconds fill the queue; the rate is read over the rest. */
const WARM_UP_MS = 2_000;
const LATENCIES_MS = [10, 200, 500];
const API_KEY = 'heavy-rate-api-key';
const API_SECRET = 'heavy-rate-api-secret-for-the-bench';
const LOOKUP = 'query Lookup($id: ID!) { node(id: $id) { ... on Session { sessionNumber } } }';

interface Run {
  readonly latencyMs: number;
  readonly perSecond: number;
  readonly zoom429s: number;
  readonly refused: number;
  readonly answered: number;
}

async function run(latencyMs: number): Promise<Run> {
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, latencyMs, rateLimitPerMinute: HEAVY_PER_SECOND, rateLimitWindowMs: 1_000 });
  const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent' });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now: Date.now });
  const ids = zoom.sessions.filter((session) => !isLive(session)).map((session) => encodeNodeId({ type: 'Session', sessionId: session.id }));
  let next = 0;
  let refused = 0;
  let answered = 0;
  try {
    const { port } = await gateway.listen('127.0.0.1', 0);
    const url = `http://127.0.0.1:${port}/graphql`;
    const started = performance.now();
    const client = async (): Promise<void> => {
      while (performance.now() - started < RUN_MS && next < ids.length) {
        const id = ids[next++];
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LOOKUP, variables: { id } }) });
        const body = (await response.json()) as { errors?: unknown[] };
        if (body.errors === undefined) answered += 1;
        else refused += 1;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    if (next >= ids.length) throw new Error('the simulator ran out of sessions to look up');
    const log = zoom.callLog();
    // Calls go in bursts as the window frees: read from the first call past the warm-up to the first call past the run's end, so no burst is half counted.
    const first = log.find((call) => call.at >= log[0].at + WARM_UP_MS);
    const last = log.find((call) => call.at >= log[0].at + RUN_MS - 1_000);
    if (first === undefined || last === undefined || last.at <= first.at) throw new Error('too few calls to read a rate');
    const counted = log.filter((call) => call.status === 200 && call.at >= first.at && call.at < last.at).length;
    return { latencyMs, perSecond: counted / ((last.at - first.at) / 1000), zoom429s: log.filter((call) => call.status === 429).length, refused, answered };
  } finally {
    await gateway.close();
    await zoom.close();
  }
}

export async function benchHeavyRate(): Promise<string> {
  const runs: Run[] = [];
  for (const latencyMs of LATENCIES_MS) runs.push(await run(latencyMs));
  return [
    `${CLIENTS} clients each asking, one after another, for the details of a session not asked before (1 Heavy call each), ${RUN_MS / 1000} s; the rate is read from the first call after ${WARM_UP_MS / 1000} s to the first after ${RUN_MS / 1000 - 1} s. Zoom (simulated) allows ${HEAVY_PER_SECOND} calls in any second, counted when they arrive.`,
    '',
    '| Zoom latency | Heavy calls a second | share of the budget | Zoom 429s | requests answered | refused |',
    '|---|---|---|---|---|---|',
    ...runs.map((entry) => `| ${entry.latencyMs} ms | ${entry.perSecond.toFixed(1)} | ${((entry.perSecond / HEAVY_PER_SECOND) * 100).toFixed(0)}% | ${entry.zoom429s} | ${entry.answered} | ${entry.refused} |`),
  ].join('\n');
}

if (require.main === module) runAsScript(benchHeavyRate);
