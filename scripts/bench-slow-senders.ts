import { readFileSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { GatewayProcess, gatewayPid, startGatewayProcess } from '../test/services/gateway-process';
import { runAsScript } from './bench/run-main';

/**
 * One address opens SENDERS connections, each announcing a body of 65,000 bytes and sending 60,000 of it, and
 * holds them: what the gateway process holds (RSS), how many stay open, and how long a normal request takes
 * meanwhile. The baseline is the same gateway with the connection cap out of reach (HTTP_MAX_CONNECTIONS at its
 * largest), measured in the same run.
 */
const SENDERS = 12_000;
const SENT_BYTES = 60_000;
const UNCAPPED = 1_000_000;

interface Figures {
  readonly cap: number;
  readonly rssBeforeMb: number;
  readonly rssHeldMb: number;
  readonly openAfter: number;
  readonly refusedOrFailed: number;
  readonly normalStatus: number | string;
  readonly normalMs: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function holdSlowBodies(port: number): Promise<{ sockets: Socket[]; failed: number }> {
  const sockets: Socket[] = [];
  let failed = 0;
  const body = Buffer.alloc(SENT_BYTES, 0x20);
  for (let n = 0; n < SENDERS; n += 1) {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 65000\r\n\r\n');
        socket.write(body);
        resolve();
      });
      socket.on('data', () => undefined);
      socket.on('error', () => {
        failed += 1;
        resolve();
      });
      sockets.push(socket);
    });
  }
  return { sockets, failed };
}

async function run(cap: number): Promise<Figures> {
  let gateway: GatewayProcess | undefined;
  let sockets: Socket[] = [];
  try {
    gateway = await startGatewayProcess({ PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', HTTP_MAX_CONNECTIONS: String(cap) });
    const pid = gatewayPid(gateway);
    const port = Number(new URL(gateway.url).port);
    await pause(1_000);
    const rssBeforeMb = rssMb(pid);
    const held = await holdSlowBodies(port);
    sockets = held.sockets;
    await pause(3_000);
    const rssHeldMb = rssMb(pid);
    const openAfter = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open').length;
    const started = Date.now();
    const normalStatus = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }).then(
      (response) => response.status,
      (error: unknown) => String(error),
    );
    return { cap, rssBeforeMb, rssHeldMb, openAfter, refusedOrFailed: held.failed, normalStatus, normalMs: Date.now() - started };
  } finally {
    for (const socket of sockets) socket.destroy();
    await gateway?.stop();
  }
}

export async function benchSlowSenders(): Promise<string> {
  const uncapped = await run(UNCAPPED);
  const capped = await run(2_000);
  const row = (label: string, figures: Figures) =>
    `| ${label} | ${figures.openAfter} of ${SENDERS.toLocaleString('en-US')} | ${figures.rssBeforeMb.toFixed(0)} MB | ${figures.rssHeldMb.toFixed(0)} MB | ${(figures.rssHeldMb - figures.rssBeforeMb).toFixed(0)} MB | ${figures.normalStatus} in ${figures.normalMs} ms |`;
  return [
    `${SENDERS.toLocaleString('en-US')} connections from one address, each announcing a 65,000-byte body and sending ${SENT_BYTES.toLocaleString('en-US')} bytes of it, then holding; one gateway process each row.`,
    '',
    '| HTTP_MAX_CONNECTIONS | still open after 3 s | RSS before | RSS held | growth | a normal request meanwhile |',
    '|---|---|---|---|---|---|',
    row(`${UNCAPPED.toLocaleString('en-US')} (no cap in reach: the baseline)`, uncapped),
    row('2,000 (the default)', capped),
    '',
    `Growth with the default cap against the baseline: ${((capped.rssHeldMb - capped.rssBeforeMb) / (uncapped.rssHeldMb - uncapped.rssBeforeMb)).toFixed(2)}×.`,
  ].join('\n');
}

if (require.main === module) runAsScript(() => benchSlowSenders());
