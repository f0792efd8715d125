import { Redis } from 'ioredis';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { SimParticipant, postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { simSession } from '../live/webhook-flood';
import { GatewayProcess, livePeople, startGatewayProcess, webhookUrl } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix, until } from '../services/redis-server';

/**
 * Without WEBHOOK_JOURNAL_DIR an event the shared state cannot take is held only in the process's memory: the
 * gateway answers it 200 only once the state takes it, and 503 otherwise (Zoom sends it again at +5, +20 and
 * +60 minutes), so a gateway killed while Redis is away has acknowledged nothing it loses. Before, it answered
 * 200 for an event kept in memory: killed with kill -9 before Redis came back, it lost every such join.
 */

const SECRET = 'zoom-webhook-secret-token-unjournalled';
const API_KEY = 'unjournalled-api-key';
const API_SECRET = 'unjournalled-api-secret-0123456789';

async function hasAll(gateway: GatewayProcess, sessionId: string, names: readonly string[]): Promise<boolean> {
  const present = await livePeople(gateway, sessionId);
  return present !== undefined && names.every((name) => present.includes(name));
}

describe('webhooks while Redis is away, with no journal file', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  const gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
  });

  const start = async (prefix: string): Promise<GatewayProcess> => {
    const gateway = await startGatewayProcess({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: '200', ZOOM_WEBHOOK_SECRET_TOKEN: SECRET,
    });
    gateways.push(gateway);
    return gateway;
  };
  const joinsOf = (tag: string): SimParticipant[] => ['Ada', 'Grace', 'Edsger'].map((name, n) => ({ id: `${tag}-${n}`, name: `${name} ${tag}`, participant_uuid: `${tag}-uuid-${n}` }));

  it('acknowledges none of what it could not hand to Redis, so a kill -9 loses nothing Zoom will not send again', async () => {
    const prefix = uniqueKeyPrefix('unjournalled-kill');
    const session = simSession('unjournalled/kill+s==', Date.now() - 60_000);
    zoom.startLiveSession(session);
    const doomed = await start(prefix);
    const at = Date.now();
    expect(await postWebhook(webhookUrl(doomed), SECRET, sessionEvent('session.started', session, at))).toBe(200);
    await redis.kill();
    const joins = joinsOf('kill').map((user, n) => userEvent('session.user_joined', session, user, at + 1_000 + n));
    // Zoom's rule: what was answered 200 is never sent again. (Sent at once: each waits 2 s for Redis before its 503.)
    const statuses = await Promise.all(joins.map((join) => postWebhook(webhookUrl(doomed), SECRET, join)));
    const unanswered = joins.filter((_, index) => statuses[index] !== 200);
    expect(unanswered).toHaveLength(3);
    await doomed.killHard();
    await redis.restart();
    const successor = await start(prefix);
    // Zoom's resend (+5 minutes) reaches the gateway that now runs.
    for (const join of unanswered) expect(await postWebhook(webhookUrl(successor), SECRET, join)).toBe(200);
    await until(() => hasAll(successor, session.id, joinsOf('kill').map((user) => user.name)), 20_000);
  }, 90_000);

  it('applies from memory what it answered 503 once Redis is back, and takes Zoom\'s resend as a duplicate', async () => {
    const prefix = uniqueKeyPrefix('unjournalled-back');
    const session = simSession('unjournalled/back+s==', Date.now() - 60_000);
    zoom.startLiveSession(session);
    const gateway = await start(prefix);
    const at = Date.now();
    expect(await postWebhook(webhookUrl(gateway), SECRET, sessionEvent('session.started', session, at))).toBe(200);
    await redis.kill();
    const joins = joinsOf('back').map((user, n) => userEvent('session.user_joined', session, user, at + 1_000 + n));
    expect(await Promise.all(joins.map((join) => postWebhook(webhookUrl(gateway), SECRET, join)))).toEqual([503, 503, 503]);
    await redis.restart();
    const names = joinsOf('back').map((user) => user.name);
    await until(() => hasAll(gateway, session.id, names), 20_000);
    for (const join of joins) expect(await postWebhook(webhookUrl(gateway), SECRET, join)).toBe(200);
    const present = await livePeople(gateway, session.id);
    expect(present?.filter((name) => names.includes(name)).sort()).toEqual([...names].sort());
  }, 90_000);

  it('answers 200 when Redis stalls for less than Zoom waits: the event is taken before the answer', async () => {
    const prefix = uniqueKeyPrefix('unjournalled-stall');
    const session = simSession('unjournalled/stall+s==', Date.now() - 60_000);
    zoom.startLiveSession(session);
    const gateway = await start(prefix);
    const at = Date.now();
    expect(await postWebhook(webhookUrl(gateway), SECRET, sessionEvent('session.started', session, at))).toBe(200);
    // Redis answers no client for 0.8 s: the write times out after 200 ms, and the event is taken when Redis wakes.
    // (From this process's own client: a redis-cli run under faketime, as the suite may be, never returned.)
    const stall = new Redis(redis.url);
    try {
      await stall.call('CLIENT', 'PAUSE', '800', 'ALL');
    } finally {
      stall.disconnect();
    }
    const [user] = joinsOf('stall');
    const sent = Date.now();
    expect(await postWebhook(webhookUrl(gateway), SECRET, userEvent('session.user_joined', session, user, at + 1_000))).toBe(200);
    // The answer waited for Redis (not a 200 for an event held only in memory).
    expect(Date.now() - sent).toBeGreaterThanOrEqual(500);
    // Read from the state again once this instance trusts it after the stall.
    await until(() => hasAll(gateway, session.id, [user.name]), 20_000);
  }, 60_000);
});
