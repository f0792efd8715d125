import 'reflect-metadata';
import { benchBudgetBurst } from './bench-budget-burst';
import { benchDashboard } from './bench-dashboard';
import { benchFairness } from './bench-fairness';
import { benchHeavyRate } from './bench-heavy-rate';
import { benchHostile } from './bench-hostile';
import { benchHttp } from './bench-http';
import { benchInside } from './bench-inside';
import { benchInstances } from './bench-instances';
import { benchIntegrations } from './bench-integrations';
import { benchMemory } from './bench-memory';
import { benchLive } from './bench-live';
import { benchLiveFaults } from './bench-live-faults';
import { benchLiveScale } from './bench-live-scale';
import { benchRedis } from './bench-redis';
import { benchSlowSenders } from './bench-slow-senders';
import { benchTracing } from './bench-tracing';
import { benchWorkload } from './bench-workload';
import { benchZoomCapacity } from './bench-zoom-capacity';
import { layoutFromArgs } from './bench/launch';
import { benchFromArgs } from './bench/load';

/**
 * `npm run bench`: every benchmark in sequence, one after another so that none loads the
 * machine while another measures. Flags: `--duration=SECONDS` per HTTP run, `--in-process`,
 * `--only=WORD` for the sections whose title holds the word (`--only=live`).
 */
async function main(): Promise<void> {
  const bench = benchFromArgs();
  const layout = layoutFromArgs();
  const started = Date.now();
  const sections: [string, () => Promise<string>][] = [
    ['Mixed workload', () => benchWorkload()],
    ['Inside sessions: a dashboard page, cold and warm, against one Zoom call per field', () => benchInside()],
    ['HTTP: floor, plain graphql-js, gateway', () => benchHttp(bench, layout)],
    ['HTTP layer: Apollo Server integrations', () => benchIntegrations(bench, layout)],
    ['Hostile requests', () => benchHostile()],
    ['Zoom capacity: many clients, a slow Zoom', () => benchZoomCapacity()],
    ['Dashboard: time to first render', () => benchDashboard()],
    ['Memory a client controls', () => benchMemory()],
    ['Slow senders: connections that never finish their request', () => benchSlowSenders()],
    ['Live: webhooks to subscribers', () => benchLive()],
    ['Live state through a Redis fault: separate gateway processes', () => benchLiveFaults()],
    ['Live state at scale: 5,000 live, 30,000 ended, 3,000 changes at once', () => benchLiveScale()],
    ['Several instances on one Redis', () => benchRedis(bench)],
    ['Fair use of one budget', () => benchFairness()],
    ['Spending the budget at once: bursts against an unlimited budget', () => benchBudgetBurst()],
    ['Heavy calls a second against Zoom\'s latency', () => benchHeavyRate()],
    ['Many instances: the mix on separate processes', () => benchInstances()],
    ['Tracing: OpenTelemetry off and on', () => benchTracing()],
  ];
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).toLowerCase();
  const chosen = sections.filter(([title]) => only === undefined || title.toLowerCase().includes(only));
  if (chosen.length === 0) throw new Error(`no section's title holds "${only}"`);
  for (const [title, run] of chosen) {
    process.stderr.write(`bench: ${title}…\n`);
    process.stdout.write(`### ${title}\n\n${await run()}\n\n`);
  }
  process.stdout.write(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${Math.round((Date.now() - started) / 1000)} s in all.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
