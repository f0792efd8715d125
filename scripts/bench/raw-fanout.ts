import { Server, Socket, connect, createServer } from 'node:net';

/**
 * Child-process entry for the live bench's floor: the same fan-out without the gateway. A writer
 * process writes one small frame to each of N plain TCP sockets in one loop, and a reader process
 * (as the subscribers' process reads) stamps each frame when it is read. No WebSocket, GraphQL or
 * queue stands between: what is left is Node and the kernel writing to N loopback sockets on
 * this machine, which no gateway on one event loop can beat.
 */

export type RawFanoutCommand = { readonly listen: true } | { readonly open: { readonly port: number; readonly count: number } } | { readonly write: { readonly bytes: number } } | { readonly collect: true };
export type RawFanoutAnswer = { readonly port: number } | { readonly opened: number } | { readonly startedAt: number } | { readonly receipts: number[] };

/** Connections being opened at once by the reader. */
const OPENING_AT_ONCE = 100;

function now(): number {
  return performance.timeOrigin + performance.now();
}

const accepted: Socket[] = [];
const opened: Socket[] = [];
let receipts: number[] = [];
let server: Server | undefined;

function listen(): Promise<number> {
  server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    accepted.push(socket);
  });
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve((server?.address() as { port: number }).port)));
}

async function open(port: number, count: number): Promise<number> {
  let next = 0;
  const opener = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const socket = await new Promise<Socket>((resolve, reject) => {
        const created = connect(port, '127.0.0.1', () => resolve(created));
        created.once('error', reject);
      });
      socket.on('data', () => receipts.push(now()));
      opened.push(socket);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING_AT_ONCE, count) }, opener));
  return opened.length;
}

function write(bytes: number): number {
  const frame = Buffer.alloc(bytes, 0x61);
  const startedAt = now();
  for (const socket of accepted) socket.write(frame);
  return startedAt;
}

process.on('message', (command: RawFanoutCommand) => {
  const answer = async (): Promise<RawFanoutAnswer> => {
    if ('listen' in command) return { port: await listen() };
    if ('open' in command) return { opened: await open(command.open.port, command.open.count) };
    if ('write' in command) return { startedAt: write(command.write.bytes) };
    const collected = receipts;
    receipts = [];
    return { receipts: collected };
  };
  void answer().then((message) => process.send?.(message));
});
process.once('disconnect', () => {
  for (const socket of [...accepted, ...opened]) socket.destroy();
  server?.close();
  process.exit(0);
});
