import { SessionsPageDocument } from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';
import { addDays, todayUtc } from '../../src/time/calendar';
import { until } from '../contracts/event-bus.contract';
import { ProtocolClient, initialise, openProtocolClient } from '../live/ws-client';
import { simSession } from '../live/webhook-flood';
import { postWebhook, userEvent } from '../../src/simulator/webhooks';

const HEAVY_KEY = 'subscription-quota-heavy-key-0123456789';
const DASHBOARD_KEY = 'subscription-quota-dashboard-key-0123456789';
const SECRET = 'zoom-webhook-secret-token-for-subscription-quota';
const PER_MINUTE = 3;
/** Every event of every session: each new session's details and QoS are Zoom calls (Heavy). */
const HEAVY = 'subscription { sessionEvents(types: [USER_JOINED]) { sessionId session { sessionNumber users { nodes { name qos { worstLossPercent } } } } } }';

type Answer = { data?: { sessionEvents: { sessionId: string } }; errors?: { extensions: { code: string; reason?: string } }[] };

/**
 * The Zoom calls an event's execution makes for a subscription are a client's calls like a query's: they count
 * towards that client's quota (ZOOM_CALLS_PER_CLIENT_PER_MINUTE), so no subscriber spends the account's budget
 * unmetered. Subscribers sharing one execution (same document and variables) pay it from whichever of them has
 * quota left: a client that spent its own cannot make the others' answers fail.
 */
describe('Zoom calls made for subscriptions, against client quotas', () => {
  let stack: Stack;
  const clients: ProtocolClient[] = [];

  beforeAll(async () => {
    stack = await startStack({
      simulator: { sessions: [] },
      env: { GATEWAY_API_KEYS: `${HEAVY_KEY},${DASHBOARD_KEY}`, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_CALLS_PER_CLIENT_PER_MINUTE: String(PER_MINUTE) },
    });
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await stack.close();
  });

  async function subscriber(key: string, query: string): Promise<ProtocolClient> {
    const client = await openProtocolClient(stack.url);
    await initialise(client, { 'x-api-key': key });
    client.send({ id: 'heavy', type: 'subscribe', payload: { query } });
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    clients.push(client);
    return client;
  }

  /** One join in each of `count` new live sessions: each event needs its own session's Heavy calls. */
  async function joins(prefix: string, count: number): Promise<void> {
    const webhooks = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
    for (let n = 0; n < count; n += 1) {
      const now = stack.clock.now();
      const session = simSession(`${prefix}-${n}==`, now);
      stack.zoom.startLiveSession(session);
      expect(await postWebhook(webhooks, SECRET, userEvent('session.user_joined', session, { id: `u${n}`, name: `User ${n}`, participant_uuid: `p-${prefix}-${n}` }, now + 1), now)).toBe(200);
    }
  }

  async function answers(client: ProtocolClient, count: number): Promise<Answer[]> {
    const taken: Answer[] = [];
    for (let n = 0; n < count; n += 1) taken.push((await client.next((message) => message.type === 'next', 10_000)).payload as Answer);
    return taken;
  }

  it('holds one subscriber to its quota: past it, its events say ZOOM_RATE_LIMITED (CLIENT_QUOTA) and Zoom is not called for them', async () => {
    const heavy = await subscriber(HEAVY_KEY, HEAVY);
    const before = stack.zoom.calls();
    await joins('metered', 6);
    const got = await answers(heavy, 6);
    const refused = got.filter((answer) => answer.errors?.some((error) => error.extensions.code === 'ZOOM_RATE_LIMITED' && error.extensions.reason === 'CLIENT_QUOTA'));
    // The first event's three calls (details, participants, QoS) spent the quota: the five after it were refused.
    expect(refused).toHaveLength(5);
    // Every Zoom call the events made (details, participants, QoS) was the client's, within its quota.
    expect(stack.zoom.calls() - before).toBeLessThanOrEqual(PER_MINUTE);
  });

  it('serves subscribers sharing a document from whichever of them has quota left', async () => {
    const dashboard = await subscriber(DASHBOARD_KEY, HEAVY);
    // The heavy subscriber's quota is spent for this minute; the dashboard's is not.
    await joins('shared', 1);
    const [answer] = await answers(dashboard, 1);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.sessionEvents.sessionId).toBe('shared-0==');
    // The heavy subscriber, first to ask, is answered the same: the dashboard's quota paid.
    const [shared] = await answers(clients[0], 1);
    expect(shared).toEqual(answer);
  });
});

/** Anonymous access: a client is its address, for its queries and its subscriptions alike. */
describe('Zoom calls made for an anonymous client\'s subscription, against the quota its queries spent', () => {
  let stack: Stack;
  let client: ProtocolClient | undefined;

  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { GATEWAY_AUTH: 'off', ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_CALLS_PER_CLIENT_PER_MINUTE: String(PER_MINUTE) } });
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await client?.close();
    await stack.close();
  });

  it('refuses the subscription\'s calls once its queries spent the quota, over WebSocket as over HTTP', async () => {
    const today = todayUtc(stack.clock.now());
    for (let back = 1; back <= PER_MINUTE; back += 1) {
      const day = addDays(today, -back);
      expect((await stack.request(SessionsPageDocument, { type: 'PAST', from: day, to: day, first: 1 })).body.errors).toBeUndefined();
    }
    const spent = addDays(today, -10);
    expect(onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: spent, to: spent, first: 1 })).code).toBe('ZOOM_RATE_LIMITED');
    client = await openProtocolClient(stack.url);
    await initialise(client, {});
    client.send({ id: 'heavy', type: 'subscribe', payload: { query: HEAVY } });
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    const before = stack.zoom.calls();
    const now = stack.clock.now();
    const session = simSession('anonymous-0==', now);
    stack.zoom.startLiveSession(session);
    expect(await postWebhook(stack.url.replace(/\/graphql$/, '/webhooks/zoom'), SECRET, userEvent('session.user_joined', session, { id: 'u0', name: 'User 0', participant_uuid: 'p-anonymous-0' }, now + 1), now)).toBe(200);
    const answer = (await client.next((message) => message.type === 'next', 10_000)).payload as Answer;
    expect(answer.errors?.some((error) => error.extensions.reason === 'CLIENT_QUOTA')).toBe(true);
    expect(stack.zoom.calls() - before).toBe(0);
  });
});
