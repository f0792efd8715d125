import { SessionsPageDocument, SessionsPageQuery } from '../generated/graphql';
import { GraphQLAnswer, Stack, onlyError, startStack } from '../harness';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cursor on the 310th session of October: continuing from it needs the token of Zoom's second page. */
async function cursorIntoSecondZoomPage(stack: Stack): Promise<string | null | undefined> {
  const first = await stack.request(SessionsPageDocument, { ...october, first: 300 });
  const second = await stack.request(SessionsPageDocument, { ...october, first: 10, after: first.body.data!.sessions.pageInfo.endCursor });
  return second.body.data!.sessions.pageInfo.endCursor;
}

describe('one Zoom call serves many clients', () => {
  let stack: Stack;
  afterEach(() => stack.close());

  it('50 concurrent identical queries with a cold cache and 300 ms Zoom latency cost 1 Zoom call', async () => {
    stack = await startStack({ simulator: { latencyMs: 300 } });
    const answers = await Promise.all(Array.from({ length: 50 }, () => stack.request(SessionsPageDocument, { ...october, first: 30 })));
    const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).slice(0, 30).map((session) => session.id);
    for (const answer of answers) expect(answer.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(stack.zoom.calls()).toBe(1);
    const { metrics } = stack.gateway;
    expect(await metrics.value(metrics.pageCache, { result: 'miss' })).toBe(1);
    // The others waited for that one call, or (on a machine slow to send them all) arrived after it and read the cache.
    const shared = await metrics.value(metrics.pageCache, { result: 'shared' });
    expect(shared).toBeGreaterThan(0);
    expect(shared + (await metrics.value(metrics.pageCache, { result: 'hit' }))).toBe(49);
  });

  it('continues a cursor 20 minutes later, from cache, with no Zoom call', async () => {
    stack = await startStack();
    const cursor = await cursorIntoSecondZoomPage(stack);
    stack.clock.advance(20 * 60_000);
    stack.zoom.resetCalls();
    const third = await stack.request(SessionsPageDocument, { ...october, first: 10, after: cursor });
    const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).slice(310, 320).map((session) => session.id);
    expect(third.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('continues a cursor 20 minutes later when Zoom\'s token has expired, by finding its place again', async () => {
    stack = await startStack({ env: { CACHE_MAX_ENTRIES: '0' } });
    const cursor = await cursorIntoSecondZoomPage(stack);
    stack.clock.advance(20 * 60_000);
    stack.zoom.resetCalls();
    const third = await stack.request(SessionsPageDocument, { ...october, first: 10, after: cursor });
    const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).slice(310, 320).map((session) => session.id);
    expect(third.body.errors).toBeUndefined();
    expect(third.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    // The expired token (refused), the window's first page, its fresh second page, then that page for the walk.
    expect(stack.zoom.callLog().map((call) => call.status)).toEqual([400, 200, 200, 200]);
    const { metrics } = stack.gateway;
    expect(await metrics.value(metrics.cursorRecoveries, { outcome: 'recovered' })).toBe(1);
  });

  it('answers CURSOR_EXPIRED when finding the place again would cost more than allowed', async () => {
    stack = await startStack({ env: { CACHE_MAX_ENTRIES: '0', ZOOM_CURSOR_RECOVERY_MAX_CALLS: '1' } });
    const cursor = await cursorIntoSecondZoomPage(stack);
    stack.clock.advance(20 * 60_000);
    const third = await stack.request(SessionsPageDocument, { ...october, first: 10, after: cursor });
    expect(onlyError(third).code).toBe('CURSOR_EXPIRED');
  });
});

describe('a cap on the Zoom calls of one request', () => {
  let stack: Stack;
  afterEach(() => stack.close());

  it('returns what it has with a correct endCursor, and the client simply continues', async () => {
    stack = await startStack({ env: { ZOOM_MAX_CALLS_PER_REQUEST: '1' } });
    const range = { type: 'PAST', from: '2026-07-01', to: '2026-11-27' } as const;
    const expected = [
      ['2026-11-01', '2026-11-27'],
      ['2026-10-01', '2026-10-31'],
      ['2026-09-01', '2026-09-30'],
      ['2026-08-01', '2026-08-31'],
      ['2026-07-01', '2026-07-31'],
    ].flatMap(([from, to]) => stack.zoom.expectedSessions({ type: 'past', from, to }).map((session) => session.id));
    const ids: string[] = [];
    let after: string | null = null;
    let cutShort = 0;
    for (let more = true; more; ) {
      const before = stack.zoom.calls();
      const answer: GraphQLAnswer<SessionsPageQuery> = await stack.request(SessionsPageDocument, { ...range, first: 300, after });
      expect(stack.zoom.calls() - before).toBeLessThanOrEqual(1);
      const { edges, pageInfo } = answer.body.data!.sessions;
      ids.push(...edges.map((edge) => edge.node.sessionId));
      if (pageInfo.hasNextPage && edges.length < 300) cutShort += 1;
      more = pageInfo.hasNextPage;
      after = pageInfo.endCursor ?? null;
    }
    expect(ids).toEqual(expected);
    expect(cutShort).toBeGreaterThan(0);
    const { metrics } = stack.gateway;
    expect(await metrics.value(metrics.callCapReached)).toBe(cutShort);
  });

  it('hands out a cursor even when the cap is reached before any session is found', async () => {
    stack = await startStack({ env: { ZOOM_MAX_CALLS_PER_REQUEST: '1' } });
    const range = { type: 'PAST', from: '2026-08-01', to: '2026-11-27', sessionName: 'no such session', first: 10 } as const;
    let after: string | null = null;
    const seen: boolean[] = [];
    for (let requests = 0; requests < 10; requests += 1) {
      const answer: GraphQLAnswer<SessionsPageQuery> = await stack.request(SessionsPageDocument, { ...range, after });
      expect(answer.body.errors).toBeUndefined();
      const { edges, pageInfo } = answer.body.data!.sessions;
      expect(edges).toEqual([]);
      seen.push(pageInfo.hasNextPage);
      if (!pageInfo.hasNextPage) break;
      expect(pageInfo.endCursor).not.toBeNull();
      after = pageInfo.endCursor ?? null;
    }
    // Four empty months, one Zoom call each: three cursors on, then the end.
    expect(seen).toEqual([true, true, true, false]);
    expect(stack.zoom.calls()).toBe(4);
  });
});

describe('the rate governor', () => {
  // Zoom's "minute" shrunk to one second on both sides, so the suite stays short.
  const WINDOW_MS = 1_000;
  let stack: Stack;
  afterEach(() => stack.close());

  function startLimited(): Promise<Stack> {
    return startStack({
      simulator: { rateLimitPerMinute: 20, rateLimitWindowMs: WINDOW_MS },
      env: { ZOOM_LIST_SESSIONS_PER_MINUTE: '20', ZOOM_QUEUE_MAX_WAIT_MS: '500' },
      gateway: { rateWindowMs: WINDOW_MS },
    });
  }

  const day = (offset: number) => new Date(Date.parse('2026-11-27') - offset * 86_400_000).toISOString().slice(0, 10);

  it('tells the truth in retryAfter: coming back after it succeeds', async () => {
    stack = await startLimited();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, offset) => stack.request(SessionsPageDocument, { type: 'PAST', from: day(offset + 1), to: day(offset + 1), first: 1 })));
    const limited = answers.map((answer, offset) => ({ answer, offset })).filter(({ answer }) => answer.body.errors);
    expect(limited.length).toBeGreaterThan(0);
    const waits = limited.map(({ answer }) => onlyError(answer).extensions.retryAfter as number);
    for (const { answer } of limited) expect(onlyError(answer).code).toBe('ZOOM_RATE_LIMITED');
    await sleep(Math.max(...waits) * 1000);
    // retryAfter is the wait until the oldest calls leave the window: by then their slots are
    // free again, so each refused client that comes back is served.
    for (const { offset } of limited) {
      const again = await stack.request(SessionsPageDocument, { type: 'PAST', from: day(offset + 1), to: day(offset + 1), first: 1 });
      expect(again.body.errors).toBeUndefined();
    }
    expect(stack.zoom.callLog().filter((call) => call.status === 429)).toEqual([]);
  });

  it('serves 200 distinct queries from 20 concurrent clients without Zoom ever answering 429', async () => {
    stack = await startLimited();
    const queries = [
      ...Array.from({ length: 184 }, (_, offset) => ({ type: 'PAST' as const, from: day(offset), to: day(offset), first: 5 })),
      ...Array.from({ length: 16 }, (_, offset) => ({ type: 'LIVE' as const, from: day(offset), to: day(0), first: 5 })),
    ];
    let rateLimited = 0;
    const client = async (index: number) => {
      for (let next = index; next < queries.length; next += 20) {
        for (let attempt = 0; ; attempt += 1) {
          const answer = await stack.request(SessionsPageDocument, queries[next]);
          if (!answer.body.errors) {
            const query = queries[next];
            const expected = stack.zoom.expectedSessions({ type: query.type === 'PAST' ? 'past' : 'live', from: query.from, to: query.to }).slice(0, 5);
            expect(answer.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected.map((session) => session.id));
            break;
          }
          const error = onlyError(answer);
          // On failure this shows what the client was told and what Zoom last answered, not just the code.
          expect({ code: error.code, message: error.message, reason: error.extensions.reason, zoomLastAnswered: stack.zoom.callLog().slice(-3).map((call) => call.status) }).toMatchObject({ code: 'ZOOM_RATE_LIMITED' });
          expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
          rateLimited += 1;
          expect(attempt).toBeLessThan(20);
          await sleep((error.extensions.retryAfter as number) * 1000);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, index) => client(index)));
    const statuses = stack.zoom.callLog().map((call) => call.status);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(statuses).toHaveLength(200);
    expect(rateLimited).toBeGreaterThan(0);
  }, 120_000);
});
