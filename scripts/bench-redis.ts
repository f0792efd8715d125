import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { Gateway, createGateway } from '../src/server';
import { ZoomSimulator, startSimulator } from '../src/simulator/simulator';
import { TestRedis, startOwnRedis } from '../test/services/redis-server';
import { Bench, Measurement, benchFromArgs, bestOf, costRatio, figures, measure, post, status } from './bench/load';
import { runAsScript } from './bench/run-main';

/**
 * Several instances, one Zoom account: the same fixed work done by one in-memory
 * instance and by three instances sharing Redis, the three through a Redis outage, and the cost
 * of Redis on a cached request. Zoom's minute is shrunk to a second on both sides (20 calls a
 * second), as in the multi-instance tests, so a run takes seconds instead of minutes.
 */

const API_KEY = 'bench-key';
const API_SECRET = 'bench-secret-for-the-redis-bench';
const WINDOW_MS = 1_000;
const ZOOM_LIMIT = 20;
const ZOOM_LATENCY_MS = 20;
const POLLERS = 100;
const POLLS_EACH = 15;
const POLL_EVERY_MS = 300;
const WALKERS = 10;
/** Each report walks this many past weeks, the next report starting two weeks further back: most weeks are walked by several reports. */
const WEEKS_EACH = 6;
const PAGE = 10;
/** A reader pauses between pages, so walks span the whole run (and the outage). */
const WALK_THINK_MS = 100;
const LAST_WEEK_END = Date.parse('2026-11-22');
function pastWeek(index: number): [string, string] {
  const to = LAST_WEEK_END - index * 7 * 86_400_000;
  return [new Date(to - 6 * 86_400_000).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)];
}
/** A walk that fails this often is given up and counted wrong, instead of looping. */
const WALK_MAX_FAILURES = 20;

const QUERY = `query($type: SessionType, $from: Date!, $to: Date!, $first: Int, $after: String) {
  sessions(type: $type, from: $from, to: $to, first: $first, after: $after) {
    edges { cursor node { id sessionId sessionName startTime userCount } } pageInfo { hasNextPage endCursor } } }`;

interface Work {
  requests: number;
  served: number;
  failed: number;
  wrongWalks: number;
  walks: number;
}

interface Fleet {
  readonly zoom: ZoomSimulator;
  readonly gateways: Gateway[];
  readonly urls: string[];
  close(): Promise<void>;
}

async function startFleet(instances: number, now: () => number, env: Record<string, string>): Promise<Fleet> {
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now, latencyMs: ZOOM_LATENCY_MS, rateLimitPerMinute: ZOOM_LIMIT, rateLimitWindowMs: WINDOW_MS });
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent',
    ZOOM_LIST_SESSIONS_PER_MINUTE: String(ZOOM_LIMIT), ZOOM_QUEUE_MAX_WAIT_MS: '20000', REQUEST_TIMEOUT_MS: '30000', ...env,
  });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateways: Gateway[] = [];
  const urls: string[] = [];
  for (let index = 0; index < instances; index += 1) {
    const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now, rateWindowMs: WINDOW_MS });
    const { port } = await gateway.listen('127.0.0.1', 0);
    gateways.push(gateway);
    urls.push(`http://127.0.0.1:${port}/graphql`);
  }
  return {
    zoom,
    gateways,
    urls,
    async close() {
      for (const gateway of gateways) await gateway.close();
      await zoom.close();
    },
  };
}

type PageInfo = { hasNextPage: boolean; endCursor: string | null };
type Answer = { data?: { sessions: { edges: { node: { sessionId: string } }[]; pageInfo: PageInfo } } | null; errors?: unknown[] };

async function ask(url: string, variables: Record<string, unknown>, work: Work): Promise<Answer['data']> {
  work.requests += 1;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables }) });
  const body = (await response.json()) as Answer;
  if (body.data?.sessions && !body.errors) {
    work.served += 1;
    return body.data;
  }
  work.failed += 1;
  if (process.env.BENCH_DEBUG) process.stderr.write(`failed: ${JSON.stringify(body).slice(0, 300)}\n`);
  return undefined;
}

