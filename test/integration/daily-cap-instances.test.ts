import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { GatewayProcess, redisUp, startGatewayProcesses } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix, until } from '../services/redis-server';

/**
 * The account's daily cap across gateway processes and a Redis restart: two processes on one Redis spend the
 * cap of 300 between them, Redis is killed with kill -9 and started again empty, and the day is not spent again:
 * raising the empty Redis to each process's own 150 calls would not do. Each process knows the shared count it
 * last read, and a Redis that comes back empty is raised to it; only calls a process had not
 * seen (made elsewhere after its last read) can go again, until the process that saw them asks.
 */

const API_KEY = 'daily-cap-api-key';
const CLIENT_KEY = 'daily-cap-client-key-0123456789';
const DAILY_CAP = 300;
const LOOKUPS_PER_REQUEST = 10;

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const post = (url: string, query: string): Promise<Answer> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY }, body: JSON.stringify({ query }) }).then((response) => response.json() as Promise<Answer>);

/** Ten lookups of ids Zoom does not know: ten Heavy calls, each counted towards the daily cap. */
let nextId = 0;
function madeUpLookups(): string {
  const fields = Array.from({ length: LOOKUPS_PER_REQUEST }, () => {
    nextId += 1;
    return `s${nextId}: session(id: "made-up-${nextId}") { sessionId }`;
  });
  return `{ ${fields.join(' ')} }`;
}

const codes = (answer: Answer): string[] => (answer.errors ?? []).map((error) => `${String(error.extensions.code)}/${String(error.extensions.reason ?? '')}`);

describe('the daily cap across gateway processes and a Redis restart', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startOwnRedis();
    // The machine's clock on both sides: the gateways run on it (no dates are asked here).
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: 'daily-cap-api-secret-0123456789' });
    const env = {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: 'daily-cap-api-secret-0123456789', ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('daily-cap'),
      // What is counted across processes is tested here, not a slow Redis (redis-slow.test.ts): a loaded 2-core box may take 50 ms.
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      GATEWAY_API_KEYS: CLIENT_KEY,
      ZOOM_DAILY_LIMIT: String(DAILY_CAP),
      // No client's share here (0 turns it off): the account's cap is what is tested.
      ZOOM_CLIENT_DAILY_SHARE_PERCENT: '0',
    };
    gateways = await startGatewayProcesses(2, env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom?.close();
    await redis?.stop();
  });

  it('spends the cap once between two processes, and not a call more after Redis is killed and restarted empty', async () => {
    zoom.resetCalls();
    let request = 0;
    let capped = false;
    while (!capped && request < 2 * (DAILY_CAP / LOOKUPS_PER_REQUEST)) {
      // Each request to the other process than the one before.
      const answer = await post(gateways[request % 2].url, madeUpLookups());
      request += 1;
      capped = codes(answer).includes('ZOOM_RATE_LIMITED/DAILY_CAP');
    }
    expect(capped).toBe(true);
    expect(zoom.calls()).toBe(DAILY_CAP);

    await redis.kill();
    await redis.restart();
    for (const gateway of gateways) await until(() => redisUp(gateway), 15_000);

    // Both processes are asked again, each more than once: every lookup is refused for the day, none reaches Zoom.
    for (let round = 0; round < 4; round += 1) {
      const answer = await post(gateways[round % 2].url, madeUpLookups());
      expect(new Set(codes(answer))).toEqual(new Set(['ZOOM_RATE_LIMITED/DAILY_CAP']));
      expect(answer.errors?.[0].message).toMatch(/daily/i);
    }
    expect(zoom.calls()).toBe(DAILY_CAP);
  }, 120_000);
});
