import { startSimulator, ZoomSimulator } from '../../src/simulator/simulator';
import { addDays, todayUtc } from '../../src/time/calendar';
import { GatewayProcess, startGatewayProcesses } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

/**
 * The account's List budget (20 a minute) shared by two gateway processes on one Redis: one spends the minute's
 * 20 calls, the other sends nothing, and Redis is killed. Deciding alone, the idle one may spend only what the window
 * it last read left: before, it had read nothing and sent its local share (10) on top, and Zoom answered 429 to each.
 */

const API_KEY = 'governor-idle-api-key';
const API_SECRET = 'governor-idle-api-secret-0123456789';
const LIST = 'query ($from: Date!, $to: Date!, $name: String) { sessions(type: PAST, from: $from, to: $to, first: 1, sessionName: $name) { nodes { sessionId } } }';

async function ask(gateway: GatewayProcess, name: string): Promise<string | undefined> {
  const range = { from: addDays(todayUtc(Date.now()), -3), to: todayUtc(Date.now()) };
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LIST, variables: { ...range, name } }) });
  const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return answer.errors?.[0]?.extensions?.code;
}

describe('an idle instance when Redis goes away after another spent the minute', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, rateLimitPerMinute: 20 });
    gateways = await startGatewayProcesses(2, {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('governor-idle'), REDIS_COMMAND_TIMEOUT_MS: '200',
      ZOOM_LIST_SESSIONS_PER_MINUTE: '20', ZOOM_QUEUE_MAX_WAIT_MS: '100',
    });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
  });

  it('sends Zoom nothing past the minute\'s 20 List calls', async () => {
    const [busy, idle] = gateways;
    zoom.resetCalls();
    for (let n = 0; n < 20; n += 1) expect(await ask(busy, `busy ${n}`)).toBeUndefined();
    // The idle instance's watch reads the window (every second).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.kill();
    const codes = [];
    for (let n = 0; n < 10; n += 1) codes.push(await ask(idle, `idle ${n}`));
    const list = zoom.callLog().filter((call) => call.path.endsWith('/videosdk/sessions'));
    expect(list.filter((call) => call.status === 429)).toHaveLength(0);
    expect(list).toHaveLength(20);
    // Each refused by the gateway itself, with the wait: the minute's budget was spent.
    expect(codes).toEqual(new Array(10).fill('ZOOM_RATE_LIMITED'));
    await redis.restart();
  }, 60_000);
});
