import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { runAsScript } from './bench/run-main';

/**
 * Fair use of one budget: dashboards poll pages whose freshness runs out every second,
 * while one client sends a tenth of the traffic as one-off queries, each a Zoom call. Zoom's
 * minute is shrunk to a second (20 calls a second) and the freshness to a second to match.
 */

const API_KEY = 'bench-key';
const API_SECRET = 'bench-secret-for-the-fairness-bench';
/** Each dashboard is its own client, with its own quota. */
const dashboardKey = (index: number) => `dashboard-${index}-key-0123456789`;
const ONE_OFF_KEY = 'one-off-client-key-0123456789';
const DURATION_MS = 8_000;
const DASHBOARDS = 30;
const DASHBOARD_PAGES = 10;
/** The one-off client sends at a fixed pace, answered or not: fast enough to spend more than the budget. */
const ONE_OFF_EVERY_MS = 35;
const WINDOW_MS = 1_000;

const QUERY = `query($type: SessionType, $from: Date!, $to: Date!, $sessionName: String) {
  sessions(type: $type, from: $from, to: $to, first: 5, sessionName: $sessionName) { nodes { id } } }`;

interface Tally {
  data: number;
  stale: number;
  refused: number;
  other: number;
}

const tally = (): Tally => ({ data: 0, stale: 0, refused: 0, other: 0 });

async function run(env: Record<string, string>): Promise<{ dashboards: Tally; oneOff: Tally; zoomCalls: number; limited: number }> {
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now, latencyMs: 20, rateLimitPerMinute: 20, rateLimitWindowMs: WINDOW_MS });
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent',
    GATEWAY_API_KEYS: [...Array.from({ length: DASHBOARDS }, (_, index) => dashboardKey(index)), ONE_OFF_KEY].join(','), ZOOM_LIST_SESSIONS_PER_MINUTE: '20', ZOOM_QUEUE_MAX_WAIT_MS: '1000',
    CACHE_TTL_PAST_SECONDS: '1', CACHE_TTL_RECENT_SECONDS: '1', CACHE_TTL_LIVE_SECONDS: '1', ...env,
  });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now, rateWindowMs: WINDOW_MS });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const dashboards = tally();
  const oneOff = tally();
  const deadline = performance.now() + DURATION_MS;
  const ask = async (key: string, variables: Record<string, unknown>, into: Tally) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query: QUERY, variables }) });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[]; extensions?: { stale?: unknown } };
    if (body.data && !body.errors) {
      if (body.extensions?.stale) into.stale += 1;
      else into.data += 1;
    } else if (body.errors?.[0]?.extensions?.code === 'ZOOM_RATE_LIMITED') into.refused += 1;
    else into.other += 1;
  };
  const day = (index: number) => new Date(Date.parse('2026-11-20') - index * 86_400_000).toISOString().slice(0, 10);
  let unique = 0;
  const dashboard = async (index: number) => {
    for (let poll = 0; performance.now() < deadline; poll += 1) {
      const page = (index + poll) % DASHBOARD_PAGES;
      await ask(dashboardKey(index), { type: 'PAST', from: day(page), to: day(page) }, dashboards);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const oneOffClient = async () => {
    const sent: Promise<void>[] = [];
    while (performance.now() < deadline) {
      unique += 1;
      sent.push(ask(ONE_OFF_KEY, { type: 'PAST', from: day(20 + (unique % 100)), to: day(20 + (unique % 100)), sessionName: `one-off-${unique}` }, oneOff));
      await new Promise((resolve) => setTimeout(resolve, ONE_OFF_EVERY_MS));
    }
    await Promise.all(sent);
  };
  await Promise.all([...Array.from({ length: DASHBOARDS }, (_, index) => dashboard(index)), oneOffClient()]);
  const log = zoom.callLog();
  await gateway.close();
  await zoom.close();
  return { dashboards, oneOff, zoomCalls: log.length, limited: log.filter((call) => call.status === 429).length };
}

const share = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

export async function benchFairness(): Promise<string> {
  const rows: [string, Record<string, string>][] = [
    ['no fairness (no refresh share, no stale, no quota)', { ZOOM_REFRESH_BUDGET_PERCENT: '0', CACHE_STALE_MAX_SECONDS: '0' }],
    ['refresh share 25% and stale if error (defaults)', {}],
    ['defaults + quota of 60 Zoom calls a minute per client', { ZOOM_CALLS_PER_CLIENT_PER_MINUTE: '60' }],
  ];
  const lines = [
    `${DASHBOARDS} dashboards poll ${DASHBOARD_PAGES} pages (fresh for 1 s) every 100 ms; one client sends a one-off query (each a Zoom call) every ${ONE_OFF_EVERY_MS} ms; Zoom allows 20 List-sessions calls a second, the queue waits at most 1 s; ${DURATION_MS / 1000} s per run.`,
    '',
    '| run | dashboard requests | with fresh data | stale (served, marked) | refused | one-off share of traffic | one-off served | one-off refused | Zoom calls | Zoom 429s |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [label, env] of rows) {
    const { dashboards: d, oneOff: o, zoomCalls, limited } = await run(env);
    const dashboardTotal = d.data + d.stale + d.refused + d.other;
    const oneOffTotal = o.data + o.stale + o.refused + o.other;
    lines.push(`| ${label} | ${dashboardTotal} | ${share(d.data, dashboardTotal)} | ${share(d.stale, dashboardTotal)} | ${share(d.refused + d.other, dashboardTotal)} | ${share(oneOffTotal, oneOffTotal + dashboardTotal)} | ${o.data + o.stale} | ${o.refused + o.other} | ${zoomCalls} | ${limited} |`);
  }
  return lines.join('\n');
}

if (require.main === module) runAsScript(() => benchFairness());
