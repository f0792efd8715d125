import { DashboardDocument, LiveSessionsDocument, SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { walkAll } from '../walk';

const ZOOM_PAGE = 300;

describe('the sessions connection over HTTP', () => {
  let stack: Stack;
  // A fresh gateway per test: its page cache would otherwise serve one test from another's calls.
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

  it.each([7, 100])('walks a month with first: %i, every session once, in Zoom order, for ⌈N/300⌉ Zoom calls', async (first) => {
    const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to }).map((session) => session.id);
    expect(expected.length).toBeGreaterThan(ZOOM_PAGE);
    const { edges, requests } = await walkAll(stack, { ...october, first });
    expect(edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(new Set(edges.map((edge) => edge.cursor)).size).toBe(edges.length);
    expect(requests).toBe(Math.ceil(expected.length / first));
    expect(stack.zoom.calls()).toBe(Math.ceil(expected.length / ZOOM_PAGE));
    // Every call asked Zoom for its largest page, whatever `first` was.
    expect(stack.zoom.callLog().every((call) => call.query.page_size === '300' && call.query.type === 'past')).toBe(true);

    stack.zoom.resetCalls();
    const again = await walkAll(stack, { ...october, first });
    expect(again.edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('walks five months newest month first, flowing across windows, every session once', async () => {
    const months = [
      ['2026-11-01', '2026-11-27'],
      ['2026-10-01', '2026-10-31'],
      ['2026-09-01', '2026-09-30'],
      ['2026-08-01', '2026-08-31'],
      ['2026-07-01', '2026-07-31'],
    ];
    const perMonth = months.map(([from, to]) => stack.zoom.expectedSessions({ type: 'past', from, to }).map((session) => session.id));
    const expected = perMonth.flat();
    const { edges } = await walkAll(stack, { type: 'PAST', from: '2026-07-01', to: '2026-11-30', first: 100 });
    expect(edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(stack.zoom.calls()).toBe(perMonth.reduce((calls, ids) => calls + Math.max(1, Math.ceil(ids.length / ZOOM_PAGE)), 0));
    const windows = new Set(stack.zoom.callLog().map((call) => `${call.query.from}..${call.query.to}`));
    expect([...windows]).toEqual(months.map(([from, to]) => `${from}..${to}`));
  });

  it('serves three aliases over the same page with one Zoom call', async () => {
    const answer = await stack.request(DashboardDocument, { from: october.from, to: october.to });
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data!;
    expect(data.latest.nodes).toHaveLength(5);
    expect(data.recent.nodes).toHaveLength(20);
    expect(data.busiest.nodes).toHaveLength(50);
    expect(data.recent.nodes.slice(0, 5).map((node) => node.sessionId)).toEqual(data.latest.nodes.map((node) => node.sessionId));
    expect(stack.zoom.calls()).toBe(1);
  });

  it('lists live sessions by default, with no end time', async () => {
    const answer = await stack.request(LiveSessionsDocument, {});
    // No range given: the one-month window that ends today (the test clock's 2026-11-27).
    const live = stack.zoom.expectedSessions({ from: '2026-10-28', to: '2026-11-27' });
    expect(live.length).toBeGreaterThan(0);
    expect(answer.body.data?.sessions.nodes.map((node) => node.sessionId)).toEqual(live.map((session) => session.id));
    expect(stack.zoom.callLog().map((call) => [call.query.type, call.query.from, call.query.to])).toEqual([['live', '2026-10-28', '2026-11-27']]);
  });

  it('maps every field, including IDs with / + = and a leading /', async () => {
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 300 });
    const nodes = answer.body.data!.sessions.edges.map((edge) => edge.node);
    const wire = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to });
    const first = wire[0];
    expect(nodes[0]).toEqual({
      __typename: undefined,
      sessionId: first.id,
      sessionName: first.session_name,
      sessionKey: first.session_key || null,
      startTime: new Date(first.start_time).toISOString(),
      endTime: new Date(first.end_time!).toISOString(),
      duration: first.duration,
      durationSeconds: expect.any(Number),
      userCount: first.user_count,
      hasVoip: first.has_voip,
      hasVideo: first.has_video,
      hasScreenShare: first.has_screen_share,
      hasRecording: first.has_recording,
      hasPstn: first.has_pstn,
      hasSessionSummary: first.has_session_summary,
      audioQuality: first.audio_quality || null,
      videoQuality: first.video_quality || null,
      screenShareQuality: first.screen_share_quality || null,
    });
    const ids = nodes.map((node) => node.sessionId).join(' ');
    expect(ids).toMatch(/(^| )\//);
    expect(ids).toMatch(/\+/);
    expect(ids).toMatch(/=/);
  });

  it('filters by session key and name, passing them to Zoom', async () => {
    const key = stack.zoom.sessions.find((session) => session.session_key && session.end_time && session.start_time.startsWith('2026-10'))!.session_key!;
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 300, sessionKey: key });
    const expected = stack.zoom.expectedSessions({ type: 'past', from: october.from, to: october.to, session_key: key });
    expect(answer.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected.map((session) => session.id));
    expect(stack.zoom.callLog()[0].query.session_key).toBe(key);
  });

  it('returns an empty page with null cursors for a range with no sessions', async () => {
    const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-12-01', to: '2026-12-31', first: 10 });
    expect(answer.body.data!.sessions).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(stack.zoom.calls()).toBe(0);
  });

  it('answers first: 0 with no edges and no Zoom call', async () => {
    const answer = await stack.request(SessionsPageDocument, { ...october, first: 0 });
    expect(answer.body.data!.sessions.edges).toEqual([]);
    expect(answer.body.data!.sessions.pageInfo.hasNextPage).toBe(true);
    expect(stack.zoom.calls()).toBe(0);
  });
});

describe('stateless cursors', () => {
  it('continue on another gateway instance sharing the Zoom account', async () => {
    const first = await startStack();
    const second = await startStack({ zoom: first.zoom, clock: first.clock });
    try {
      const variables = { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 10 } as const;
      const page1 = await first.request(SessionsPageDocument, variables);
      const after = page1.body.data!.sessions.pageInfo.endCursor;
      const page2 = await second.request(SessionsPageDocument, { ...variables, after });
      const expected = first.zoom.expectedSessions({ type: 'past', from: variables.from, to: variables.to }).slice(10, 20);
      expect(page2.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(expected.map((session) => session.id));
    } finally {
      await second.close();
      await first.close();
    }
  });
});
