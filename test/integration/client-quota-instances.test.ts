import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { GatewayProcess, startGatewayProcesses } from '../services/gateway-process';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';

/**
 * A client's share of the daily cap is counted once for every instance: two gateway processes on one Redis give a
 * key looking up made-up ids its share, not twice its share, and another key is served after.
 */

const KEY_A = 'client-a-key-0123456789';
const KEY_B = 'client-b-key-0123456789';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const post = (url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) }).then((response) => response.json() as Promise<Answer>);

describe('a client\'s quota across gateway processes', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    // The machine's clock on both sides: the gateways run on it (no dates are asked here).
    zoom = await startSimulator({ apiKey: 'quota-api-key', apiSecret: 'quota-api-secret-0123456789' });
    const env = {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json',
      ZOOM_VIDEOSDK_API_KEY: 'quota-api-key', ZOOM_VIDEOSDK_API_SECRET: 'quota-api-secret-0123456789', ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('quota-instances'),
      // What is counted across processes is tested here, not a slow Redis (redis-slow.test.ts): a loaded 2-core box may take 50 ms.
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      GATEWAY_API_KEYS: `${KEY_A},${KEY_B}`,
      // A daily cap of 300: each client's share is a tenth (the default), 30 Zoom calls.
      ZOOM_DAILY_LIMIT: '300',
    };
    gateways = await startGatewayProcesses(2, env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom?.close();
    await redis?.stop();
  });

  it('gives a key looking up made-up ids on two instances its share of the day once, and serves another key after', async () => {
    zoom.resetCalls();
    let refused: Answer['errors'] | undefined;
    let lookups = 0;
    for (let id = 0; id < 80 && refused === undefined; id += 1) {
      // Each lookup goes to the other instance than the one before.
      const answer = await post(gateways[id % 2].url, KEY_A, 'query($id: ID!) { session(id: $id) { sessionId } }', { id: `made-up-${id}` });
      lookups += 1;
      refused = answer.errors;
    }
    expect(refused?.[0].extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'CLIENT_QUOTA' });
    expect(refused?.[0].message).toContain('daily cap (30 calls today)');
    expect(zoom.calls()).toBe(30);
    expect(lookups).toBe(31);
    for (const gateway of gateways) {
      const cold = await post(gateway.url, KEY_B, '{ sessions(type: PAST, first: 1) { nodes { sessionId } } }');
      expect(cold.errors).toBeUndefined();
    }
  }, 60_000);
});
