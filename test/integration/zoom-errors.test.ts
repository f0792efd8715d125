import { SessionsPageDocument } from '../generated/graphql';
import type { SimSession } from '../../src/simulator/dataset';
import { API_SECRET, Stack, onlyError, startStack } from '../harness';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

describe('Zoom\'s rate limits reach clients with an honest wait', () => {
  // A 429 holds the gateway back from Zoom, so each case gets its own gateway.
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1' } });
  });
  afterEach(() => stack.close());

  it('gives ZOOM_RATE_LIMITED with Zoom\'s wait in seconds', async () => {
    stack.zoom.failNext({ kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
    const error = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 5 }));
    expect(error.code).toBe('ZOOM_RATE_LIMITED');
    expect(error.extensions.retryAfter).toBe(7);
  });

  it('reads a daily limit\'s reset timestamp into retryAfter', async () => {
    stack.zoom.failNext({
      kind: 'status',
      status: 429,
      message: 'You have reached the maximum daily rate limit for this API.',
      headers: { 'Retry-After': '2026-11-28T00:00:00Z', 'X-RateLimit-Type': 'Daily-limit' },
    });
    const error = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 5 }));
    expect(error.code).toBe('ZOOM_RATE_LIMITED');
    expect(error.extensions.retryAfter).toBe(12 * 3600);
  });

  it('holds back from Zoom after a 429 and tells later clients how long', async () => {
    stack.zoom.failNext({ kind: 'status', status: 429, headers: { 'Retry-After': '30' } });
    await stack.request(SessionsPageDocument, { ...october, first: 5 });
    stack.zoom.resetCalls();
    const error = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 5 }));
    expect(error.code).toBe('ZOOM_RATE_LIMITED');
    expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(29);
    expect(error.extensions.retryAfter).toBeLessThanOrEqual(30);
    expect(stack.zoom.calls()).toBe(0);
  });
});

