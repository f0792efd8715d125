import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { MemoryFigures, MemoryScenario } from './bench/memory-scenarios';
import { runAsScript } from './bench/run-main';

/**
 * What a client can make the gateway hold: each scenario runs in a fresh process with
 * `--expose-gc` and reports heap after a full GC, before and after the load.
 */

function runScenario(scenario: MemoryScenario, heapLimitMb?: number): Promise<MemoryFigures> {
  const execArgv = ['--expose-gc', ...(heapLimitMb ? [`--max-old-space-size=${heapLimitMb}`] : [])];
  const child = fork(join(__dirname, 'bench', 'memory-scenarios.js'), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.once('message', (message: { figures?: MemoryFigures; failed?: string }) => {
      settled = true;
      if (message.figures) resolve(message.figures);
      else reject(new Error(`${scenario} failed: ${message.failed ?? 'no answer'}`));
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`${scenario} exited with ${code ?? signal} before it reported (heap exhausted?)`));
    });
    child.send(scenario);
  });
}

const round = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

export async function benchMemory(only?: 'documents' | 'pipelined'): Promise<string> {
  const lines: string[] = [];
  if (only !== 'pipelined') {
    const large = await runScenario('distinct-documents');
    const small = await runScenario('distinct-small-documents');
    lines.push(
          '| distinct documents | size | heap growth | per document | failed |',
    '|---|---|---|---|---|',
    `| ${large.documents} | ${round(large.documentBytes / 1024)} KB | ${round(large.growthMb)} MB | ${round(large.kbPerDocument, 2)} KB | ${large.failed} |`,
    `| ${small.documents} | ${small.documentBytes} B | ${round(small.growthMb)} MB | ${round(small.kbPerDocument, 2)} KB | ${small.failed} |`,
      '',
    );
  }
  if (only !== 'documents') {
    const pipelined = await runScenario('non-reading-pipelined');
    lines.push(
    `${pipelined.pipelinedClients} clients pipeline ~${pipelined.requestsPerClient} requests each (64 KB) for ${round(pipelined.answerKb)} KB answers and never read. Heap: ${round(pipelined.heapBeforeMb)} MB before, ${round(pipelined.heapStalledMb)} MB after ${5} s, ${round(pipelined.heapDuringMb)} MB after the other clients' run.`,
    `Other clients: ${pipelined.otherAnswered} of ${pipelined.otherRequests} answered, p50 ${round(pipelined.otherP50Ms)} ms, p99 ${round(pipelined.otherP99Ms)} ms; non-reading sockets cut by the gateway: ${pipelined.socketsCut} of ${pipelined.pipelinedClients}.`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  const only = process.argv.find((arg) => arg === 'documents' || arg === 'pipelined');
  runAsScript(() => benchMemory(only === 'documents' || only === 'pipelined' ? only : undefined));
}
