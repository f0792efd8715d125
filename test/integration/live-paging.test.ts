import { SessionsPageDocument } from '../generated/graphql';
import { Clock, Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { simSession } from '../live/webhook-flood';
import { TestRedis, startTestRedis, uniqueKeyPrefix } from '../services/redis-server';
import { RedisLivePair, startRedisLivePair } from '../services/redis-live-pair';
import type { SimSession } from '../../src/simulator/dataset';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';
import { addDays, todayUtc } from '../../src/time/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';

/**
 * A client pages the LIVE list (newest first) while sessions start and end between its pages: the
 * page after a cursor holds what followed the cursor's session in that order, whatever left or
 * arrived above it, including when the cursor's own session has ended and another instance serves.
 */
function pagingCases(setup: () => { issuer: Stack; follower: Stack; clock: Clock }): void {
  const webhook = (stack: Stack) => stack.url.replace(/\/graphql$/, '/webhooks/zoom');
  const range = (clock: Clock) => ({ from: addDays(todayUtc(clock.now()), -1), to: todayUtc(clock.now()) });
  let batch = 0;
  /** Every session a case started: each case ends them all, whatever it found, so the next one reads its own alone. */
  const started = new Map<string, SimSession>();

  async function post(stack: Stack, clock: Clock, event: 'session.started' | 'session.ended', session: SimSession): Promise<void> {
    if (event === 'session.started') started.set(session.id, session);
    else started.delete(session.id);
    expect(await postWebhook(webhook(stack), SECRET, sessionEvent(event, session, clock.now()), clock.now())).toBe(200);
  }

  afterEach(async () => {
    const { issuer, follower, clock } = setup();
    for (const session of [...started.values()]) await post(issuer, clock, 'session.ended', session);
    for (const stack of [issuer, follower]) await until(async () => (await page(stack, clock, 50)).ids.length === 0);
  });

  async function page(stack: Stack, clock: Clock, first: number, after?: string): Promise<{ ids: string[]; endCursor: string | null }> {
    const answer = await stack.request(SessionsPageDocument, { type: 'LIVE', ...range(clock), first, after });
    if (!answer.body.data) throw new Error(answer.text);
    const { edges, pageInfo } = answer.body.data.sessions;
    return { ids: edges.map((edge) => edge.node.sessionId), endCursor: pageInfo.endCursor };
  }

  /** Six live sessions a minute apart, s1 the oldest: the list reads s6 … s1. */
  async function sixLive(): Promise<SimSession[]> {
    const { issuer, follower, clock } = setup();
    batch += 1;
    const base = clock.now() - 60 * 60_000;
    const sessions = Array.from({ length: 6 }, (_, n) => simSession(`b${batch}/s${n + 1}==`, base + n * 60_000));
    for (const session of sessions) await post(issuer, clock, 'session.started', session);
    const ids = sessions.map((session) => session.id).reverse();
    for (const stack of [issuer, follower]) await until(async () => JSON.stringify((await page(stack, clock, 50)).ids) === JSON.stringify(ids));
    return sessions;
  }

  async function settle(stack: Stack, clock: Clock, expected: readonly string[]): Promise<void> {
    await until(async () => JSON.stringify((await page(stack, clock, 50)).ids) === JSON.stringify(expected));
  }

  it('skips nothing when the sessions of the page read, the cursor\'s own among them, have ended', async () => {
    const { issuer, follower, clock } = setup();
    const [s1, s2, s3, s4, s5, s6] = await sixLive();
    const first = await page(issuer, clock, 2);
    expect(first.ids).toEqual([s6.id, s5.id]);
    await post(issuer, clock, 'session.ended', s6);
    await post(issuer, clock, 'session.ended', s5);
    await settle(follower, clock, [s4.id, s3.id, s2.id, s1.id]);
    const zoomCalls = issuer.zoom.calls();
    const second = await page(follower, clock, 2, first.endCursor ?? undefined);
    expect(second.ids).toEqual([s4.id, s3.id]);
    expect(issuer.zoom.calls()).toBe(zoomCalls);
  });

  it('repeats nothing when sessions started above the cursor\'s, which has ended', async () => {
    const { issuer, follower, clock } = setup();
    const [s1, s2, s3, s4, s5, s6] = await sixLive();
    const first = await page(issuer, clock, 2);
    expect(first.ids).toEqual([s6.id, s5.id]);
    const fresh = [1, 2, 3].map((n) => simSession(`b${batch}/new${n}==`, clock.now() - 10_000 + n * 1_000));
    for (const session of fresh) await post(issuer, clock, 'session.started', session);
    await post(issuer, clock, 'session.ended', s5);
    await settle(follower, clock, [...fresh.map((session) => session.id).reverse(), s6.id, s4.id, s3.id, s2.id, s1.id]);
    const second = await page(follower, clock, 3, first.endCursor ?? undefined);
    expect(second.ids).toEqual([s4.id, s3.id, s2.id]);
  });

  it('continues after the cursor\'s session while it is live, whatever changed above it', async () => {
    const { issuer, follower, clock } = setup();
    const [s1, s2, s3, s4, s5, s6] = await sixLive();
    const first = await page(issuer, clock, 3);
    expect(first.ids).toEqual([s6.id, s5.id, s4.id]);
    await post(issuer, clock, 'session.ended', s6);
    const fresh = simSession(`b${batch}/new==`, clock.now());
    await post(issuer, clock, 'session.started', fresh);
    await settle(follower, clock, [fresh.id, s5.id, s4.id, s3.id, s2.id, s1.id]);
    expect((await page(follower, clock, 5, first.endCursor ?? undefined)).ids).toEqual([s3.id, s2.id, s1.id]);
  });
}

describe('paging LIVE sessions from the webhook-fed state while they change (one instance)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
    await until(() => stack.gateway.core.live.servesLive());
  });
  afterAll(async () => {
    await stack.close();
  });
  pagingCases(() => ({ issuer: stack, follower: stack, clock: stack.clock }));
});

describe('paging LIVE sessions across two instances sharing the state in Redis', () => {
  let redis: TestRedis;
  let pair: RedisLivePair;

  beforeAll(async () => {
    redis = await startTestRedis();
    pair = await startRedisLivePair({ redisUrl: redis.url, prefix: uniqueKeyPrefix('live-paging'), boundMs: 500, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
  });

  afterAll(async () => {
    await pair.close();
    await redis.stop();
  });

  pagingCases(() => ({ issuer: pair.a, follower: pair.b, clock: pair.clock }));
});
