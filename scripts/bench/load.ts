import autocannon from 'autocannon';

/** One request of a run and the exact body it must be answered with. */
export interface Exchange {
  readonly body: string;
  readonly expected: string;
}

export interface LoadOptions {
  readonly url: string;
  /** Sent in turn, one after another across all connections; each answer is checked against its own `expected`. */
  readonly exchanges: readonly Exchange[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** A run of this length, same load, discarded: JIT and pools settle before measuring (0: none). */
  readonly warmupSeconds: number;
}

export interface Measurement {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Why the run cannot be trusted; empty when every answer was a 2xx with its expected body. */
  readonly problems: readonly string[];
}

export interface Bench {
  readonly connections: number;
  /** Each run's measured part. */
  readonly durationSeconds: number;
  /** Before a server's first run only. */
  readonly warmupSeconds: number;
  /** Runs per server, taken in turn with the other servers of the table: a burst of noise from elsewhere hits one run, not one server. */
  readonly rounds: number;
}

/** Keeps `npm run bench` under three minutes on two cores; `--duration=SECONDS` and `--rounds=N` change it. */
export function benchFromArgs(argv: readonly string[] = process.argv): Bench {
  const flag = (name: string, fallback: number): number => {
    const given = argv.find((arg) => arg.startsWith(`--${name}=`));
    const value = given === undefined ? fallback : Number(given.slice(name.length + 3));
    if (!(value > 0)) throw new Error(`--${name} must be a positive number; got ${given}`);
    return value;
  };
  return { connections: 10, durationSeconds: flag('duration', 3), warmupSeconds: 1, rounds: Math.round(flag('rounds', 3)) };
}

/**
 * One figure per server from its rounds: the fastest run, since noise on a shared machine only
 * ever slows a run down. A server with any rejected run is rejected as a whole.
 */
export function bestOf(runs: readonly Measurement[]): Measurement {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const problems = runs.flatMap((run) => run.problems);
  const fastest = runs.reduce((best, run) => (run.requestsPerSecond > best.requestsPerSecond ? run : best));
  return { ...fastest, requests, problems };
}

const HEADERS = { 'content-type': 'application/json' };

/** How much of the first wrong body a rejected run quotes: enough to tell an error from other data. */
const WRONG_BODY_QUOTED_CHARS = 400;

interface Fired {
  readonly result: autocannon.Result;
  readonly wrongBodies: number;
  /** The start of the first wrong body, when the run checked bodies itself. */
  readonly firstWrong?: string;
}

async function fire(options: LoadOptions, durationSeconds: number): Promise<Fired> {
  const { url, exchanges, connections } = options;
  if (exchanges.length === 1) {
    // One request: autocannon builds it once and compares each body itself.
    const result = await autocannon({ url, method: 'POST', headers: HEADERS, body: exchanges[0].body, expectBody: exchanges[0].expected, connections, duration: durationSeconds });
    return { result, wrongBodies: result.mismatches };
  }
  let next = 0;
  let wrongBodies = 0;
  let firstWrong: string | undefined;
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    requests: [
      {
        method: 'POST',
        headers: HEADERS,
        setupRequest: (request, context) => {
          const index = next++ % exchanges.length;
          (context as { index?: number }).index = index;
          return { ...request, body: exchanges[index].body };
        },
        onResponse: (status, body, context) => {
          if (status < 300 && body !== exchanges[(context as { index: number }).index].expected) {
            wrongBodies += 1;
            firstWrong ??= `request ${(context as { index: number }).index}: ${body.slice(0, WRONG_BODY_QUOTED_CHARS)}`;
          }
        },
      },
    ],
  });
  return { result, wrongBodies, firstWrong };
}

export async function measure(options: LoadOptions): Promise<Measurement> {
  if (options.warmupSeconds > 0) await fire(options, options.warmupSeconds);
  const { result, wrongBodies, firstWrong } = await fire(options, options.durationSeconds);
  const problems: string[] = [];
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx`);
  if (result.errors > 0) problems.push(`${result.errors} errors`);
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`);
  if (wrongBodies > 0) problems.push(`${wrongBodies} wrong bodies${firstWrong === undefined ? '' : ` (the first: ${firstWrong})`}`);
  if (result.requests.total === 0) problems.push('no answers');
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    problems,
  };
}

/** What a first request, outside any measured run, was answered with. */
export async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: HEADERS, body });
  return { status: response.status, text: await response.text() };
}

export const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** How many times the cost of one request of the baseline: its req/s over this one's. */
export function costRatio(measurement: Measurement, baseline: Measurement | undefined): string {
  if (baseline === undefined || baseline.problems.length > 0 || measurement.problems.length > 0) return 'n/a';
  return `${fixed(baseline.requestsPerSecond / measurement.requestsPerSecond, 2)}×`;
}

export function status(measurement: Measurement): string {
  return measurement.problems.length === 0 ? `ok (${measurement.requests} answers checked)` : `REJECTED: ${measurement.problems.join(', ')}`;
}

export function figures(measurement: Measurement): string {
  if (measurement.problems.length > 0) return '— | — | —';
  return `${fixed(measurement.requestsPerSecond, 0)} | ${milliseconds(measurement.p50Ms)} | ${milliseconds(measurement.p99Ms)}`;
}

/** autocannon records latency in whole milliseconds: 0 means under one. */
const milliseconds = (value: number): string => (value === 0 ? '<1' : fixed(value, 0));
