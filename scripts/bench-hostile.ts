import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/server';
import { startSimulator } from '../src/simulator/simulator';
import { HOSTILE_CASES, HostileCase } from '../test/hostile-corpus';
import { runAsScript } from './bench/run-main';
import { percentile } from './bench/percentile';

/**
 * How fast the gateway refuses each hostile request (the target is under 50 ms), beside a
 * trivial query measured in the same run as the baseline.
 */
const ROUNDS = 20;
const TARGET_MS = 50;

async function time(base: string, hostile: HostileCase): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${hostile.path ?? '/graphql'}`, { method: hostile.method ?? 'POST', headers: hostile.headers, body: hostile.body });
  await response.arrayBuffer();
  return performance.now() - started;
}

export async function benchHostile(): Promise<string> {
  const offset = Date.parse('2026-11-27T12:00:00Z') - Date.now();
  const now = () => Date.now() + offset;
  const zoom = await startSimulator({ apiKey: 'bench-key', apiSecret: 'bench-secret', now });
  const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: 'bench-key', ZOOM_VIDEOSDK_API_SECRET: 'bench-secret', ZOOM_API_BASE_URL: zoom.baseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  if (config.zoom.kind !== 'zoom') throw new Error('bench needs the simulator credentials');
  const gateway = await createGateway({ config, zoom: config.zoom, logger: pino({ level: 'silent' }), now });
  const { port } = await gateway.listen('127.0.0.1', 0);
  const base = `http://127.0.0.1:${port}`;
  const trivial: HostileCase = { name: 'baseline: { __typename }', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' };
  const rows: { name: string; p50: number; max: number }[] = [];
  try {
    for (const hostile of [trivial, ...HOSTILE_CASES]) await time(base, hostile);
    for (const hostile of [trivial, ...HOSTILE_CASES]) {
      const samples: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) samples.push(await time(base, hostile));
      rows.push({ name: hostile.name, p50: percentile(samples, 50), max: Math.max(...samples) });
    }
  } finally {
    await gateway.close();
    await zoom.close();
  }
  const baseline = rows[0];
  const hostile = rows.slice(1);
  const slowest = [...hostile].sort((a, b) => b.max - a.max).slice(0, 5);
  const over = hostile.filter((row) => row.max >= TARGET_MS);
  return [
    `Hostile corpus: ${hostile.length} cases x ${ROUNDS} rounds, one at a time. Baseline \`{ __typename }\`: p50 ${baseline.p50.toFixed(2)} ms.`,
    '',
    '| slowest cases | p50 ms | max ms | p50 vs baseline |',
    '|---|---|---|---|',
    ...slowest.map((row) => `| ${row.name} | ${row.p50.toFixed(2)} | ${row.max.toFixed(2)} | ${(row.p50 / baseline.p50).toFixed(1)}x |`),
    '',
    `Cases with any answer at or over ${TARGET_MS} ms: ${over.length}${over.length ? ` (${over.map((row) => row.name).join(', ')})` : ''}. Zoom calls made: ${zoom.calls()}.`,
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchHostile());
