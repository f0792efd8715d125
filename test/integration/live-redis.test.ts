import { LiveNowDocument } from '../generated/graphql';
import type { Clock, Stack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { simSession } from '../live/webhook-flood';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';
import { RedisLivePair, startRedisLivePair } from '../services/redis-live-pair';
import type { RedisConnection } from '../../src/redis/redis-connection';
import type { ZoomSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { addDays, todayUtc } from '../../src/time/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';
const BOUND_MS = 200;

describe('two instances sharing the live state, de-duplication and events through Redis', () => {
  let redis: TestRedis;
  let pair: RedisLivePair;
  let connections: readonly RedisConnection[];
  let zoom: ZoomSimulator;
  let a: Stack;
  let b: Stack;
  let clock: Clock;

  beforeAll(async () => {
    redis = await startOwnRedis();
    pair = await startRedisLivePair({ redisUrl: redis.url, prefix: uniqueKeyPrefix('live-two-instances'), boundMs: BOUND_MS, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
    ({ a, b, zoom, clock, connections } = pair);
  });

  afterAll(async () => {
    await pair.close();
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

  it('loses no event when Redis is killed and restarted empty, serves LIVE from Zoom meanwhile, and rebuilds with no spurious event', async () => {
    const startedAt = clock.now();
    // 30 sessions Zoom lists, announced by webhooks; one Zoom does not list yet (known from its session.started only); five people in one.
    const listed = Array.from({ length: 30 }, (_, n) => simSession(`listed/${n}==`, startedAt - n * 1_000));
    for (const session of listed) zoom.startLiveSession(session);
    const unlisted = simSession('webhook/only==', startedAt);
    const room = listed[0];
    const people = Array.from({ length: 10 }, (_, n) => ({ id: `p${n}`, name: `Person ${n}`, participant_uuid: `uuid-${n}` }));
    const liveIds = async (stack: Stack) => {
      const answer = await stack.request(LiveNowDocument, { ...range(), first: 100 });
      expect(answer.body.errors).toBeUndefined();
      return (answer.body.data?.sessions.nodes ?? []).map((node) => node.sessionId).sort();
    };
    const before = await liveIds(b);
    const allIds = [...before, ...[...listed, unlisted].map((session) => session.id)].sort();
    for (const session of [...listed, unlisted]) expect(await postWebhook(webhook(a), SECRET, sessionEvent('session.started', session, clock.now()), clock.now())).toBe(200);
    for (const person of people.slice(0, 5)) expect(await postWebhook(webhook(a), SECRET, userEvent('session.user_joined', room, person, clock.now()), clock.now())).toBe(200);
    await until(async () => JSON.stringify(await liveIds(b)) === JSON.stringify(allIds), 5_000);

    const subscriber = await openProtocolClient(b.url);
    await initialise(subscriber);
    subscribeEvents(subscriber, 'b');
    subscriber.send({ type: 'ping' });
    await subscriber.next((message) => message.type === 'pong');

    const rebuilt = async () => {
      let sum = 0;
      for (const stack of [a, b]) {
        const metric = await stack.gateway.metrics.registry.getSingleMetric('zoom_live_reconciliations_total')!.get();
        sum += metric.values.find((value) => value.labels.outcome === 'rebuilt')?.value ?? 0;
      }
      return sum;
    };
    const rebuiltBefore = await rebuilt();
    await redis.kill();
    await until(() => connections.every((connection) => !connection.isUp()));
    // Five joins while Redis is down, held in memory (no journal file) and so not acknowledged: Zoom sends each again.
    // A replay of one within the signature window is no second event.
    const joins = people.slice(5).map((person) => userEvent('session.user_joined', room, person, clock.now()));
    expect(await Promise.all(joins.map((body) => postWebhook(webhook(a), SECRET, body, clock.now())))).toEqual(new Array(joins.length).fill(503));
    expect(await postWebhook(webhook(a), SECRET, joins[0], clock.now())).toBe(503);
    await until(() => a.gateway.core.live.pendingEvents === 5);

    // LIVE never answers a partial list as complete: every answer holds at least what Zoom lists.
    const zoomIds = listed.map((session) => session.id);
    let polls = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        for (const stack of [a, b]) expect(await liveIds(stack)).toEqual(expect.arrayContaining(zoomIds));
        polls += 1;
      }
    })();
    await until(() => polls >= 3);
    await redis.restart();
    await until(() => a.gateway.core.live.pendingEvents === 0 && a.gateway.core.live.servesLive() && b.gateway.core.live.servesLive(), 10_000);
    await until(() => polls >= 6, 5_000);
    polling = false;
    await poll;

    // One instance rebuilt the state from Zoom's list; each gave back what only it knew.
    expect(await rebuilt()).toBe(rebuiltBefore + 1);
    // Zoom's resends find the joins applied from memory: acknowledged now, and no second event.
    for (const body of joins) expect(await postWebhook(webhook(b), SECRET, body, clock.now())).toBe(200);
    // Whole again: every session (the unlisted one too) and all ten participants, served with no Zoom call.
    const calls = zoom.calls();
    for (const stack of [a, b]) expect(await liveIds(stack)).toEqual(allIds);
    expect(zoom.calls()).toBe(calls);
    const present = (await b.gateway.core.live.participants(room.id)).filter((user) => user.leaveTime === null).map((user) => user.id).sort();
    expect(present).toEqual(people.map((person) => person.id).sort());

    // The subscriber saw the five joins once each, and no start again for sessions that never stopped.
    subscriber.send({ type: 'ping' });
    await subscriber.next((each) => each.type === 'pong');
    const events = subscriber.messages
      .filter((each) => each.type === 'next')
      .map((each) => (each.payload as { data: { sessionEvents: { type: string; user: { userId: string } | null } } }).data.sessionEvents);
    expect(events.map((event) => `${event.type} ${event.user?.userId}`).sort()).toEqual(people.slice(5).map((person) => `USER_JOINED ${person.id}`).sort());
    await subscriber.close();
  });
});
