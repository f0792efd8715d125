import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

/** Each List-sessions call Zoom saw: its status, and whether it asked a first page or followed a token. */
const pageCalls = (stack: Stack) => stack.zoom.callLog().map((call) => [call.status, call.query.next_page_token === undefined ? 'first page' : 'token']);

/** Zoom's pages of ten, so that a cursor stands at a page's end after ten sessions. */
describe('a Zoom page token that dies before its time, while the page that handed it out is cached', () => {
  let stack: Stack;
  let expected: string[];
  beforeEach(async () => {
    stack = await startStack({ simulator: { maxPageSize: 10 } });
    expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).map((session) => session.id);
    expect(expected.length).toBeGreaterThan(20);
  });
  afterEach(() => stack.close());

  const ids = (answer: Awaited<ReturnType<Stack['request']>>) =>
    (answer.body.data as { sessions: { edges: { node: { sessionId: string } }[] } }).sessions.edges.map((edge) => edge.node.sessionId);

  it('recovers the cursor: the stale page is dropped and read again within the recovery budget', async () => {
    const first = await stack.request(SessionsPageDocument, { ...october, first: 10 });
    const after = first.body.data!.sessions.pageInfo.endCursor;
    stack.zoom.expirePageTokens();
    stack.zoom.resetCalls();
    const next = await stack.request(SessionsPageDocument, { ...october, first: 5, after });
    expect(next.body.errors).toBeUndefined();
    expect(ids(next)).toEqual(expected.slice(10, 15));
    // The refused token, the first page again (recovery), the next page with its live token.
    expect(pageCalls(stack)).toEqual([
      [400, 'token'],
      [200, 'first page'],
      [200, 'token'],
    ]);
    const { metrics } = stack.gateway;
    expect(await metrics.value(metrics.cursorRecoveries, { outcome: 'recovered' })).toBe(1);
  });

  it('still answers CURSOR_EXPIRED when the recovery budget cannot cover the walk', async () => {
    await stack.close();
    stack = await startStack({ simulator: { maxPageSize: 10 }, env: { ZOOM_CURSOR_RECOVERY_MAX_CALLS: '0' } });
    const first = await stack.request(SessionsPageDocument, { ...october, first: 10 });
    stack.zoom.expirePageTokens();
    const next = await stack.request(SessionsPageDocument, { ...october, first: 5, after: first.body.data!.sessions.pageInfo.endCursor });
    expect(next.body.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  });

  it('walks on for a client without a cursor, instead of telling it its cursor expired', async () => {
    await stack.request(SessionsPageDocument, { ...october, first: 10 });
    stack.zoom.expirePageTokens();
    const walk = await stack.request(SessionsPageDocument, { ...october, first: 15 });
    expect(walk.body.errors).toBeUndefined();
    expect(ids(walk)).toEqual(expected.slice(0, 15));
  });
});

describe('a cursor whose cached page holds a token Zoom has already killed', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(() => redis.stop());

  it.each([
    ['in this process', () => ({})],
    ['in Redis and in this process', () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('early-death'), REDIS_COMMAND_TIMEOUT_MS: '1000' })],
    ['in this process, under the default budget', () => ({ ZOOM_LIST_SESSIONS_PER_MINUTE: '' })],
  ])('cached %s: is recovered by a fresh walk within the recovery budget, with the right sessions, and the dead page leaves every tier', async (_tiers, env) => {
    // Zoom's tokens live 1.5 s here; the gateway still believes Zoom's documented 15 minutes.
    const stack = await startStack({ simulator: { tokenTtlMs: 1_500 }, env: env() });
    try {
      const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).map((session) => session.id);
      expect(expected.length).toBeGreaterThan(400);
      let after: string | null | undefined;
      for (let step = 0; step < 3; step += 1) {
        const page = await stack.request(SessionsPageDocument, { ...october, first: 100, ...(after ? { after } : {}) });
        expect(page.body.errors).toBeUndefined();
        after = page.body.data!.sessions.pageInfo.endCursor;
      }
      stack.clock.advance(2_000);
      stack.zoom.resetCalls();
      const next = await stack.request(SessionsPageDocument, { ...october, first: 100, after });
      expect(next.body.errors).toBeUndefined();
      const ids = next.body.data!.sessions.edges.map((edge) => edge.node.sessionId);
      expect(ids).toEqual(expected.slice(300, 400));
      // The killed token, then a fresh walk of two pages: the first page again (for a live token), the next page.
      expect(pageCalls(stack)).toEqual([
        [400, 'token'],
        [200, 'first page'],
        [200, 'token'],
      ]);
      const { metrics } = stack.gateway;
      expect(await metrics.value(metrics.cursorRecoveries, { outcome: 'recovered' })).toBe(1);
      // Asked again, the same cursor is served from the fresh pages: the dead one is gone from every tier.
      stack.zoom.resetCalls();
      stack.clock.advance(1_000);
      const again = await stack.request(SessionsPageDocument, { ...october, first: 100, after });
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected.slice(300, 400));
      // Only the cursor's own dead token reaches Zoom: the fresh first page and the page after it come from the cache.
      expect(stack.zoom.callLog().map((call) => call.status)).toEqual([400]);
    } finally {
      await stack.close();
    }
  });
});
