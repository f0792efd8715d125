import type { AddressInfo } from 'node:net';
import { Socket, connect, createServer } from 'node:net';
import type { Server } from 'node:http';
import { createHttpServer } from '../../src/transport/http-server';
import { SendState, sendState, watchSendProgress } from '../../src/transport/send-progress';

/**
 * Loopback's kernel takes a slow reader's bytes in bursts, as the reader's window opens (up to about 600 ms apart
 * at the rate below on this machine): a period well above that, so only a reader that took nothing is cut.
 */
const STALL_MS = 1_000;
/** Four times what loopback's kernel buffers took of one answer here (about 4 MB), so most of it waits in libuv. */
const ANSWER_BYTES = 16 * 1024 * 1024;

/** Sends one answer of ANSWER_BYTES in a single write, as a large GraphQL answer is sent. */
function oneLargeAnswer(): Promise<Server> {
  const answer = Buffer.alloc(ANSWER_BYTES, 0x61);
  const server = createHttpServer((_req, res) => void res.writeHead(200, { 'content-length': String(ANSWER_BYTES) }).end(answer), {
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
    sendStallTimeoutMs: STALL_MS,
    maxPipelinedRequests: 8,
    maxUnsentBytes: 1024 * 1024,
    maxConnections: 1_000,
  }, ['GET']);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A client that asks once, then takes at most `bytesPerTick` every 10 ms (none when 0); resolves with what it took when the socket closes. */
function reader(port: number, bytesPerTick: number): { socket: Socket; done: Promise<number> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.pause();
  socket.write('GET /answer HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  let taken = 0;
  const tick = setInterval(() => {
    for (let now = 0; now < bytesPerTick; ) {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) break;
      now += chunk.length;
      taken += chunk.length;
    }
  }, 10);
  const done = new Promise<number>((resolve) =>
    socket.once('close', () => {
      clearInterval(tick);
      resolve(taken);
    }),
  );
  return { socket, done };
}

describe('the send-stall check, against one answer larger than the kernel takes at once', () => {
  let server: Server;
  beforeAll(async () => {
    server = await oneLargeAnswer();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets a slow reader that keeps taking bytes receive the whole answer, for many stall periods', async () => {
    const started = performance.now();
    const { socket, done } = reader((server.address() as AddressInfo).port, 128 * 1024);
    // The answer is whole once the last byte arrived: the reader then closes, the gateway never did.
    let check: NodeJS.Timeout | undefined;
    const whole = new Promise<void>((resolve) => {
      check = setInterval(() => socket.bytesRead >= ANSWER_BYTES && resolve(), 25);
    });
    await Promise.race([whole, done]);
    clearInterval(check);
    expect(socket.bytesRead).toBeGreaterThanOrEqual(ANSWER_BYTES);
    // It took longer than a stall period: a check that saw no progress in one large write would have cut it.
    expect(performance.now() - started).toBeGreaterThan(STALL_MS);
    socket.destroy();
    await done;
  }, 30_000);

  it('cuts a reader that takes nothing once the kernel buffers are full', async () => {
    // A client that reads nothing never sees its socket closed: the gateway's side is watched.
    const cutAtServer = new Promise<void>((resolve) => server.once('connection', (socket: Socket) => socket.once('close', () => resolve())));
    const { socket, done } = reader((server.address() as AddressInfo).port, 0);
    await cutAtServer;
    expect(socket.bytesRead).toBeLessThan(ANSWER_BYTES);
    socket.destroy();
    await done;
  }, 30_000);
});

describe('watchSendProgress', () => {
  const at = (unsent: number, queued: number): SendState => ({ unsent, queued });

  it('calls onStall only after a whole period in which neither count fell', async () => {
    // Read at start, then once a period: a write completes (unsent falls) as what waited behind it goes to libuv at
    // once (queued rises, and so does the sum of the two), then the queue falls, then nothing moves.
    const states = [at(100, 10), at(60, 55), at(60, 40), at(60, 40)];
    let reads = 0;
    const stalled = new Promise<number>((resolve) => watchSendProgress(() => states[Math.min(reads++, states.length - 1)], 20, () => resolve(reads)));
    expect(await stalled).toBe(4);
  });

  it('never calls onStall once stopped', async () => {
    let stalled = false;
    const stop = watchSendProgress(() => at(1, 1), 20, () => {
      stalled = true;
    });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(stalled).toBe(false);
  });

  it('does not cut a reader while a write completes and a larger one that waited behind it goes out (an event stream)', async () => {
    // 6 MB is more than loopback's kernel takes at once, so the first write is still in progress when the second
    // waits behind it; summing the two counts would see a rise there and cut a reader that reads.
    const first = Buffer.alloc(6 * 1024 * 1024, 0x61);
    const second = Buffer.alloc(10 * 1024 * 1024, 0x62);
    let cut = false;
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      // As an event stream writes: events while its socket takes them, then the watch while it waits for drain.
      socket.write(first);
      setImmediate(() => {
        socket.write(second);
        const stop = watchSendProgress(() => sendState(socket, socket), STALL_MS, () => {
          cut = true;
          socket.destroy();
        });
        socket.once('close', stop);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { socket, done } = reader((server.address() as AddressInfo).port, 128 * 1024);
    while (!cut && socket.bytesRead < first.length + second.length && !socket.destroyed) await new Promise((resolve) => setTimeout(resolve, 25));
    expect({ cut, bytesRead: socket.bytesRead }).toEqual({ cut: false, bytesRead: first.length + second.length });
    socket.destroy();
    await done;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, 30_000);
});
