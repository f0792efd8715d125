import Redis from 'ioredis';
import { LiveNowDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, Clock, Stack, startStack } from '../harness';
import { until } from '../live/event-bus.spec';
import { initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';
import { RedisEventBus } from '../../src/live/event-bus.redis';
import { RedisLiveState } from '../../src/live/live-state.redis';
import type { LiveSeams } from '../../src/live/live-wiring';
import { RedisWebhookDedup } from '../../src/live/webhook-dedup.redis';
import type { SimSession } from '../../src/simulator/dataset';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { addDays, todayUtc } from '../../src/zoom/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';
const BOUND_MS = 200;

function simSession(id: string, startMs: number): SimSession {
  return {
    id, session_name: `Session ${id}`, start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

describe('two instances sharing the live state, de-duplication and events through Redis', () => {
  let redis: TestRedis;
  let clients: Redis[];
  let buses: RedisEventBus[];
  let zoom: ZoomSimulator;
  let a: Stack;
  let b: Stack;
  const clock = new Clock();

  function seams(client: Redis, prefix: string, bus: RedisEventBus): LiveSeams {
    return { state: new RedisLiveState(client, prefix, { timeoutMs: BOUND_MS }), dedup: new RedisWebhookDedup(client, prefix, BOUND_MS), bus };
  }

  beforeAll(async () => {
    redis = await startOwnRedis();
    clients = [0, 1].map(() => {
      const client = new Redis(redis.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 });
      client.on('error', () => undefined);
      return client;
    });
    await Promise.all(clients.map((client) => until(() => client.status === 'ready')));
    const prefix = uniqueKeyPrefix('live-two-instances');
    buses = clients.map((client) => new RedisEventBus(client, prefix, BOUND_MS));
    await Promise.all(buses.map((bus) => bus.whenSubscribed()));
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now, sessions: [] });
    const env = { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET };
    a = await startStack({ zoom, clock, env, gateway: { liveSeams: seams(clients[0], prefix, buses[0]) } });
    b = await startStack({ zoom, clock, env, gateway: { liveSeams: seams(clients[1], prefix, buses[1]) } });
    await until(() => a.gateway.core.live.servesLive() && b.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await zoom.close();
    await Promise.all(buses.map((bus) => bus.close()));
    for (const client of clients) client.disconnect();
    await redis.stop();
  });

  const webhook = (stack: Stack) => stack.url.replace(/\/graphql$/, '/webhooks/zoom');
  const range = () => ({ from: addDays(todayUtc(clock.now()), -1), to: todayUtc(clock.now()) });

  it('delivers a webhook taken by one instance to subscribers of the other, and serves it there with no Zoom call', async () => {
    const subscriber = await openProtocolClient(b.url);
    await initialise(subscriber);
    subscribeEvents(subscriber, 'b');
    subscriber.send({ type: 'ping' });
    await subscriber.next((message) => message.type === 'pong');
    const body = sessionEvent('session.started', simSession('shared/one==', clock.now()), clock.now());
    expect(await postWebhook(webhook(a), SECRET, body, clock.now())).toBe(200);
    const message = await subscriber.next((each) => each.type === 'next');
    expect((message.payload as { data: { sessionEvents: { sessionId: string } } }).data.sessionEvents.sessionId).toBe('shared/one==');

    const calls = zoom.calls();
    const answer = await b.request(LiveNowDocument, { ...range(), first: 50 });
    expect(answer.body.data?.sessions.nodes.map((node) => node.sessionId)).toEqual(['shared/one==']);
    expect(zoom.calls()).toBe(calls);

    // Zoom's retry of the same event reaching the other instance is recognised there.
    expect(await postWebhook(webhook(b), SECRET, body, clock.now())).toBe(200);
    await until(async () => {
      const metric = await b.gateway.metrics.registry.getSingleMetric('zoom_webhooks_total')!.get();
      return metric.values.some((value) => value.labels.outcome === 'duplicate' && value.value === 1);
    });
    await subscriber.close();
  });

  it('keeps taking webhooks and serving queries with Redis down', async () => {
    const subscriber = await openProtocolClient(a.url);
    await initialise(subscriber);
    subscribeEvents(subscriber, 'a');
    subscriber.send({ type: 'ping' });
    await subscriber.next((message) => message.type === 'pong');
    await redis.kill();
    await until(() => clients.every((client) => client.status !== 'ready'));
    expect(await postWebhook(webhook(a), SECRET, sessionEvent('session.started', simSession('while/down==', clock.now()), clock.now()), clock.now())).toBe(200);
    // The event still reaches this instance's subscribers; the state will be repaired by reconciliation.
    const message = await subscriber.next((each) => each.type === 'next');
    expect((message.payload as { data: { sessionEvents: { sessionId: string } } }).data.sessionEvents.sessionId).toBe('while/down==');
    // LIVE pages fall back to Zoom (the simulator lists no live session).
    const calls = zoom.calls();
    const answer = await a.request(LiveNowDocument, { ...range(), first: 50 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.sessions.nodes).toEqual([]);
    expect(zoom.calls()).toBe(calls + 1);
    await subscriber.close();
  });
});
