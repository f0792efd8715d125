import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { addDays, todayUtc } from '../../src/time/calendar';
import { GatewayProcess, redisUp, startGatewayProcesses } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix, until } from '../services/redis-server';

/**
 * The account's List-sessions window across gateway processes and a Redis restart: two processes on one Redis
 * spend the minute's 6 calls between them, Redis is killed with kill -9 and started again empty, and the minute is
 * not spent again. Each process puts back the calls it made in the window before the empty Redis decides anything
 * for it; the first to ask is granted one call before the other has put its own back (it had asked for nothing).
 */

const API_KEY = 'rate-window-api-key';
const API_SECRET = 'rate-window-api-secret-0123456789';
const LIST_PER_MINUTE = 6;

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

let nextDay = 0;
/** A page of one past day no query asked before: a List call, unless refused. */
function postNewDay(gateway: GatewayProcess): Promise<Answer> {
  nextDay += 1;
  const day = addDays(todayUtc(Date.now()), -nextDay);
  const query = `{ sessions(type: PAST, from: "${day}", to: "${day}", first: 1) { nodes { sessionId } } }`;
  return fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((response) => response.json() as Promise<Answer>);
}

const outcome = (answer: Answer): string => (answer.errors === undefined ? 'served' : `${String(answer.errors[0].extensions.code)}/${String(answer.errors[0].extensions.reason ?? '')}`);

describe('the List-sessions window across gateway processes and a Redis restart', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    const env = {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('rate-window'),
      // What is counted across processes is tested here, not a slow Redis (redis-slow.test.ts).
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      ZOOM_LIST_SESSIONS_PER_MINUTE: String(LIST_PER_MINUTE),
      ZOOM_LOCAL_BUDGET_SHARE: '0.5',
      // Refused at once rather than queued for the next minute.
      ZOOM_QUEUE_MAX_WAIT_MS: '100',
    };
    gateways = await startGatewayProcesses(2, env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom?.close();
    await redis?.stop();
  });

  it('spends the minute once between two processes, and one call more (not 6) after Redis is killed and restarted empty', async () => {
    zoom.resetCalls();
    const before: string[] = [];
    for (let request = 0; request < 10; request += 1) before.push(outcome(await postNewDay(gateways[request % 2])));
    expect(before.filter((each) => each === 'served')).toHaveLength(LIST_PER_MINUTE);
    expect(before.filter((each) => each !== 'served').every((each) => each === 'ZOOM_RATE_LIMITED/WINDOW')).toBe(true);
    expect(zoom.calls()).toBe(LIST_PER_MINUTE);

    await redis.kill();
    await redis.restart();
    for (const gateway of gateways) await until(() => redisUp(gateway), 15_000);

    // Both processes asked again, each several times, well within the minute: the first puts its 3 back and is
    // granted one more; the second puts its 3 back, and from then on every one is refused.
    const after: string[] = [];
    for (let request = 0; request < 8; request += 1) after.push(outcome(await postNewDay(gateways[request % 2])));
    expect(after).toEqual(['served', ...Array.from({ length: 7 }, () => 'ZOOM_RATE_LIMITED/WINDOW')]);
    expect(zoom.calls()).toBe(LIST_PER_MINUTE + 1);
  }, 120_000);
});
