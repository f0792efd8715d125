import { SessionsPageDocument, SessionsPageQuery, SessionsPageQueryVariables } from '../generated/graphql';
import { Clock, GraphQLAnswer, Stack, startStack } from '../harness';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

// Zoom's minute shrunk to a second on both sides, as in the single-instance rate tests.
const WINDOW_MS = 1_000;
const ZOOM_LIMIT = 20;

let redis: TestRedis;
let stacks: Stack[] = [];

beforeAll(async () => {
  // Its own server: the outage test stops it.
  redis = await startOwnRedis();
});
afterAll(() => redis.stop());
afterEach(async () => {
  // The first stack owns the simulator: it closes last.
  for (const stack of [...stacks].reverse()) await stack.close();
  stacks = [];
});

/** Three gateways on one Redis and one simulator that enforces Zoom's limit. */
async function startThree(env: Record<string, string> = {}): Promise<Stack[]> {
  const clock = new Clock();
  const shared = {
    clock,
    gateway: { rateWindowMs: WINDOW_MS },
    env: {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: uniqueKeyPrefix('multi'),
      // Three gateways share this process's event loop: a command's answer may wait behind their work, which is not a slow Redis.
      REDIS_COMMAND_TIMEOUT_MS: '1000',
      ZOOM_LIST_SESSIONS_PER_MINUTE: String(ZOOM_LIMIT),
      ZOOM_QUEUE_MAX_WAIT_MS: '10000',
      ZOOM_LOCAL_BUDGET_SHARE: '0.33',
      ...env,
    },
  };
  const first = await startStack({ ...shared, simulator: { rateLimitPerMinute: ZOOM_LIMIT, rateLimitWindowMs: WINDOW_MS } });
  stacks = [first];
  for (let more = 0; more < 2; more += 1) stacks.push(await startStack({ ...shared, zoom: first.zoom }));
  return stacks;
}

type Edge = SessionsPageQuery['sessions']['edges'][number];

/** A Relay walk whose every page goes to the next instance. */
async function walkAcross(three: readonly Stack[], variables: Omit<SessionsPageQueryVariables, 'after'>, start = 0): Promise<Edge[]> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let request = start; ; request += 1) {
    const answer: GraphQLAnswer<SessionsPageQuery> = await three[request % three.length].request(SessionsPageDocument, { ...variables, after });
    if (answer.body.errors || !answer.body.data) throw new Error(`walk failed: ${answer.text}`);
    edges.push(...answer.body.data.sessions.edges);
    if (!answer.body.data.sessions.pageInfo.hasNextPage) return edges;
    after = answer.body.data.sessions.pageInfo.endCursor ?? null;
  }
}

const day = (offset: number) => new Date(Date.parse('2026-11-27') - offset * 86_400_000).toISOString().slice(0, 10);
const statuses = (stack: Stack) => stack.zoom.callLog().map((call) => call.status);

describe('three instances on one Redis', () => {
  it('walk a range page by page across instances correctly, and a repeat on other instances costs no Zoom call', async () => {
    const three = await startThree();
    const range = { type: 'PAST' as const, from: '2026-08-01', to: '2026-11-26', first: 40 };
    const edges = await walkAcross(three, range);
    const expected = three[0].zoom.expectedSessions({ type: 'past', from: range.from, to: range.to });
    expect(edges.map((edge) => edge.node.sessionId)).toEqual(expected.map((session) => session.id));
    const cold = three[0].zoom.calls();
    expect(cold).toBeGreaterThan(3);
    const again = await walkAcross(three, range, 1);
    expect(again.map((edge) => edge.node.sessionId)).toEqual(expected.map((session) => session.id));
    expect(three[0].zoom.calls()).toBe(cold);
    expect(statuses(three[0]).filter((status) => status === 429)).toEqual([]);
  });

  it('answer 50 concurrent identical queries spread over the three with one Zoom call', async () => {
    const three = await startThree();
    const variables = { type: 'PAST' as const, from: day(3), to: day(3), first: 5 };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => three[index % 3].request(SessionsPageDocument, variables)));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body.data))).size).toBe(1);
    expect(three[0].zoom.calls()).toBe(1);
  });

  it('share one rate budget: 60 distinct queries spread over three instances, Zoom never answers 429', async () => {
    const three = await startThree();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, offset) => three[offset % 3].request(SessionsPageDocument, { type: 'PAST', from: day(offset + 1), to: day(offset + 1), first: 1 })),
    );
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    expect(statuses(three[0])).toHaveLength(60);
    expect(statuses(three[0]).filter((status) => status === 429)).toEqual([]);
    const shared = await Promise.all(three.map((stack) => stack.gateway.metrics.value(stack.gateway.metrics.governorSlots, { scope: 'shared' })));
    expect(shared.reduce((sum, slots) => sum + slots, 0)).toBe(60);
  }, 60_000);

  it('keep serving while Redis is down, within Zoom\'s budget on their local shares, and share again once it is back', async () => {
    const three = await startThree();
    const query = (offset: number) => three[offset % 3].request(SessionsPageDocument, { type: 'PAST', from: day(offset + 1), to: day(offset + 1), first: 1 });
    const before = await Promise.all(Array.from({ length: 9 }, (_, offset) => query(offset)));
    await redis.kill();
    const during = await Promise.all(Array.from({ length: 30 }, (_, offset) => query(offset + 9)));
    for (const answer of [...before, ...during]) expect(answer.body.errors).toBeUndefined();
    const ready = await fetch(three[1].url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'degraded' });
    expect(await three[1].gateway.metrics.value(three[1].gateway.metrics.redisFallbacks)).toBeGreaterThan(0);
    await redis.restart();
    const deadline = Date.now() + 10_000;
    while (three.some((stack) => stack.gateway.core.redis?.health() !== 'up') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(three.map((stack) => stack.gateway.core.redis?.health())).toEqual(['up', 'up', 'up']);
    // Sharing resumed: a page one instance fetched is served to another without a Zoom call.
    const calls = three[0].zoom.calls();
    const fresh = { type: 'PAST' as const, from: day(100), to: day(100), first: 1 };
    await three[0].request(SessionsPageDocument, fresh);
    await three[2].request(SessionsPageDocument, fresh);
    expect(three[0].zoom.calls()).toBe(calls + 1);
    expect(statuses(three[0]).filter((status) => status === 429)).toEqual([]);
  }, 60_000);
});
