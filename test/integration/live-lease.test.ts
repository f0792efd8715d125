import { API_KEY, API_SECRET } from '../harness';
import { GatewayProcess, liveReconciliations, startGatewayProcesses } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';

const INTERVAL_S = 4;

/** Polls gently: each look is a /metrics request to every process. */
async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('three gateway processes on one Redis reconcile as one', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startOwnRedis();
    // The processes run on the machine's clock: so does their Zoom.
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    const env = {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('lease'), REDIS_COMMAND_TIMEOUT_MS: '200',
      // Not about Zoom's budget: a reconciliation every 2 s would spend more than 20 List calls a minute.
      ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
      ZOOM_WEBHOOK_SECRET_TOKEN: 'zoom-webhook-secret-token-for-tests', ZOOM_LIVE_RECONCILE_SECONDS: String(INTERVAL_S),
    };
    gateways = await startGatewayProcesses(3, env);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
  });

  const liveListCalls = () => zoom.callLog().filter((call) => call.path.endsWith('/videosdk/sessions') && call.query.type === 'live').length;

  it('spend one instance\'s List calls per interval, and another takes over within two intervals when the holder is killed with kill -9', async () => {
    await until(async () => (await Promise.all(gateways.map(liveReconciliations))).some((count) => count > 0), 20_000);
    // Over five intervals: about one reconciliation (one List call, the list being one page) per interval, not three.
    const before = liveListCalls();
    const counts = await Promise.all(gateways.map(liveReconciliations));
    await new Promise((resolve) => setTimeout(resolve, 5 * INTERVAL_S * 1_000));
    const spent = liveListCalls() - before;
    expect(spent).toBeGreaterThanOrEqual(4);
    expect(spent).toBeLessThanOrEqual(6);
    const after = await Promise.all(gateways.map(liveReconciliations));
    const reconciled = after.map((count, index) => count - counts[index]);
    expect(reconciled.filter((count) => count > 0)).toHaveLength(1);

    const holder = reconciled.findIndex((count) => count > 0);
    const others = gateways.filter((_, index) => index !== holder);
    const othersBefore = await Promise.all(others.map(liveReconciliations));
    await gateways[holder].killHard();
    // The lease lapses within an interval of its last renewal; a survivor takes it within half an interval more
    // (two intervals, plus room for processes on a loaded machine).
    await until(async () => {
      const now = await Promise.all(others.map(liveReconciliations));
      return now.some((count, index) => count > othersBefore[index]);
    }, 2 * INTERVAL_S * 1_000 + 3_000);
  }, 60_000);
});
