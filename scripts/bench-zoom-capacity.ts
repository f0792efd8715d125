import 'reflect-metadata';
import autocannon from 'autocannon';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { runAsScript } from './bench/run-main';
import { API_KEY, API_SECRET, clockOffsetMs } from './bench/targets';

/**
 * many clients against a large Zoom budget and a slow Zoom. Every request asks
 * for a page no other request asks for, so each costs one Zoom call; the budget, not the cache,
 * decides. What counts is whether clients are told ZOOM_UNAVAILABLE while Zoom answers every
 * call it receives with 200: the gateway must not mistake its own queue for a Zoom failure.
 * The baseline row is the same load against a Zoom that answers at once.
 */

const DURATION_SECONDS = 20;
const CONNECTIONS = 500;

interface Scenario {
  readonly label: string;
  readonly perMinute: number;
  readonly zoomLatencyMs: number;
}

const SCENARIOS: readonly Scenario[] = [
  { label: 'baseline: Zoom answers at once, 1,000/min', perMinute: 1_000, zoomLatencyMs: 0 },
  { label: 'Zoom answers in 300 ms, 1,000/min', perMinute: 1_000, zoomLatencyMs: 300 },
  { label: 'Zoom answers in 300 ms, 2,400/min (40/s)', perMinute: 2_400, zoomLatencyMs: 300 },
];

interface Outcome {
  readonly label: string;
  readonly requests: number;
  readonly withData: number;
  readonly codes: ReadonlyMap<string, number>;
  readonly zoomReceived: number;
  readonly zoom200: number;
  readonly p99Ms: number;
}

async function run(scenario: Scenario): Promise<Outcome> {
  const offset = clockOffsetMs();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now, latencyMs: scenario.zoomLatencyMs });
  const config = loadConfig({
    ZOOM_VIDEOSDK_API_KEY: API_KEY,
    ZOOM_VIDEOSDK_API_SECRET: API_SECRET,
    ZOOM_API_BASE_URL: zoom.baseUrl,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ZOOM_LIST_SESSIONS_PER_MINUTE: String(scenario.perMinute),
  });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const codes = new Map<string, number>();
  let withData = 0;
  let next = 0;
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/graphql`,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
      // Longer than the gateway's own request timeout: every answer is the gateway's, not autocannon's.
      timeout: 60,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            const sessionName = `bench-${next++}`;
            const body = JSON.stringify({
              query: 'query($name: String) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1, sessionName: $name) { nodes { id } } }',
              variables: { name: sessionName },
            });
            return { ...request, body };
          },
          onResponse: (_status, body) => {
            const parsed = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
            const code = parsed.errors?.[0]?.extensions?.code;
            if (code === undefined) withData += 1;
            else codes.set(code, (codes.get(code) ?? 0) + 1);
          },
        },
      ],
    });
    const log = zoom.callLog();
    return {
      label: scenario.label,
      requests: result.requests.total,
      withData,
      codes,
      zoomReceived: log.length,
      zoom200: log.filter((call) => call.status === 200).length,
      p99Ms: result.latency.p99,
    };
  } finally {
    await gateway.close();
    await zoom.close();
  }
}

export async function benchZoomCapacity(): Promise<string> {
  const outcomes: Outcome[] = [];
  for (const scenario of SCENARIOS) outcomes.push(await run(scenario));
  const baseline = outcomes[0];
  const codeNames = [...new Set(outcomes.flatMap((outcome) => [...outcome.codes.keys()]))].sort();
  const count = (outcome: Outcome, code: string) => outcome.codes.get(code) ?? 0;
  return [
    `${CONNECTIONS} client connections for ${DURATION_SECONDS} s per run; every request asks for a page of its own (one Zoom call each); the gateway's List-sessions budget as shown, Zoom (simulated) with no limit of its own.`,
    '',
    `| run | answers | with data | ${codeNames.join(' | ')} | Zoom calls received | Zoom 200s | served vs baseline | p99 ms |`,
    `|---|---|---|${codeNames.map(() => '---|').join('')}---|---|---|---|`,
    ...outcomes.map(
      (outcome) =>
        `| ${outcome.label} | ${outcome.requests} | ${outcome.withData} | ${codeNames.map((code) => count(outcome, code)).join(' | ')} | ${outcome.zoomReceived} | ${outcome.zoom200} | ${(outcome.withData / Math.max(1, baseline.withData)).toFixed(2)}x | ${outcome.p99Ms} |`,
    ),
    '',
    `ZOOM_UNAVAILABLE while Zoom answered every call with 200 (target 0): ${outcomes.map((outcome) => `${outcome.label}: ${count(outcome, 'ZOOM_UNAVAILABLE')}`).join('; ')}.`,
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchZoomCapacity());
