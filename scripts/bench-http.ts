import 'reflect-metadata';
import { addDays } from '../src/time/calendar';
import { LAYOUT_NOTE, Layout, layoutFromArgs, startTarget } from './bench/launch';
import { Bench, Exchange, Measurement, benchFromArgs, bestOf, costRatio, figures, fixed, measure, post, status } from './bench/load';
import { RunningTarget, TargetSpec, clockOffsetMs } from './bench/targets';
import { runAsScript } from './bench/run-main';

/**
 * What the gateway costs per request over HTTP, against two baselines measured in the same
 * run: (1) node:http answering the same bytes (the floor) and (2) the same connection written
 * by hand with graphql-js over the same simulator (scripts/bench/plain-graphql.ts). Every
 * answer of every run is compared with the body checked before the run; a run with any
 * non-2xx, error, timeout or wrong body is rejected, its figures not reported.
 */

/** The target of the issue: the gateway's cost per request within this factor of plain graphql-js. */
const TARGET_RATIO = 1.5;
/** October 2026 holds more than 300 past sessions (the simulator's busy month before "today"). */
const BUSY_MONTH = { from: '2026-10-01', to: '2026-10-31' };
/** Cold walk: this many different 10-day ranges, more than the connections, so no two requests in flight ask the same. */
const COLD_RANGES = 96;
const COLD_RANGE_DAYS = 10;
const COLD_FIRST_DAY = '2026-06-01';

