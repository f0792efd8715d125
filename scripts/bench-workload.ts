import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { runAsScript } from './bench/run-main';
import { percentileOfSorted } from './bench/percentile';

/**
 * A team's frontends against one Zoom account: dashboards polling live sessions and reports
 * walking past months, through the gateway with its page cache and without it, in one run.
 * Zoom's real budget applies (20 List-sessions calls a minute), so the figures say how many
 * client queries each Zoom call serves and what clients wait.
 */

const DURATION_MS = 15_000;
const ZOOM_LATENCY_MS = 50;
const DASHBOARDS = 8;
const DASHBOARD_POLL_MS = 250;
const REPORT_MONTHS = [['2026-10-01', '2026-10-31'], ['2026-09-01', '2026-09-30'], ['2026-08-01', '2026-08-31'], ['2026-07-01', '2026-07-31']];
const REPORT_PAGE = 50;

const QUERY = `query($type: SessionType, $from: Date!, $to: Date!, $first: Int, $after: String) {
  sessions(type: $type, from: $from, to: $to, first: $first, after: $after) {
    edges { cursor node { id sessionName startTime userCount } } pageInfo { hasNextPage endCursor } } }`;

interface RunResult {
  label: string;
  queries: number;
  served: number;
  rateLimited: number;
  otherErrors: number;
  zoomCalls: number;
  latencies: number[];
}

async function run(label: string, env: Record<string, string>, now: () => number): Promise<RunResult> {
  const apiKey = 'bench-key';
  const apiSecret = 'bench-secret';
  const zoom = await startSimulator({ apiKey, apiSecret, now, latencyMs: ZOOM_LATENCY_MS, rateLimitPerMinute: 20 });
  const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: apiKey, ZOOM_VIDEOSDK_API_SECRET: apiSecret, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent', ...env });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gateway.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const result: RunResult = { label, queries: 0, served: 0, rateLimited: 0, otherErrors: 0, zoomCalls: 0, latencies: [] };
  const deadline = performance.now() + DURATION_MS;

  const ask = async (variables: Record<string, unknown>): Promise<{ hasNextPage: boolean; endCursor: string | null } | undefined> => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables }) });
    const body = (await response.json()) as { data?: { sessions: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null; errors?: { extensions?: { code?: string } }[] };
    result.queries += 1;
    result.latencies.push(performance.now() - started);
    if (body.data?.sessions) {
      result.served += 1;
      return body.data.sessions.pageInfo;
    }
    if (body.errors?.[0]?.extensions?.code === 'ZOOM_RATE_LIMITED') result.rateLimited += 1;
    else result.otherErrors += 1;
    return undefined;
  };

  const today = new Date(now()).toISOString().slice(0, 10);
  const yesterday = new Date(now() - 86_400_000).toISOString().slice(0, 10);
  const dashboard = async () => {
    while (performance.now() < deadline) {
      await ask({ from: yesterday, to: today, first: 30 });
      await new Promise((resolve) => setTimeout(resolve, DASHBOARD_POLL_MS));
    }
  };
  const report = async ([from, to]: string[]) => {
    let after: string | null = null;
    while (performance.now() < deadline) {
      const page = await ask({ type: 'PAST', from, to, first: REPORT_PAGE, after });
      // A report that fails starts over, as a user pressing "reload" would.
      after = page?.hasNextPage ? page.endCursor : null;
    }
  };
  await Promise.all([...Array.from({ length: DASHBOARDS }, dashboard), ...REPORT_MONTHS.map(report)]);
  result.zoomCalls = zoom.calls();
  await gateway.close();
  await zoom.close();
  return result;
}

function row(result: RunResult): string {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const perCall = result.zoomCalls === 0 ? '∞' : (result.served / result.zoomCalls).toFixed(1);
  return `| ${result.label} | ${result.queries} | ${result.served} | ${result.rateLimited} | ${result.otherErrors} | ${result.zoomCalls} | ${perCall} | ${percentileOfSorted(sorted, 50).toFixed(1)} | ${percentileOfSorted(sorted, 99).toFixed(1)} |`;
}

export async function benchWorkload(): Promise<string> {
  // Simulated dates stay fixed so that the months above lie inside Zoom's six-month horizon.
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const withCache = await run('with page cache (default)', {}, now);
  const withoutCache = await run('without page cache', { CACHE_MAX_ENTRIES: '0' }, now);
  const lines = [
    `Mixed workload, ${DURATION_MS / 1000} s per run: ${DASHBOARDS} dashboards polling live sessions every ${DASHBOARD_POLL_MS} ms, ${REPORT_MONTHS.length} reports walking past months ${REPORT_PAGE} at a time; Zoom (simulated) answers in ${ZOOM_LATENCY_MS} ms and allows 20 List-sessions calls a minute; the gateway's budget is Zoom's.`,
    '',
    '| run | client queries | served with data | ZOOM_RATE_LIMITED | other errors | Zoom calls | queries served per Zoom call | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|---|',
    row(withCache),
    row(withoutCache),
    '',
    `Served queries, cache vs no cache: ${(withCache.served / Math.max(1, withoutCache.served)).toFixed(1)}x.`,
  ];
  return lines.join('\n');
}

if (require.main === module) runAsScript(() => benchWorkload());
