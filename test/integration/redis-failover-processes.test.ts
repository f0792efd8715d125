import { Redis } from 'ioredis';
import { accountNamespace } from '../../src/redis/redis-connection';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { GatewayProcess, startGatewayProcess } from '../services/gateway-process';
import { TestRedisCluster, startRedisCluster } from '../services/redis-cluster';
import { uniqueKeyPrefix, until } from '../services/redis-server';
import { TestRedisSentinel, startRedisSentinel } from '../services/redis-sentinel';

/**
 * A Redis primary killed with kill -9 under traffic, as production loses one: the sentinels (or the
 * cluster) promote its replica, and a gateway process in front of it fails no GraphQL request on the
 * way; once the replica has taken over, the gateway shares through it again by itself.
 */

const API_KEY = 'failover-api-key';
const API_SECRET = 'failover-api-secret-0123456789';
const CLIENT_KEY = 'failover-client-key-0123456789';

interface Outcome {
  readonly status: number;
  readonly errors?: unknown[];
}

let nextId = 0;
/** Two lookups of ids Zoom does not know (the governor and the inside store) and the live list (the page store). */
function query(): string {
  nextId += 1;
  return `{ a: session(id: "made-up-${nextId}-a") { sessionId } b: session(id: "made-up-${nextId}-b") { sessionId } sessions { edges { node { sessionId } } } }`;
}

async function ask(gateway: GatewayProcess): Promise<Outcome> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY }, body: JSON.stringify({ query: query() }) });
  const body = (await response.json()) as { errors?: unknown[] };
  return { status: response.status, errors: body.errors };
}

async function redisState(gateway: GatewayProcess): Promise<string | undefined> {
  const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz')).then((response) => response.json() as Promise<{ redis?: string }>);
  return ready.redis;
}

/** Requests from `workers` clients one after another until stopped; every one that was not a clean 200 is kept. */
function traffic(gateway: GatewayProcess, workers: number): { stop(): Promise<{ sent: number; failed: Outcome[] }> } {
  let running = true;
  let sent = 0;
  const failed: Outcome[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const outcome = await ask(gateway).catch((error: unknown) => ({ status: 0, errors: [String(error)] }));
      sent += 1;
      if (outcome.status !== 200 || outcome.errors !== undefined) failed.push(outcome);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { sent, failed };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The account's daily count as the promoted primary holds it: it rises while traffic goes on only if the gateway writes there. */
async function dailyCountOn(port: number, keyPrefix: string): Promise<number> {
  const direct = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    return Number(await direct.hget(`${accountNamespace(keyPrefix, API_KEY)}governor:daily`, 'used'));
  } finally {
    direct.disconnect();
  }
}

async function rises(read: () => Promise<number>): Promise<void> {
  const before = await read();
  await until(async () => (await read()) > before, 10_000);
}

function gatewayEnv(zoom: ZoomSimulator, redisUrl: string, keyPrefix: string): Record<string, string> {
  return {
    PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
    REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, REDIS_COMMAND_TIMEOUT_MS: '200',
    GATEWAY_API_KEYS: CLIENT_KEY,
    // Lookups are the traffic here, not the budget under test.
    ZOOM_HEAVY_PER_SECOND: '1000', ZOOM_CLIENT_DAILY_SHARE_PERCENT: '0',
  };
}

describe('a Sentinel failover under traffic', () => {
  let sentinel: TestRedisSentinel;
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  const keyPrefix = uniqueKeyPrefix('sentinel-failover');
  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    gateway = await startGatewayProcess(gatewayEnv(zoom, sentinel.url, keyPrefix));
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await zoom?.close();
    await sentinel?.stop();
  });

  it('costs no failed request, and the gateway shares through the promoted replica', async () => {
    await until(async () => (await redisState(gateway)) === 'up', 10_000);
    const load = traffic(gateway, 4);
    await sleep(500);
    const old = await sentinel.primary();
    const promoted = await sentinel.killPrimary(30_000);
    expect(promoted).not.toBe(old);
    await until(async () => (await redisState(gateway)) === 'up', 15_000);
    await rises(() => dailyCountOn(promoted, keyPrefix));
    const { sent, failed } = await load.stop();
    expect(failed).toEqual([]);
    expect(sent).toBeGreaterThan(20);
  }, 60_000);
});

describe('a cluster primary killed under traffic', () => {
  let cluster: TestRedisCluster;
  let zoom: ZoomSimulator;
  let gateway: GatewayProcess;
  const keyPrefix = uniqueKeyPrefix('cluster-failover');
  beforeAll(async () => {
    cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    gateway = await startGatewayProcess(gatewayEnv(zoom, cluster.url, keyPrefix));
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await zoom?.close();
    await cluster?.stop();
  });

  it('costs no failed request, and the gateway shares through the replica promoted in its place', async () => {
    await until(async () => (await redisState(gateway)) === 'up', 10_000);
    const load = traffic(gateway, 4);
    await sleep(500);
    // The primary of the account's hash slot: every key of the gateway is there.
    const key = `${accountNamespace(keyPrefix, API_KEY)}governor:daily`;
    const old = await cluster.primaryOf(key);
    await cluster.kill(old);
    await until(async () => (await cluster.primaryOf(key).catch(() => old)) !== old, 30_000);
    await cluster.whenHealthy(15_000);
    await until(async () => (await redisState(gateway)) === 'up', 15_000);
    await rises(async () => dailyCountOn(await cluster.primaryOf(key), keyPrefix));
    const { sent, failed } = await load.stop();
    expect(failed).toEqual([]);
    expect(sent).toBeGreaterThan(20);
  }, 60_000);
});