/** A dashboard table: every field of a session. */
const QUERY = `query Sessions($type: SessionType, $from: Date!, $to: Date!, $first: Int) {
  sessions(type: $type, from: $from, to: $to, first: $first) {
    edges { cursor node { id sessionId sessionName sessionKey startTime endTime duration durationSeconds userCount hasVoip hasVideo
      hasScreenShare hasRecording hasPstn hasSessionSummary audioQuality videoQuality screenShareQuality } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

interface Range {
  readonly from: string;
  readonly to: string;
}

const requestBody = (range: Range, first: number): string => JSON.stringify({ query: QUERY, variables: { type: 'PAST', from: range.from, to: range.to, first } });

interface Scenario {
  readonly name: string;
  readonly first: number;
  readonly ranges: readonly Range[];
  /** Whether the servers keep Zoom's pages in memory. */
  readonly cached: boolean;
}

const coldRanges: Range[] = Array.from({ length: COLD_RANGES }, (_, i) => {
  const from = addDays(COLD_FIRST_DAY, i);
  return { from, to: addDays(from, COLD_RANGE_DAYS - 1) };
});

const SCENARIOS: readonly Scenario[] = [
  { name: 'cached `first: 30`', first: 30, ranges: [BUSY_MONTH], cached: true },
  { name: 'cold walk `first: 30`', first: 30, ranges: coldRanges, cached: false },
  { name: '300-item page (cached)', first: 300, ranges: [BUSY_MONTH], cached: true },
];

interface ConnectionBody {
  data?: { sessions?: { edges: { cursor: string; node: { sessionId: string } }[]; pageInfo: { hasNextPage: boolean } } } | null;
  errors?: { message: string }[];
}

/** The answer must be a 200 with exactly the sessions Zoom's own walk gives, in order; returns its nodes. */
function checkAnswer(server: string, answer: { status: number; text: string }, expectedIds: readonly string[], first: number): unknown[] {
  const body = JSON.parse(answer.text) as ConnectionBody;
  const connection = body.data?.sessions;
  const ids = connection?.edges.map((edge) => edge.node.sessionId) ?? [];
  const wanted = expectedIds.slice(0, first);
  if (answer.status !== 200 || !connection || ids.length !== wanted.length || ids.some((id, i) => id !== wanted[i])) {
    throw new Error(`${server} answered ${answer.status} without the expected ${wanted.length} sessions: ${answer.text.slice(0, 300)}`);
  }
  return connection.edges.map((edge) => edge.node);
}

interface Row {
  readonly scenario: string;
  readonly server: string;
  readonly measurement: Measurement;
  readonly floor: Measurement;
  readonly plain: Measurement;
}

export async function benchHttp(bench: Bench = benchFromArgs(), layout: Layout = layoutFromArgs()): Promise<string> {
  const offset = clockOffsetMs();
  const running: RunningTarget[] = [];
  const start = async (spec: TargetSpec): Promise<RunningTarget> => {
    const target = await startTarget(spec, layout);
    running.push(target);
    return target;
  };
  const rows: Row[] = [];
  try {
    const allRanges = [BUSY_MONTH, ...coldRanges];
    const zoom = await start({ kind: 'simulator', clockOffsetMs: offset, expectedFor: allRanges.map((range) => ({ type: 'past', ...range })) });
    const expectedIds = (range: Range): string[] => zoom.expectedIds?.[allRanges.indexOf(range)] ?? [];
    const zoomBaseUrl = zoom.url;
    const servers = {
      plain: await start({ kind: 'plain-graphql', zoomBaseUrl, clockOffsetMs: offset, cache: true }),
      plainCold: await start({ kind: 'plain-graphql', zoomBaseUrl, clockOffsetMs: offset, cache: false }),
      gateway: await start({ kind: 'gateway', zoomBaseUrl, clockOffsetMs: offset, env: {} }),
      gatewayCold: await start({ kind: 'gateway', zoomBaseUrl, clockOffsetMs: offset, env: { CACHE_MAX_ENTRIES: '0' } }),
    };

    for (const scenario of SCENARIOS) {
      const plainServer = scenario.cached ? servers.plain : servers.plainCold;
      const gatewayServer = scenario.cached ? servers.gateway : servers.gatewayCold;
      // One request per range before measuring: it checks the answers, fills the caches that are on, and records the bodies every later answer must equal.
      const plainExchanges: Exchange[] = [];
      const gatewayExchanges: Exchange[] = [];
      for (const range of scenario.ranges) {
        const body = requestBody(range, scenario.first);
        const plainAnswer = await post(plainServer.url, body);
        const gatewayAnswer = await post(gatewayServer.url, body);
        const plainNodes = checkAnswer('plain graphql-js', plainAnswer, expectedIds(range), scenario.first);
        const gatewayNodes = checkAnswer('gateway', gatewayAnswer, expectedIds(range), scenario.first);
        if (JSON.stringify(plainNodes) !== JSON.stringify(gatewayNodes)) {
          throw new Error(`plain graphql-js and the gateway serve different sessions for ${JSON.stringify(range)}`);
        }
        plainExchanges.push({ body, expected: plainAnswer.text });
        gatewayExchanges.push({ body, expected: gatewayAnswer.text });
      }
      // The floor answers the gateway's bytes for the scenario's first request, without reading it.
      const bare = await start({ kind: 'bare', body: gatewayExchanges[0].expected });
      const contenders = [
        { url: bare.url, exchanges: [gatewayExchanges[0]] },
        { url: plainServer.url, exchanges: plainExchanges },
        { url: gatewayServer.url, exchanges: gatewayExchanges },
      ];
      const runs: Measurement[][] = contenders.map(() => []);
      for (let round = 0; round < bench.rounds; round += 1) {
        for (const [i, { url, exchanges }] of contenders.entries()) {
          const warmupSeconds = round === 0 ? bench.warmupSeconds : 0;
          runs[i].push(await measure({ url, exchanges, connections: bench.connections, durationSeconds: bench.durationSeconds, warmupSeconds }));
        }
      }
      const [floor, plain, gateway] = runs.map(bestOf);
      rows.push({ scenario: scenario.name, server: '(1) bare node:http, same bytes', measurement: floor, floor, plain });
      rows.push({ scenario: scenario.name, server: '(2) plain graphql-js', measurement: plain, floor, plain });
      rows.push({ scenario: scenario.name, server: '(3) this gateway', measurement: gateway, floor, plain });
    }
  } finally {
    for (const target of running.reverse()) await target.close();
  }

  const verdicts = rows
    .filter((row) => row.server.startsWith('(3)'))
    .map((row) => {
      if (row.measurement.problems.length > 0 || row.plain.problems.length > 0) return `${row.scenario}: not measured (a run was rejected)`;
      const ratio = row.plain.requestsPerSecond / row.measurement.requestsPerSecond;
      return `${row.scenario}: ${fixed(ratio, 2)}× (${ratio <= TARGET_RATIO ? 'met' : 'MISSED'})`;
    });
  const lines = [
    `HTTP over loopback, ${bench.connections} connections; per server the fastest of ${bench.rounds} runs of ${bench.durationSeconds} s, taken in turn with the other servers of its scenario, after ${bench.warmupSeconds} s of warm-up; ${LAYOUT_NOTE[layout]}.`,
    '',
    '| scenario | server | req/s | p50 ms | p99 ms | cost per request vs (1) | vs (2) | status |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.scenario} | ${row.server} | ${figures(row.measurement)} | ${costRatio(row.measurement, row.floor)} | ${costRatio(row.measurement, row.plain)} | ${status(row.measurement)} |`),
    '',
    `Cost per request is the baseline's req/s over the server's; latency has autocannon's resolution of 1 ms. Target, the gateway within ${TARGET_RATIO}× of plain graphql-js: ${verdicts.join('; ')}.`,
    '',
    'Cached: the Zoom page was read once before the run and each server serves it from memory (the gateway from its page cache, plain graphql-js from a Map). ' +
      `Cold walk: ${COLD_RANGES} different ${COLD_RANGE_DAYS}-day ranges of past sessions, asked in turn, with the gateway's page cache off (CACHE_MAX_ENTRIES=0) and no Map, ` +
      'so every request costs one Zoom call (300-session page) to the simulator; no two requests in flight share one. ' +
      'Both GraphQL servers ask Zoom for the same 300-session page and serve every field of each session; plain graphql-js keeps validated documents in a Map as Apollo Server does, signs no cursors and has no DataLoader. ' +
      'Every answer is compared with the body checked against the simulator before the run.',
  ];
  return lines.join('\n');
}

if (require.main === module) runAsScript(() => benchHttp());
