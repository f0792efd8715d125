import { Redis } from 'ioredis';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { addDays, todayUtc } from '../../src/time/calendar';
import { simSession } from '../live/webhook-flood';
import { GatewayProcess, liveReconciliations, startGatewayProcesses, webhookUrl } from '../services/gateway-process';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { TestRedis, startOwnRedis, uniqueKeyPrefix, until } from '../services/redis-server';

/**
 * A Redis that restarts from a snapshot (RDB, or a replica promoted behind its primary) comes back with the live
 * state as it was some time ago, generation mark and all: it must not be taken for the whole state. What happened
 * since (a session that ended, a participant who joined) must come back, not be lost without a trace.
 */

const SECRET = 'zoom-webhook-secret-token-for-the-snapshot';
const API_KEY = 'snapshot-api-key';
const API_SECRET = 'snapshot-api-secret-0123456789';
const LIVE = 'query ($from: Date!, $to: Date!) { sessions(type: LIVE, from: $from, to: $to, first: 50) { nodes { sessionId } } }';
const PEOPLE = 'query ($id: ID!) { session(id: $id, type: LIVE) { users(first: 50) { nodes { name } } } }';

async function graphql<T>(gateway: GatewayProcess, query: string, variables: Record<string, unknown>): Promise<T | undefined> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return ((await response.json()) as { data?: T }).data;
}

describe('a Redis restarted from an older snapshot of the live state', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  const gateways: GatewayProcess[] = [];
  const subscribers: ProtocolClient[] = [];
  beforeAll(async () => {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
  });
  afterAll(async () => {
    for (const client of subscribers) await client.close();
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
  });

  it('is found out by two instances: what each applied since the snapshot is applied again, LIVE shows it, and subscribers are shown nothing twice', async () => {
    const startedAt = Date.now() - 60_000;
    const ending = simSession('snapshot/ending==', startedAt);
    const staying = simSession('snapshot/staying==', startedAt);
    zoom.startLiveSession(ending);
    zoom.startLiveSession(staying);
    gateways.push(
      ...(await startGatewayProcesses(2, {
        PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
        ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
        REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('snapshot'), REDIS_COMMAND_TIMEOUT_MS: '200',
        ZOOM_WEBHOOK_SECRET_TOKEN: SECRET,
      })),
    );
    const [first, second] = gateways;
    await until(async () => (await liveReconciliations(first)) + (await liveReconciliations(second)) >= 1, 15_000);
    for (const [index, gateway] of gateways.entries()) {
      const client = await openProtocolClient(gateway.url);
      await initialise(client);
      subscribeEvents(client, `snapshot-${index}`);
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
      subscribers.push(client);
    }
    const at = Date.now();
    expect(await postWebhook(webhookUrl(first), SECRET, sessionEvent('session.started', ending, at))).toBe(200);
    expect(await postWebhook(webhookUrl(second), SECRET, sessionEvent('session.started', staying, at))).toBe(200);
    expect(await postWebhook(webhookUrl(first), SECRET, userEvent('session.user_joined', staying, { id: 'before', name: 'Before Snapshot', participant_uuid: 'uuid-before' }, at + 1))).toBe(200);

    const admin = new Redis(redis.url);
    try {
      await admin.call('SAVE');
    } finally {
      admin.disconnect();
    }
    // After the snapshot, on each instance: one participant joins, one session ends (at Zoom too).
    expect(await postWebhook(webhookUrl(first), SECRET, userEvent('session.user_joined', staying, { id: 'after', name: 'After Snapshot', participant_uuid: 'uuid-after' }, at + 2))).toBe(200);
    const endTime = new Date(at + 3).toISOString();
    zoom.endLiveSession(ending.id, endTime);
    expect(await postWebhook(webhookUrl(second), SECRET, sessionEvent('session.ended', ending, at + 3, endTime))).toBe(200);

    // Redis dies and comes back from the snapshot it wrote before those two events.
    await redis.kill();
    await redis.restart();

    const range = { from: addDays(todayUtc(Date.now()), -1), to: todayUtc(Date.now()) };
    for (const gateway of gateways) {
      let last = {};
      await until(async () => {
        const live = await graphql<{ sessions: { nodes: { sessionId: string }[] } }>(gateway, LIVE, range).catch(() => undefined);
        const people = await graphql<{ session: { users: { nodes: { name: string }[] } } | null }>(gateway, PEOPLE, { id: staying.id }).catch(() => undefined);
        const ids = live?.sessions.nodes.map((node) => node.sessionId) ?? [];
        const names = people?.session?.users.nodes.map((node) => node.name) ?? [];
        last = { ids, names };
        return ids.includes(staying.id) && !ids.includes(ending.id) && names.includes('Before Snapshot') && names.includes('After Snapshot');
      }, 20_000).catch(async (error: Error) => {
        const said = gateways.map((each) => each.output().split('\n').filter((line) => /live state|replay|rebuilt|made whole/.test(line)).join('\n'));
        const look = new Redis(redis.url);
        const keys = await look.keys('*ending*');
        const hashes = await Promise.all(keys.map(async (key) => `${key} ${await look.type(key)} ${JSON.stringify(await look.hgetall(key).catch(() => 'x'))}`));
        look.disconnect();
        throw new Error(`${error.message} on ${gateway.child.pid}: last read ${JSON.stringify(last)}\n${hashes.join('\n')}\n${said.join('\n---\n')}`);
      });
    }
    // Whatever the rebuild found, subscribers were told each change once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const client of subscribers) {
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
      const seen = client.messages
        .filter((message) => message.type === 'next')
        .map((message) => (message.payload as { data: { sessionEvents: { type: string; sessionId: string; user: { name: string } | null } } }).data.sessionEvents)
        .map((event) => `${event.type} ${event.sessionId}${event.user ? ` ${event.user.name}` : ''}`);
      expect(seen.filter((event) => !event.startsWith('SESSION_STARTED')).sort()).toEqual([
        `SESSION_ENDED ${ending.id}`,
        `USER_JOINED ${staying.id} After Snapshot`,
        `USER_JOINED ${staying.id} Before Snapshot`,
      ]);
      // A start is news once: the reconciliation that found them live may publish them after this subscriber came.
      expect(seen.filter((event) => event.startsWith('SESSION_STARTED')).length).toBe(new Set(seen.filter((event) => event.startsWith('SESSION_STARTED'))).size);
    }
  }, 90_000);
});
