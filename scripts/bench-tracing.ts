import { GatewayProcess, startGatewayProcess } from '../test/services/gateway-process';
import { OtlpReceiver, startOtlpReceiver } from '../test/services/otlp-receiver';
import { startSimulator } from '../src/simulator/simulator';
import { inSpan } from '../src/tracing/spans';
import { addMonths, firstOfMonth, lastOfMonth, todayUtc } from '../src/time/calendar';
import { runAsScript } from './bench/run-main';
import { percentileOfSorted } from './bench/percentile';

/**
 * What traces cost: two gateway processes on one simulated Zoom, one without OTEL_* (the
 * default: the SDK is never loaded) and one exporting every span to a real OTLP/HTTP receiver,
 * asked the same warm dashboard page in turns (the worst case for tracing: no Zoom wait to hide
 * in, and a span for every cache load). And the no-op tracer itself, timed in this
 * process, where no SDK is registered: what the instrumentation costs a gateway with traces off.
 */
const ROUNDS = 4;
const REQUESTS_PER_ROUND = 1_000;
const CONCURRENCY = 10;
const NOOP_SPANS = 1_000_000;
const API_KEY = 'tracing-bench-api-key';
const API_SECRET = 'tracing-bench-api-secret-0123456789';

const DASHBOARD = `query Dashboard($from: Date!, $to: Date!) {
  sessions(type: PAST, from: $from, to: $to, first: 30) {
    nodes { sessionId sessionName users(first: 10) { nodes { name qos { worstLossPercent } } } }
  }
}`;

interface Run {
  latencies: number[];
  ms: number;
}

async function load(gateway: GatewayProcess, variables: Record<string, string>, into: Run): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS_PER_ROUND) {
      next += 1;
      const sent = performance.now();
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DASHBOARD, variables }) });
      const body = (await response.json()) as { errors?: unknown[] };
      if (body.errors !== undefined) throw new Error(`the dashboard page failed: ${JSON.stringify(body.errors)}`);
      into.latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  into.ms += performance.now() - started;
}

/** ns per no-op span around an async step, against the same step awaited bare. */
async function noopSpanCost(): Promise<{ bare: number; spanned: number }> {
  const step = async (): Promise<number> => 1;
  const time = async (work: () => Promise<number>): Promise<number> => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < NOOP_SPANS; i += 1) await work();
    return Number(process.hrtime.bigint() - started) / NOOP_SPANS;
  };
  await time(step);
  await time(() => inSpan('bench', {}, step));
  return { bare: await time(step), spanned: await time(() => inSpan('bench', {}, step)) };
}

function row(label: string, run: Run, baseline: Run): string {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const base = [...baseline.latencies].sort((a, b) => a - b);
  const rate = run.latencies.length / (run.ms / 1000);
  const baseRate = baseline.latencies.length / (baseline.ms / 1000);
  return `| ${label} | ${run.latencies.length} | ${rate.toFixed(0)} (${(rate / baseRate).toFixed(2)}×) | ${percentileOfSorted(sorted, 50).toFixed(1)} (${(percentileOfSorted(sorted, 50) / percentileOfSorted(base, 50)).toFixed(2)}×) | ${percentileOfSorted(sorted, 99).toFixed(1)} (${(percentileOfSorted(sorted, 99) / percentileOfSorted(base, 99)).toFixed(2)}×) |`;
}

export async function benchTracing(): Promise<string> {
  const receiver: OtlpReceiver = await startOtlpReceiver();
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
  const env = {
    PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', GATEWAY_AUTH: 'off',
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
    // The page's calls are the simulator's to count, not the budget's to refuse.
    LIMIT_MAX_HEAVY_COST: '1000', ZOOM_MAX_HEAVY_CALLS_PER_REQUEST: '1000',
  };
  const gateways: GatewayProcess[] = [];
  try {
    gateways.push(await startGatewayProcess(env), await startGatewayProcess({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '1000' }));
    const [off, on] = gateways;
    const month = firstOfMonth(addMonths(todayUtc(Date.now()), -1));
    const variables = { from: month, to: lastOfMonth(month) };
    // Warm both: the page's Zoom calls once each, then only the gateway's own work is measured.
    await load(off, variables, { latencies: [], ms: 0 });
    await load(on, variables, { latencies: [], ms: 0 });
    const spansBefore = receiver.spans.length;
    const runs = { off: { latencies: [], ms: 0 } as Run, on: { latencies: [], ms: 0 } as Run };
    // Turn by turn, so that whatever else the machine does weighs on both alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      await load(off, variables, runs.off);
      await load(on, variables, runs.on);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const spansPerRequest = (receiver.spans.length - spansBefore) / runs.on.latencies.length;
    const noop = await noopSpanCost();
    const perRequestNs = (noop.spanned - noop.bare) * spansPerRequest;
    const offMedianMs = percentileOfSorted([...runs.off.latencies].sort((a, b) => a - b), 50);
    return [
      `The warm dashboard page (30 sessions × 10 participants with QoS, every answer of Zoom's in the in-process cache), ${ROUNDS} rounds of ${REQUESTS_PER_ROUND} requests, ${CONCURRENCY} at a time, asked of each process in turn. Traces on: every span exported to a real OTLP/HTTP receiver in this process (batches every second).`,
      '',
      '| process | requests | requests/s (vs off) | p50 ms (vs off) | p99 ms (vs off) |',
      '|---|---|---|---|---|',
      row('traces off: no OTEL_* (baseline)', runs.off, runs.off),
      row('traces on: OTLP/HTTP export', runs.on, runs.off),
      '',
      `Spans exported per request with traces on: ${spansPerRequest.toFixed(1)}. With traces off, each of those places runs a no-op span: ${(noop.spanned - noop.bare).toFixed(0)} ns each over a bare await (${noop.bare.toFixed(0)} vs ${noop.spanned.toFixed(0)} ns, ${NOOP_SPANS.toLocaleString('en')} spans timed in this process), ${(perRequestNs / 1000).toFixed(1)} µs a request: ${((perRequestNs / 1e6 / offMedianMs) * 100).toFixed(2)}% of the median request with traces off.`,
    ].join('\n');
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await receiver.close();
  }
}

if (require.main === module) runAsScript(benchTracing);