/** 100 dashboards polling live sessions across the instances, and 10 reports walking past months with every page on another instance. */
async function fixedWork(fleet: Fleet, now: () => number, during?: () => Promise<void>): Promise<Work> {
  const work: Work = { requests: 0, served: 0, failed: 0, wrongWalks: 0, walks: 0 };
  const today = new Date(now()).toISOString().slice(0, 10);
  const yesterday = new Date(now() - 86_400_000).toISOString().slice(0, 10);
  const { urls } = fleet;
  const poller = async (index: number) => {
    for (let poll = 0; poll < POLLS_EACH; poll += 1) {
      await ask(urls[(index + poll) % urls.length], { from: yesterday, to: today, first: 30 }, work);
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
  };
  const walker = async (index: number) => {
    let request = index;
    for (let week = 0; week < WEEKS_EACH; week += 1) {
      const [from, to] = pastWeek(index * 2 + week);
      const ids: string[] = [];
      let after: string | null = null;
      let failures = 0;
      for (;;) {
        const data = await ask(urls[request++ % urls.length], { type: 'PAST', from, to, first: PAGE, after }, work);
        if (!data && ++failures >= WALK_MAX_FAILURES) break;
        if (!data) {
          // A failed page starts the walk over, as a user pressing "reload" would.
          ids.length = 0;
          after = null;
          continue;
        }
        ids.push(...data.sessions.edges.map((edge) => edge.node.sessionId));
        await new Promise((resolve) => setTimeout(resolve, WALK_THINK_MS));
        if (!data.sessions.pageInfo.hasNextPage) break;
        after = data.sessions.pageInfo.endCursor;
      }
      work.walks += 1;
      if (process.env.BENCH_DEBUG) process.stderr.write(`walk ${index} week ${week} done, ${ids.length} sessions, ${work.requests} requests\n`);
      const expected = fleet.zoom.expectedSessions({ type: 'past', from, to }).map((session) => session.id);
      if (JSON.stringify(ids) !== JSON.stringify(expected)) work.wrongWalks += 1;
    }
  };
  await Promise.all([...Array.from({ length: POLLERS }, (_, index) => poller(index)), ...Array.from({ length: WALKERS }, (_, index) => walker(index)), during ? during() : undefined]);
  return work;
}

function zoomFigures(fleet: Fleet): { calls: number; limited: number } {
  const log = fleet.zoom.callLog();
  return { calls: log.length, limited: log.filter((call) => call.status === 429).length };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!check() && performance.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 20));
  return performance.now() - started;
}

