import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A real Redis for a test file: the one CI started (TEST_REDIS_URL), or redis-server from PATH on a free loopback port. */
export interface TestRedis {
  readonly url: string;
  /** Stops the server this helper started (a no-op for CI's, which outlives the file). */
  stop(): Promise<void>;
  /** Stops and restarts a server this helper started, on the same port (for outage tests). Throws for CI's Redis. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket: Socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Redis is a service beside the code under test, not part of it: a suite run under libfaketime (to
 * prove it passes with the machine's clock a year ahead) must not preload the faked clock into
 * redis-server, whose allocator recurses into clock_gettime under it and never starts.
 */
function withoutFakedClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) continue;
    kept[name] = value;
  }
  return kept;
}

/** redis-server on a loopback port, without persistence; `extra` adds arguments (a cluster's, a replica's), `config` comes first (Sentinel's file). */
export function spawnRedis(port: number, dir: string, extra: readonly string[] = [], config?: string): ChildProcess {
  const args = [...(config === undefined ? [] : [config]), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra];
  const child = spawn('redis-server', args, {
    stdio: 'ignore',
    env: withoutFakedClock(process.env),
  });
  child.once('error', () => undefined);
  // A test process that ends without its afterAll (a timeout, a crash) must not leave a server behind.
  const stop = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', stop);
  child.once('exit', () => process.removeListener('exit', stop));
  return child;
}

export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** Own server: a test that stops Redis must not stop the one other files share. */
export async function startOwnRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'zoomgw-redis-'));
  let child: ChildProcess | undefined = spawnRedis(port, dir);
  try {
    await waitForPort(port, 5_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}: install Debian's redis-server (apt-get install redis-server) or set TEST_REDIS_URL`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopChild(child);
      child = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await stopChild(child);
      child = undefined;
    },
    async restart() {
      await stopChild(child);
      child = spawnRedis(port, dir);
      await waitForPort(port, 5_000);
    },
  };
}

/** The shared Redis for tests that only need one running. */
export async function startTestRedis(): Promise<TestRedis> {
  const shared = process.env.TEST_REDIS_URL;
  if (!shared) return startOwnRedis();
  return {
    url: shared,
    stop: async () => undefined,
    kill: async () => {
      throw new Error('CI’s shared Redis cannot be stopped by a test: use startOwnRedis()');
    },
    restart: async () => {
      throw new Error('CI’s shared Redis cannot be restarted by a test: use startOwnRedis()');
    },
  };
}

/** A prefix no other test file uses, so files sharing one Redis never read each other's keys. */
export function uniqueKeyPrefix(name: string): string {
  return `test:${name}:${process.pid}:${Date.now().toString(36)}:`;
}

/** Polls `condition` every 100 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * redis-server processes a test starts for itself, in one temp dir (a cluster's nodes, a
 * Sentinel set): each with an admin connection when asked, all stopped, and the dir removed, together.
 */
export interface RedisProcessGroup {
  readonly dir: string;
  /** The processes by port; a test that kills one deletes it. */
  readonly children: Map<number, ChildProcess>;
  /** An admin connection to the process on `port` (its errors ignored: a test may kill the process), closed by stop(). */
  admin(port: number): Redis;
  stop(): Promise<void>;
}

export function redisProcessGroup(name: string): RedisProcessGroup {
  const dir = mkdtempSync(join(tmpdir(), `zoomgw-${name}-`));
  const children = new Map<number, ChildProcess>();
  const admins: Redis[] = [];
  return {
    dir,
    children,
    admin(port) {
      const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      admins.push(client);
      return client;
    },
    async stop() {
      for (const admin of admins) admin.disconnect();
      await Promise.all([...children.values()].map((child) => stopChild(child)));
      children.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
