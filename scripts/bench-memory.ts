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

type Section = 'documents' | 'pipelined' | 'streams' | 'cache';
const SECTIONS: readonly Section[] = ['documents', 'pipelined', 'streams', 'cache'];

export async function benchMemory(only?: Section): Promise<string> {
  const lines: string[] = [];
  if (only === undefined || only === 'documents') {
    const large = await runScenario('distinct-documents');
    const small = await runScenario('distinct-small-documents');
    const persisted = await runScenario('distinct-persisted-queries');
    lines.push(
      '| distinct documents | size | heap growth | per document | failed |',
      '|---|---|---|---|---|',
      `| ${large.documents} | ${round(large.documentBytes / 1024)} KB | ${round(large.growthMb)} MB | ${round(large.kbPerDocument, 2)} KB | ${large.failed} |`,
      `| ${small.documents} | ${small.documentBytes} B | ${round(small.growthMb)} MB | ${round(small.kbPerDocument, 2)} KB | ${small.failed} |`,
      `| ${persisted.documents} persisted (APQ) | ${persisted.documentBytes} B | ${round(persisted.growthMb)} MB | ${round(persisted.kbPerDocument, 2)} KB | ${persisted.failed} |`,
      '',
      `Heap growth against the document store's bound (DOCUMENT_CACHE_MAX_BYTES, 16 MiB): ${round(large.growthMb / 16, 2)}x for the 60 KB documents, ${round(small.growthMb / 16, 2)}x for the small ones.`,
      '',
    );
  }
  if (only === undefined || only === 'pipelined') {
    const pipelined = await runScenario('non-reading-pipelined');
    lines.push(
      `${pipelined.pipelinedClients} clients pipeline ~${pipelined.requestsPerClient} requests each (64 KB) for ${round(pipelined.answerKb)} KB answers and never read. Heap: ${round(pipelined.heapBeforeMb)} MB before, ${round(pipelined.heapStalledMb)} MB after 5 s, ${round(pipelined.heapDuringMb)} MB after the other clients' run.`,
      `Other clients: ${pipelined.otherAnswered} of ${pipelined.otherRequests} answered, p50 ${round(pipelined.otherP50Ms)} ms, p99 ${round(pipelined.otherP99Ms)} ms (${round(pipelined.otherP99Ms / pipelined.baselineP99Ms)}x their p99 of ${round(pipelined.baselineP99Ms)} ms alone, in the same run); non-reading sockets cut by the gateway: ${pipelined.socketsCut} of ${pipelined.pipelinedClients}.`,
    );
  }
  if (only === undefined || only === 'streams') {
    const streams = await runScenario('non-reading-streams');
    lines.push(
      '',
      `${streams.stalledStreams} event streams (SSE) stop reading while ${streams.events} joins flow (events of ${round(streams.eventBytes / 1024)} KB on average, ${round((streams.events * streams.eventBytes) / 1024 / 1024)} MB a stream); one reads all along and got ${streams.readerEvents}. Unsent bytes on the gateway's side of the sockets (what the kernel has not taken), per stalled stream: at most ${round(streams.peakUnsentKbPerStalledStream)} KB during the flood, ${round((streams.unsentMbAfter * 1024) / streams.stalledStreams)} KB after it. Heap and buffers grew by ${round(streams.heldAfterMb - streams.heldBeforeMb)} MB in all (events still queued for the stalled streams, shared by them; SUBSCRIPTION_BUFFER_EVENTS bounds how many); stalled streams cut by the gateway: ${streams.stalledCut} of ${streams.stalledStreams}.`,
    );
  }
  if (only === undefined || only === 'cache') {
    const cache = await runScenario('page-cache');
    lines.push(
      '',
      `Page cache: ${cache.pages} pages read in full (every session mapped, every cursor signed) hold ${round(cache.heldMb)} MB of heap for ${round(cache.zoomMb)} MB Zoom sent: ${round(cache.heldPerZoomByte, 2)} bytes held per Zoom byte. CACHE_MAX_BYTES is charged ${round(cache.chargedMb)} MB for them (heldBytes): ${round(cache.chargedMb / cache.heldMb, 2)} of what they hold (it was charged Zoom's bytes, ${round(cache.zoomMb / cache.heldMb, 2)}).`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  const only = SECTIONS.find((section) => process.argv.includes(section));
  runAsScript(() => benchMemory(only));
}