async function cachedCost(bench: Bench, redis: TestRedis, now: () => number): Promise<string> {
  const variables = { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 20 };
  const body = JSON.stringify({ query: QUERY, variables });
  const rows: [string, Record<string, string>][] = [
    ['in memory, no Redis (baseline)', {}],
    ['Redis, in-process tier hit', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:cost:' }],
    ['Redis hit (in-process tier off)', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:cost:', CACHE_LOCAL_MAX_ENTRIES: '0' }],
  ];
  const fleets: Fleet[] = [];
  for (const [, env] of rows) fleets.push(await startFleet(1, now, { ...env, ZOOM_LIST_SESSIONS_PER_MINUTE: '100000' }));
  const runs: Measurement[][] = rows.map(() => []);
  try {
    const expected = await Promise.all(fleets.map((fleet) => post(fleet.urls[0], body)));
    for (let round = 0; round < bench.rounds; round += 1) {
      // Each round starts with another gateway: whichever goes first after a pause runs colder.
      for (let turn = 0; turn < fleets.length; turn += 1) {
        const index = (round + turn) % fleets.length;
        runs[index].push(
          await measure({ url: fleets[index].urls[0], exchanges: [{ body, expected: expected[index].text }], connections: bench.connections, durationSeconds: bench.durationSeconds, warmupSeconds: runs[index].length === 0 ? bench.warmupSeconds : 0 }),
        );
      }
    }
  } finally {
    for (const fleet of fleets) await fleet.close();
  }
  const best = runs.map(bestOf);
  const lines = [
    `A cached page (one October page, first: 20), ${bench.connections} connections, best of ${bench.rounds} runs of ${bench.durationSeconds} s, the three gateways in turn (each round starting with the next):`,
    '',
    '| gateway | req/s | p50 ms | p99 ms | cost vs in memory | answers |',
    '|---|---|---|---|---|---|',
    ...rows.map(([label], index) => `| ${label} | ${figures(best[index])} | ${index === 0 ? '1.00×' : costRatio(best[index], best[0])} | ${status(best[index])} |`),
  ];
  return lines.join('\n');
}

export async function benchRedis(bench: Bench): Promise<string> {
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const redis = await startOwnRedis();
  try {
    const one = await startFleet(1, now, {});
    const oneWork = await fixedWork(one, now);
    const oneZoom = zoomFigures(one);
    await one.close();

    const three = await startFleet(3, now, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:three:', ZOOM_LOCAL_BUDGET_SHARE: '0.33' });
    const threeWork = await fixedWork(three, now);
    const threeZoom = zoomFigures(three);
    await three.close();

    const outage = await startFleet(3, now, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:outage:', ZOOM_LOCAL_BUDGET_SHARE: '0.33' });
    let resumedMs = NaN;
    const outageWork = await fixedWork(outage, now, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await redis.restart();
      resumedMs = await waitUntil(() => outage.gateways.every((gateway) => gateway.core.redis?.health() === 'up'), 20_000);
    });
    const outageZoom = zoomFigures(outage);
    const fallbacks = (await Promise.all(outage.gateways.map((gateway) => gateway.metrics.value(gateway.metrics.redisFallbacks)))).reduce((sum, count) => sum + count, 0);
    await outage.close();

    const row = (label: string, work: Work, zoom: { calls: number; limited: number }) =>
      `| ${label} | ${work.requests} | ${work.served} | ${work.failed} | ${work.walks} | ${work.wrongWalks} | ${zoom.calls} | ${zoom.limited} |`;
    const lines = [
      `Fixed work: ${POLLERS} dashboards polling live sessions ${POLLS_EACH} times every ${POLL_EVERY_MS} ms, spread over the instances; ${WALKERS} reports walking ${WEEKS_EACH} past weeks each (${WALKERS * 2 + WEEKS_EACH - 2} distinct weeks), ${PAGE} a page with ${WALK_THINK_MS} ms between pages, every page on another instance than the one before. Zoom (simulated) allows ${ZOOM_LIMIT} List-sessions calls per ${WINDOW_MS} ms and answers in ${ZOOM_LATENCY_MS} ms.`,
      '',
      '| run | client requests | served with data | failed | walks | wrong walks | Zoom calls | Zoom 429s |',
      '|---|---|---|---|---|---|---|---|',
      row('one instance, in memory', oneWork, oneZoom),
      row('three instances, one Redis', threeWork, threeZoom),
      row('three instances, Redis stopped for 2 s from 0.5 s into the run', outageWork, outageZoom),
      '',
      `Zoom calls, three instances vs one: ${(threeZoom.calls / Math.max(1, oneZoom.calls)).toFixed(2)}× (target ≤ 1.1); through the outage: ${(outageZoom.calls / Math.max(1, oneZoom.calls)).toFixed(2)}×, ${fallbacks} look-ups served without Redis, all three instances sharing again ${Math.round(resumedMs)} ms after Redis came back.`,
      '',
      await cachedCost(bench, redis, now),
    ];
    return lines.join('\n');
  } finally {
    await redis.stop();
  }
}

if (require.main === module) runAsScript(() => benchRedis(benchFromArgs()));
