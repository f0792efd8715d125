import pino from 'pino';
import { LiveNowDocument } from '../generated/graphql';
import { API_KEY, API_SECRET, Clock, Stack, startStack } from '../harness';
import { change, until } from '../contracts/event-bus.contract';
import { initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { LiveSeams, redisLiveSeams } from '../../src/seams';
import { connectRedis } from '../services/redis-connection';
import type { SimSession } from '../../src/simulator/dataset';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { addDays, todayUtc } from '../../src/time/calendar';

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
  let connections: RedisConnection[];
  let seams: LiveSeams[];
  let zoom: ZoomSimulator;
  let a: Stack;
  let b: Stack;
  const clock = new Clock();

  beforeAll(async () => {
    redis = await startOwnRedis();
    const prefix = uniqueKeyPrefix('live-two-instances');
    const connected = await Promise.all([0, 1].map(() => connectRedis(redis.url, prefix, BOUND_MS)));
    connections = connected.map((each) => each.connection);
    // Each instance's seams, as seams.ts builds them with REDIS_URL, on one namespace.
    seams = connected.map(({ connection, metrics }) => redisLiveSeams(connection, prefix, metrics, pino({ level: 'silent' })));
    // A change published before both subscriptions are in place would reach one instance only: probe each way.
    for (const [from, to] of [[0, 1], [1, 0]]) {
      let heard = false;
      const stop = seams[to].bus.subscribe(() => (heard = true));
      await until(async () => {
        await seams[from].bus.publish(change('probe'));
        return heard;
      });
      stop();
    }
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now, sessions: [] });
    const env = { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET };
    a = await startStack({ zoom, clock, env, gateway: { liveSeams: seams[0] } });
    b = await startStack({ zoom, clock, env, gateway: { liveSeams: seams[1] } });
    await until(() => a.gateway.core.live.servesLive() && b.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await zoom.close();
    for (const connection of connections) connection.close();
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
    await until(() => connections.every((connection) => !connection.isUp()));
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
