import { GatewayProcess, startGatewayProcesses } from '../test/services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../test/services/redis-server';
import { startSimulator } from '../src/simulator/simulator';
import { addMonths, firstOfMonth, lastOfMonth, todayUtc } from '../src/time/calendar';
import { runAsScript } from './bench/run-main';
import { percentileOfSorted } from './bench/percentile';

/**
 * Issue #18's mix on separate gateway processes: 100 dashboards polling live sessions and 10
 * reports walking past months, for a minute of Zoom's real budget (20 List-sessions calls a
 * minute, enforced by the simulator), against one gateway process (the baseline) and against
 * three processes sharing one real redis-server, the requests spread over them.
 */
const DURATION_MS = 60_000;
const POLLERS = 100;
const POLL_EVERY_MS = 1_000;
const WALKERS = 10;
const WALK_PAGE = 100;
const WALK_THINK_MS = 200;
const ZOOM_LATENCY_MS = 20;
const API_KEY = 'instances-api-key';
const API_SECRET = 'instances-api-secret-for-the-mix';

const QUERY = `query($type: SessionType, $from: Date!, $to: Date!, $first: Int, $after: String) {
  sessions(type: $type, from: $from, to: $to, first: $first, after: $after) {
    nodes { sessionId sessionName startTime userCount } pageInfo { hasNextPage endCursor } } }`;

interface Mix {
  readonly label: string;
  requests: number;
  served: number;
  refused: Map<string, number>;
  latencies: number[];
  zoomCalls: number;
  zoom429s: number;
}

async function runMix(label: string, instances: number, redis: TestRedis | undefined): Promise<Mix> {
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, latencyMs: ZOOM_LATENCY_MS, rateLimitPerMinute: 20 });
  let gateways: GatewayProcess[] = [];
  try {
    gateways = await startGatewayProcesses(instances, {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('instances') } : {}),
    });
    const mix: Mix = { label, requests: 0, served: 0, refused: new Map(), latencies: [], zoomCalls: 0, zoom429s: 0 };
    let turn = 0;
    const ask = async (variables: Record<string, unknown>): Promise<{ hasNextPage: boolean; endCursor: string | null } | undefined> => {
      const url = gateways[turn++ % gateways.length].url;
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables }) });
      const body = (await response.json()) as { data?: { sessions: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null; errors?: { extensions?: { code?: string } }[] };
      mix.requests += 1;
      mix.latencies.push(performance.now() - started);
      if (body.data?.sessions && body.errors === undefined) {
        mix.served += 1;
        return body.data.sessions.pageInfo;
      }
      const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`;
      mix.refused.set(code, (mix.refused.get(code) ?? 0) + 1);
      return undefined;
    };
    const today = todayUtc(Date.now());
    const months = [1, 2, 3, 4, 5].map((back) => firstOfMonth(addMonths(today, -back))).map((from) => [from, lastOfMonth(from)] as const);
    const deadline = performance.now() + DURATION_MS;
    const poller = async (index: number) => {
      // Spread over the first second, as dashboards opened at different moments.
      await new Promise((resolve) => setTimeout(resolve, (index * POLL_EVERY_MS) / POLLERS));
      while (performance.now() < deadline) {
        await ask({ type: 'LIVE', from: today, to: today, first: 30 });
        await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
      }
    };
    const walker = async (index: number) => {
      const [from, to] = months[index % months.length];
      let after: string | null = null;
      while (performance.now() < deadline) {
        const page = await ask({ type: 'PAST', from, to, first: WALK_PAGE, after });
        after = page?.hasNextPage ? page.endCursor : null;
        await new Promise((resolve) => setTimeout(resolve, WALK_THINK_MS));
      }
    };
    await Promise.all([...Array.from({ length: POLLERS }, (_, i) => poller(i)), ...Array.from({ length: WALKERS }, (_, i) => walker(i))]);
    const log = zoom.callLog();
    mix.zoomCalls = zoom.calls();
    mix.zoom429s = log.filter((call) => call.status === 429).length;
    return mix;
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
  }
}

function row(mix: Mix, baseline: Mix): string {
  const sorted = [...mix.latencies].sort((a, b) => a - b);
  const base = [...baseline.latencies].sort((a, b) => a - b);
  const refused = [...mix.refused].map(([code, count]) => `${count} ${code}`).join(', ') || '0';
  return `| ${mix.label} | ${mix.requests} | ${mix.served} | ${refused} | ${mix.zoomCalls} (${(mix.zoomCalls / Math.max(1, baseline.zoomCalls)).toFixed(2)}×) | ${mix.zoom429s} | ${percentileOfSorted(sorted, 50).toFixed(1)} | ${percentileOfSorted(sorted, 99).toFixed(1)} (${(percentileOfSorted(sorted, 99) / percentileOfSorted(base, 99)).toFixed(2)}×) |`;
}

export async function benchInstances(): Promise<string> {
  const one = await runMix('one process, in memory (baseline)', 1, undefined);
  const redis = await startOwnRedis();
  let three: Mix;
  try {
    three = await runMix('three processes, one redis-server', 3, redis);
  } finally {
    await redis.stop();
  }
  return [
    `${DURATION_MS / 1000} s: ${POLLERS} dashboards polling today's LIVE sessions every ${POLL_EVERY_MS} ms and ${WALKERS} reports walking one of the last five months ${WALK_PAGE} at a time (${WALK_THINK_MS} ms between pages), the requests spread over the processes in turn. Zoom (simulated) allows 20 List-sessions calls a minute and answers in ${ZOOM_LATENCY_MS} ms; every gateway setting at its default.`,
    '',
    '| run | requests | served with data | refused | Zoom calls (vs one) | Zoom 429s | p50 ms | p99 ms (vs one) |',
    '|---|---|---|---|---|---|---|---|',
    row(one, one),
    row(three, one),
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchInstances());
