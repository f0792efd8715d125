import 'reflect-metadata';
import { INTEGRATIONS, INTEGRATION_LABELS, Integration } from './bench/apollo-integrations';
import { LAYOUT_NOTE, Layout, layoutFromArgs, startTarget } from './bench/launch';
import { Bench, Measurement, benchFromArgs, bestOf, costRatio, figures, measure, post, status } from './bench/load';
import { RunningTarget, clockOffsetMs } from './bench/targets';
import { runAsScript } from './bench/run-main';

/**
 * Which Apollo Server integration serves the gateway fastest: one gateway core and the same
 * ApolloServer options on each, the same cached query, in one run, side by side.
 */

const QUERY = `query Sessions($type: SessionType, $from: Date!, $to: Date!, $first: Int) {
  sessions(type: $type, from: $from, to: $to, first: $first) {
    edges { cursor node { id sessionName sessionKey startTime endTime duration durationSeconds userCount hasVoip hasVideo
      hasScreenShare hasRecording hasPstn hasSessionSummary audioQuality videoQuality screenShareQuality } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const REQUEST = JSON.stringify({ query: QUERY, variables: { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 30 } });

export async function benchIntegrations(bench: Bench = benchFromArgs(), layout: Layout = layoutFromArgs()): Promise<string> {
  const offset = clockOffsetMs();
  const running: RunningTarget[] = [];
  const results: { integration: Integration; measurement: Measurement }[] = [];
  try {
    const zoom = await startTarget({ kind: 'simulator', clockOffsetMs: offset, expectedFor: [] }, layout);
    running.push(zoom);
    let reference: string | undefined;
    const contenders: { integration: Integration; url: string; expected: string; runs: Measurement[] }[] = [];
    for (const integration of INTEGRATIONS) {
      const target = await startTarget({ kind: 'integration', integration, zoomBaseUrl: zoom.url, clockOffsetMs: offset }, layout);
      running.push(target);
      // The first answer fills the page cache; every integration must serve the very same bytes.
      const answer = await post(target.url, REQUEST);
      const edges = (JSON.parse(answer.text) as { data?: { sessions?: { edges: unknown[] } } }).data?.sessions?.edges;
      if (answer.status !== 200 || edges?.length !== 30) throw new Error(`${integration} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      reference ??= answer.text;
      if (answer.text !== reference) throw new Error(`${integration} serves other bytes than ${INTEGRATIONS[0]}`);
      contenders.push({ integration, url: target.url, expected: answer.text, runs: [] });
    }
    for (let round = 0; round < bench.rounds; round += 1) {
      for (const contender of contenders) {
        const warmupSeconds = round === 0 ? bench.warmupSeconds : 0;
        const exchanges = [{ body: REQUEST, expected: contender.expected }];
        contender.runs.push(await measure({ url: contender.url, exchanges, connections: bench.connections, durationSeconds: bench.durationSeconds, warmupSeconds }));
      }
    }
    for (const { integration, runs } of contenders) results.push({ integration, measurement: bestOf(runs) });
  } finally {
    for (const target of running.reverse()) await target.close();
  }

  const valid = results.filter((result) => result.measurement.problems.length === 0);
  const fastest = valid.reduce<Measurement | undefined>(
    (best, { measurement }) => (best === undefined || measurement.requestsPerSecond > best.requestsPerSecond ? measurement : best),
    undefined,
  );
  return [
    `Apollo Server integrations, cached \`first: 30\` query (every session field), ${bench.connections} connections; per integration the fastest of ${bench.rounds} runs of ${bench.durationSeconds} s, taken in turn, after ${bench.warmupSeconds} s of warm-up; one gateway core (createGatewayCore) and the same ApolloServer options on each; ${LAYOUT_NOTE[layout]}.`,
    '',
    '| integration | req/s | p50 ms | p99 ms | cost per request vs fastest | status |',
    '|---|---|---|---|---|---|',
    ...results.map(({ integration, measurement }) => `| ${INTEGRATION_LABELS[integration]} | ${figures(measurement)} | ${costRatio(measurement, fastest)} | ${status(measurement)} |`),
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchIntegrations());
