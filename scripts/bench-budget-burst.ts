import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { addDays, addMonths, firstOfMonth, lastOfMonth, todayUtc } from '../src/time/calendar';
import { runAsScript } from './bench/run-main';

/**
 * Issue #18's figures: the account's budget spent at once and exactly. Each run starts a fresh
 * simulator that enforces the budget (20 List-sessions calls a minute, or Pro's 10) and a fresh
 * gateway with its defaults; the baseline of each is the same queries against the same gateway
 * with an unlimited budget, measured in the same run.
 */
const ZOOM_LATENCY_MS = 50;
const API_KEY = 'burst-api-key';
const API_SECRET = 'burst-api-secret-for-the-budget-bench';
const UNLIMITED = 100_000;

interface Answer {
  readonly ms: number;
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;
}

interface Burst {
  readonly answers: Answer[];
  readonly zoomCalls: number;
  readonly zoom429s: number;
}

/**
 * `perMinute` is the List-sessions budget, enforced by the simulator too unless `zoomEnforces` is
 * false: its limit counts every call alike, where Zoom gives Heavy calls (inside sessions) a
 * budget of their own per second, which the gateway's governor keeps.
 */
async function burst(queries: readonly string[], perMinute: number, env: Record<string, string> = {}, zoomEnforces = true): Promise<Burst> {
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, latencyMs: ZOOM_LATENCY_MS, rateLimitPerMinute: zoomEnforces && perMinute !== UNLIMITED ? perMinute : undefined });
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent',
    ...(perMinute === UNLIMITED ? { ZOOM_LIST_SESSIONS_PER_MINUTE: String(UNLIMITED), ZOOM_HEAVY_PER_SECOND: '1000' } : {}),
    ...env,
  });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now: Date.now });
  try {
    const { port } = await gateway.listen('127.0.0.1', 0);
    const url = `http://127.0.0.1:${port}/graphql`;
    const answers = await Promise.all(
      queries.map(async (query): Promise<Answer> => {
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
        const error = body.errors?.[0]?.extensions;
        return { ms: performance.now() - started, code: error?.code, retryAfterSeconds: error?.retryAfterSeconds };
      }),
    );
    return { answers, zoomCalls: zoom.calls(), zoom429s: zoom.callLog().filter((call) => call.status === 429).length };
  } finally {
    await gateway.close();
    await zoom.close();
  }
}

/** Cold runs repeated: each row reports the run with the median slowest answer. */
const REPEATS = 3;

function slowest(run: Burst): number {
  return Math.max(...run.answers.filter((answer) => answer.code === undefined).map((answer) => answer.ms));
}

async function median(run: () => Promise<Burst>): Promise<Burst> {
  const runs: Burst[] = [];
  for (let i = 0; i < REPEATS; i += 1) runs.push(await run());
  return runs.sort((a, b) => slowest(a) - slowest(b))[Math.floor(REPEATS / 2)];
}

function answered(run: Burst): number {
  return run.answers.filter((answer) => answer.code === undefined).length;
}

function row(label: string, run: Burst, baseline: Burst): string {
  const refused = run.answers.filter((answer) => answer.code !== undefined);
  const waits = refused.map((answer) => answer.retryAfterSeconds).filter((value): value is number => value !== undefined);
  const waitText = waits.length === 0 ? '' : ` (retryAfterSeconds ${Math.min(...waits)}–${Math.max(...waits)})`;
  return `| ${label} | ${answered(run)} of ${run.answers.length} | ${refused.length}${waitText} | ${run.zoomCalls} | ${run.zoom429s} | ${slowest(run).toFixed(0)} | ${slowest(baseline).toFixed(0)} | ${(slowest(run) / slowest(baseline)).toFixed(2)}× |`;
}

export async function benchBudgetBurst(): Promise<string> {
  const today = todayUtc(Date.now());
  // Distinct cold queries: one past day each, every one a single List-sessions call.
  const days = (count: number) => Array.from({ length: count }, (_, n) => addDays(today, -(n + 2)));
  const dayQuery = (day: string) => `{ sessions(type: PAST, from: "${day}", to: "${day}", first: 10) { nodes { sessionId } } }`;
  const twenty = days(20).map(dayQuery);
  const twentyFive = days(25).map(dayQuery);
  const ten = days(10).map(dayQuery);
  const months = [1, 2, 3, 4, 5].map((back) => firstOfMonth(addMonths(today, -back)));
  const fiveMonths = [`{ ${months.map((from, n) => `m${n}: sessions(type: PAST, from: "${from}", to: "${lastOfMonth(from)}", first: 20) { nodes { sessionId } }`).join(' ')} }`];
  const last = months[0];
  const dashboard = [`{ sessions(type: PAST, from: "${last}", to: "${lastOfMonth(last)}", first: 30) { nodes { sessionId
    users(first: 10) { nodes { userId name device networkType joinTime leaveTime participantUuid qos { samples { dateTime audioInput { bitrateKbps latencyMs } } } } } } } }`];

  // Warms the process (JIT, first sockets) so that neither side of the first row pays for it.
  await burst(twenty, UNLIMITED);
  const runs: [string, Burst, Burst][] = [];
  runs.push(['20 distinct cold queries together, 20 a minute', await median(() => burst(twenty, 20)), await median(() => burst(twenty, UNLIMITED))]);
  runs.push(['25 distinct cold queries together, 20 a minute', await median(() => burst(twentyFive, 20)), await median(() => burst(twentyFive, UNLIMITED))]);
  runs.push(['10 together on Pro (ZOOM_PLAN=pro), 10 a minute', await median(() => burst(ten, 10, { ZOOM_PLAN: 'pro' })), await median(() => burst(ten, UNLIMITED, { ZOOM_PLAN: 'pro' }))]);
  runs.push(['five months side by side (five aliases), cold', await median(() => burst(fiveMonths, 20)), await median(() => burst(fiveMonths, UNLIMITED))]);
  runs.push(['dashboard page (30 sessions, 10 participants each, QoS), cold', await median(() => burst(dashboard, 20, {}, false)), await median(() => burst(dashboard, UNLIMITED))]);
  return [
    `Each row a fresh gateway (defaults) and a fresh simulated Zoom enforcing the budget, answering in ${ZOOM_LATENCY_MS} ms; the baseline is the same queries with an unlimited budget, in the same run; each side the median of ${REPEATS} cold runs by its slowest answer.`,
    '',
    '| queries | answered with data | refused | Zoom calls | Zoom 429s | slowest answered ms | unlimited budget ms | vs unlimited |',
    '|---|---|---|---|---|---|---|---|',
    ...runs.map(([label, run, baseline]) => row(label, run, baseline)),
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchBudgetBurst());
