import { LiveFaultDrillOptions, LiveFaultDrillReport, runLiveFaultDrill } from '../test/services/live-fault-drill';
import { runAsScript } from './bench/run-main';

/**
 * Issue #19's fault at the issue's size: 290 live sessions, separate gateway processes on one
 * real redis-server, signed joins flowing to every instance and LIVE polled on every instance,
 * Redis killed with SIGKILL for 10 s and restarted empty on the same port. One instance is the
 * baseline the three are held against (List calls, time to whole), measured in the same run. A last
 * run stalls Redis instead (alive, answering nothing for a while, then running what it held).
 */
const DRILL: Omit<LiveFaultDrillOptions, 'instances'> = {
  sessions: 290,
  rooms: 20,
  joinsPerSecond: 10,
  beforeMs: 3_000,
  outageMs: 10_000,
  afterMs: 5_000,
  wholeWithinMs: 60_000,
};

const STALL_MS = 3_000;

function row(instances: string, report: LiveFaultDrillReport): string {
  return `| ${instances} | ${report.acknowledged} (${report.acknowledgedDuringOutage} in the outage) | ${report.refusedFirst} | ${report.notAcknowledged} | ${report.lost} | ${report.polls} | ${report.partialAnswers} | ${report.errorAnswers} | ${report.spuriousStarts} | ${report.repeatedJoins} of ${report.replayed} replayed | ${report.undelivered} | ${(report.wholeAfterMs / 1000).toFixed(1)} s | ${report.listCalls} |`;
}

export async function benchLiveFaults(): Promise<string> {
  const one = await runLiveFaultDrill({ ...DRILL, instances: 1 });
  const three = await runLiveFaultDrill({ ...DRILL, instances: 3 });
  // The deployment the README recommends: a journal file per instance, so what Redis cannot take is acknowledged on disk.
  const journalled = await runLiveFaultDrill({ ...DRILL, instances: 3, journal: true });
  // Redis alive but holding every command past the gateways' timeouts, then running them all: writes that timed out ran.
  const stalled = await runLiveFaultDrill({ ...DRILL, instances: 3, fault: 'pause', outageMs: STALL_MS });
  const ratio = one.listCalls === 0 ? 'n/a' : (three.listCalls / one.listCalls).toFixed(2);
  return [
    `${DRILL.sessions} live sessions, joins at ${DRILL.joinsPerSecond}/s to every instance in turn, LIVE polled on every instance; Redis killed (SIGKILL) after ${DRILL.beforeMs / 1000} s, restarted empty ${DRILL.outageMs / 1000} s later; a join not answered 200 is sent again once Redis is back (Zoom's resend at +5 minutes, brought forward).`,
    '',
    '| instances | joins acknowledged | answered 503 first (sent again) | never acknowledged | acknowledged but lost | LIVE answers | partial as complete | errors | spurious starts | joins pushed twice | joins a subscriber never got | whole again after the restart | List calls |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    row('1', one),
    row('3', three),
    row('3, each with WEBHOOK_JOURNAL_DIR', journalled),
    row(`3, Redis stalled ${STALL_MS / 1000} s instead (CLIENT PAUSE)`, stalled),
    '',
    `List calls, three instances against one: ${ratio}×.`,
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchLiveFaults());