describe('Zoom failures reach clients as stable codes', () => {
  let stack: Stack;
  beforeAll(async () => {
    // One attempt per call, no cache, no cursor recovery: this suite pins how each single Zoom failure maps to a code.
    stack = await startStack({
      env: { ZOOM_TIMEOUT_MS: '300', ZOOM_MAX_ATTEMPTS: '1', ZOOM_BREAKER_FAILURES: '1000', CACHE_MAX_ENTRIES: '0', ZOOM_CURSOR_RECOVERY_MAX_CALLS: '0' },
    });
  });
  afterAll(async () => {
    // Whatever went wrong, no response carried the API secret or a JWT.
    const everything = stack.responses.join('\n');
    expect(everything).not.toContain(API_SECRET);
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
    expect(everything).not.toMatch(/\bat .+\.(ts|js):\d+/);
    await stack.close();
  });
  beforeEach(() => stack.zoom.resetCalls());

  it.each([
    [{ kind: 'status', status: 401 } as const, 'ZOOM_AUTH_FAILED'],
    [{ kind: 'status', status: 404 } as const, 'ZOOM_NOT_FOUND'],
    [{ kind: 'status', status: 500 } as const, 'ZOOM_UNAVAILABLE'],
    [{ kind: 'status', status: 503 } as const, 'ZOOM_UNAVAILABLE'],
    [{ kind: 'malformed' } as const, 'ZOOM_BAD_RESPONSE'],
    [{ kind: 'malformed', variant: 'wrong-shape' } as const, 'ZOOM_BAD_RESPONSE'],
  ])('%o gives %s', async (fault, code) => {
    stack.zoom.failNext(fault);
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 5 });
    const error = onlyError(answer);
    expect(error.code).toBe(code);
    expect(answer.body.data).toBeNull();
    expect(error.extensions.zoomTrackingId).toMatch(/^v=2\.0;clid=sim;rid=\d+$/);
    expect(stack.zoom.calls()).toBe(1);
  });

  // A first call leaves a kept-alive socket in the pool, so that the next call goes out on it.
  const afterWarmCall = async () => {
    expect((await stack.request(SessionsPageDocument, { ...october, first: 5 })).body.errors).toBeUndefined();
    stack.zoom.resetCalls();
  };

  it('sends a call whose kept-alive socket was reset before any answer once more, on a connection of its own: the client gets its answer', async () => {
    await afterWarmCall();
    const { metrics } = stack.gateway;
    const resends = await metrics.value(metrics.zoomStaleSocketResends);
    stack.zoom.failNext({ kind: 'reset' });
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 5 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.sessions.edges).toHaveLength(5);
    // The simulator reads the request before it resets, so it counts two; Zoom closing an idle socket would have seen one.
    expect(stack.zoom.calls()).toBe(2);
    expect(await metrics.value(metrics.zoomStaleSocketResends)).toBe(resends + 1);
  });

  it('gives ZOOM_UNAVAILABLE when the call\'s own connection is reset too', async () => {
    await afterWarmCall();
    stack.zoom.failNext({ kind: 'reset' }, { kind: 'reset' });
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 5 });
    expect(onlyError(answer).code).toBe('ZOOM_UNAVAILABLE');
    expect(answer.body.data).toBeNull();
    expect(stack.zoom.calls()).toBe(2);
  });

  it('cuts a hung Zoom call at the timeout and says Zoom is unavailable', async () => {
    stack.zoom.failNext({ kind: 'hang' });
    const error = onlyError(await stack.request(SessionsPageDocument, { ...october, first: 5 }));
    expect(error.code).toBe('ZOOM_UNAVAILABLE');
  });

  it('answers normally after failures', async () => {
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 5 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.sessions.edges).toHaveLength(5);
  });

  it('gives CURSOR_EXPIRED when Zoom no longer honours the token behind a cursor', async () => {
    const full = await stack.request(SessionsPageDocument, { ...october, first: 300 });
    const next = await stack.request(SessionsPageDocument, { ...october, first: 2, after: full.body.data!.sessions.pageInfo.endCursor });
    expect(next.body.errors).toBeUndefined();
    // This cursor points into the second Zoom page, so continuing from it needs that page's token.
    const cursor = next.body.data!.sessions.pageInfo.endCursor;
    stack.clock.advance(16 * 60_000);
    const expired = await stack.request(SessionsPageDocument, { ...october, first: 2, after: cursor });
    const error = onlyError(expired);
    expect(error.code).toBe('CURSOR_EXPIRED');
    expect(error.message).toMatch(/Restart from the first page/);
    expect(error.extensions.zoomTrackingId).toBeDefined();
  });
});

describe('session ids from Zoom that no path can carry', () => {
  it('answer ZOOM_BAD_RESPONSE on the fields that need another call, and make none (found by review: INTERNAL_SERVER_ERROR)', async () => {
    const session = (id: string, index: number): SimSession => ({
      id, session_name: `Odd ${index}`, start_time: `2026-11-20T1${index}:00:00Z`, end_time: `2026-11-20T1${index}:30:00Z`, duration: '30:00',
      user_count: 2, has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
      audio_quality: 'good', video_quality: '', screen_share_quality: '',
    });
    const stack = await startStack({ simulator: { sessions: ['..', 'a/../../users/me', '%2e%2e'].map(session) } });
    try {
      const answer = await stack.post({ query: '{ sessions(type: PAST, from: "2026-11-20", to: "2026-11-20") { nodes { sessionName sessionNumber } } }' });
      if (answer.body.data === null || answer.body.data === undefined) throw new Error(answer.text);
      const data = answer.body.data as { sessions: { nodes: { sessionName: string; sessionNumber: string | null }[] } };
      expect(data.sessions.nodes.map((node) => [node.sessionName, node.sessionNumber])).toEqual([['Odd 2', null], ['Odd 1', null], ['Odd 0', null]]);
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['ZOOM_BAD_RESPONSE', 'ZOOM_BAD_RESPONSE', 'ZOOM_BAD_RESPONSE']);
      // Participants need a call per session too: refused the same way, and the list beside them still answered.
      const users = await stack.post({ query: '{ sessions(type: PAST, from: "2026-11-20", to: "2026-11-20") { nodes { users(first: 1) { nodes { name } } } } }' });
      expect(new Set(users.body.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['ZOOM_BAD_RESPONSE']));
      expect(stack.zoom.calls()).toBe(1);
    } finally {
      await stack.close();
    }
  });
});
