import 'reflect-metadata';
import { buildSchema, graphql } from 'graphql';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { parseMilliseconds } from '../src/sessions/qos-metrics';
import { ZoomClient } from '../src/zoom/client';
import type { WireQosSample, WireSessionUser } from '../src/zoom/wire-inside';
import { runAsScript } from './bench/run-main';

/**
 * A dashboard page: 30 sessions, their details, their first 10 participants and each
 * participant's quality. Through the gateway, cold (nothing cached) and warm (the same page
 * again), against a naive resolver that makes one Zoom call per field, as REST-to-GraphQL
 * tools do, measured in the same run against the same simulated Zoom.
 */

const ZOOM_LATENCY_MS = 50;
const WARM_RUNS = 20;
const NAIVE_RUNS = 3;
const FROM = '2026-09-01';
const TO = '2026-09-30';

const GATEWAY_QUERY = `{ sessions(type: PAST, from: "${FROM}", to: "${TO}", first: 30) { nodes { id sessionName sessionNumber totalMinutes
  users(first: 10) { nodes { name device qos { samples { dateTime audioInput { latencyMs } } } } } } } }`;

const NAIVE_SDL = `
  type Query { sessions(from: String!, to: String!, first: Int!): SessionConnection! }
  type SessionConnection { nodes: [Session!]! }
  type Session { id: ID! sessionName: String! sessionNumber: String totalMinutes: Int users(first: Int!): UserConnection! }
  type UserConnection { nodes: [User!]! }
  type User { name: String device: String qos: Qos }
  type Qos { samples: [Sample!]! }
  type Sample { dateTime: String! audioInput: Metrics }
  type Metrics { latencyMs: Float }`;
const NAIVE_QUERY = `{ sessions(from: "${FROM}", to: "${TO}", first: 30) { nodes { id sessionName sessionNumber totalMinutes
  users(first: 10) { nodes { name device qos { samples { dateTime audioInput { latencyMs } } } } } } } }`;

/** One Zoom call per field, no loader, no cache: what the gateway is measured against. */
function naiveResolvers(client: ZoomClient) {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    sessions: async (args: { from: string; to: string; first: number }) => ({
      nodes: (await client.listSessions({ type: 'past', from: args.from, to: args.to, pageSize: args.first, pageToken: '' })).sessions.map((session) => ({
        id: session.id,
        sessionName: session.session_name,
        sessionNumber: async () => String((await client.getSession(session.id, 'past')).session.session_number),
        totalMinutes: async () => (await client.getSession(session.id, 'past')).session.total_minutes,
        users: async ({ first }: { first: number }) => ({
          nodes: (await client.listSessionUsers({ sessionId: session.id, type: 'past', pageSize: first, pageToken: '' })).users.map((user: WireSessionUser) => ({
            name: text(user.name),
            device: text(user.device),
            qos: async () => {
              const answer = await client.getSessionUserQos(session.id, String(user.id), 'past');
              const samples = Array.isArray(answer.user_qos) ? (answer.user_qos as WireQosSample[]) : [];
              return { samples: samples.map((sample) => ({ dateTime: text(sample.date_time), audioInput: { latencyMs: parseMilliseconds((sample.audio_input as Record<string, unknown> | undefined)?.latency) ?? null } })) };
            },
          })),
        }),
      })),
    }),
  };
}

interface Figure {
  readonly zoomCalls: number;
  readonly ms: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchInside(): Promise<string> {
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const apiKey = 'bench-key';
  const apiSecret = 'bench-secret';
  const zoom = await startSimulator({ apiKey, apiSecret, now, latencyMs: ZOOM_LATENCY_MS });
  const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: apiKey, ZOOM_VIDEOSDK_API_SECRET: apiSecret, ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent' });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gateway.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  const client = new ZoomClient({ baseUrl: zoom.baseUrl, apiKey, apiSecret, timeoutMs: 30_000, now, maxSockets: 64 });

  const measure = async (ask: () => Promise<unknown>): Promise<Figure> => {
    zoom.resetCalls();
    const started = performance.now();
    const body = (await ask()) as { errors?: unknown[] };
    const ms = performance.now() - started;
    if (body.errors) throw new Error(`the dashboard query failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return { zoomCalls: zoom.calls(), ms };
  };
  const viaGateway = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: GATEWAY_QUERY }) }).then((response) => response.json());
  const schema = buildSchema(NAIVE_SDL);
  const naive = () => graphql({ schema, source: NAIVE_QUERY, rootValue: naiveResolvers(client) });

  try {
    const cold = await measure(viaGateway);
    const warm: Figure[] = [];
    for (let run = 0; run < WARM_RUNS; run += 1) warm.push(await measure(viaGateway));
    const naiveRuns: Figure[] = [];
    for (let run = 0; run < NAIVE_RUNS; run += 1) naiveRuns.push(await measure(naive));
    const warmMs = median(warm.map((figure) => figure.ms));
    const naiveMs = median(naiveRuns.map((figure) => figure.ms));
    const naiveCalls = naiveRuns[0].zoomCalls;
    const row = (label: string, calls: number, ms: number) => `| ${label} | ${calls} | ${ms.toFixed(1)} | ${(calls / naiveCalls).toFixed(3)} | ${(ms / naiveMs).toFixed(2)} |`;
    return [
      `Dashboard page: 30 sessions of ${FROM.slice(0, 7)} with details, 10 participants each and their QoS. Zoom (simulated) answers in ${ZOOM_LATENCY_MS} ms; the gateway paces Heavy calls at 40 a second, the naive resolver not at all (a real Zoom would answer it 429).`,
      '',
      '| run | Zoom calls | latency ms | calls vs naive | latency vs naive |',
      '|---|---|---|---|---|',
      row('gateway, cold', cold.zoomCalls, cold.ms),
      row(`gateway, warm (median of ${WARM_RUNS})`, Math.max(...warm.map((figure) => figure.zoomCalls)), warmMs),
      row(`naive: one call per field (median of ${NAIVE_RUNS})`, naiveCalls, naiveMs),
    ].join('\n');
  } finally {
    client.close();
    await gateway.close();
    await zoom.close();
  }
}

if (require.main === module) runAsScript(() => benchInside());
