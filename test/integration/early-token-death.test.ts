import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

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
    (answer.body.data as { sessions: { edges: { node: { id: string } }[] } }).sessions.edges.map((edge) => edge.node.id);

  it('recovers the cursor: the stale page is dropped and read again within the recovery budget', async () => {
    const first = await stack.request(SessionsPageDocument, { ...october, first: 10 });
    const after = first.body.data!.sessions.pageInfo.endCursor;
    stack.zoom.expirePageTokens();
    stack.zoom.resetCalls();
    const next = await stack.request(SessionsPageDocument, { ...october, first: 5, after });
    expect(next.body.errors).toBeUndefined();
    expect(ids(next)).toEqual(expected.slice(10, 15));
    // The refused token, the first page again (recovery), the next page with its live token.
    expect(stack.zoom.callLog().map((call) => [call.status, call.query.next_page_token === undefined ? 'first page' : 'token'])).toEqual([
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
