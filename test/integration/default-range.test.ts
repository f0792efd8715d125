import { LiveSessionsDocument, SessionsPageDocument } from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';
import { walkAll } from '../walk';

const DAY_MS = 86_400_000;
const windowsAsked = (stack: Stack) => stack.zoom.callLog().map((call) => `${call.query.type} ${call.query.from}..${call.query.to}`);

/** The test clock stands at 2026-11-27T12:00Z, so "the month that ends today" is 2026-10-28..2026-11-27. */
describe('sessions without from or to', () => {
  let stack: Stack;
  // A fresh gateway per test: its page cache would otherwise serve one test from another's calls.
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(() => stack.close());

  it('lists what is live now, from the month that ends today, in one Zoom call', async () => {
    const answer = await stack.post({ query: '{ sessions { nodes { sessionId sessionName } } }' });
    const live = stack.zoom.expectedSessions({ type: 'live', from: '2026-10-28', to: '2026-11-27' });
    expect(live.length).toBeGreaterThan(0);
    expect(answer.body).toEqual({ data: { sessions: { nodes: live.map((session) => ({ sessionId: session.id, sessionName: session.session_name })) } } });
    expect(windowsAsked(stack)).toEqual(['live 2026-10-28..2026-11-27']);
  });

  it('walks the last month for type: PAST, every session once', async () => {
    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-28', to: '2026-11-27' }).map((session) => session.id);
    const { edges } = await walkAll(stack, { type: 'PAST', first: 300 });
    expect(edges.map((edge) => edge.node.sessionId)).toEqual(expected);
    expect(new Set(windowsAsked(stack))).toEqual(new Set(['past 2026-10-28..2026-11-27']));
    expect(stack.zoom.calls()).toBe(Math.ceil(expected.length / 300));
  });

  it('reads from a given `from` up to today, month by month, when `to` is left out', async () => {
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-09-10', first: 300 });
    expect(windowsAsked(stack)[0]).toBe('past 2026-11-01..2026-11-27');
    const { edges } = await walkAll(stack, { type: 'PAST', from: '2026-09-10', first: 300 });
    const months = [['2026-11-01', '2026-11-27'], ['2026-10-01', '2026-10-31'], ['2026-09-10', '2026-09-30']];
    expect(edges.map((edge) => edge.node.sessionId)).toEqual(months.flatMap(([from, to]) => stack.zoom.expectedSessions({ type: 'past', from, to }).map((session) => session.id)));
    expect(new Set(windowsAsked(stack))).toEqual(new Set(months.map(([from, to]) => `past ${from}..${to}`)));
  });

  it('reads the one-month window that ends at a given `to` when `from` is left out', async () => {
    const answer = await stack.request(SessionsPageDocument, { type: 'PAST', to: '2026-10-31', first: 1 });
    expect(answer.body.errors).toBeUndefined();
    expect(windowsAsked(stack)).toEqual(['past 2026-10-01..2026-10-31']);
  });

  it('moves with the day: tomorrow the month that ends tomorrow', async () => {
    stack.clock.advance(DAY_MS);
    await stack.request(SessionsPageDocument, { type: 'PAST', first: 1 });
    expect(windowsAsked(stack)).toEqual(['past 2026-10-29..2026-11-28']);
  });

  it('continues a cursor of a query without bounds the next day, over the range it was issued for', async () => {
    const first = await stack.request(SessionsPageDocument, { type: 'PAST', first: 5 });
    const cursor = first.body.data!.sessions.pageInfo.endCursor!;
    stack.clock.advance(DAY_MS);
    stack.zoom.resetCalls();
    const next = await stack.request(SessionsPageDocument, { type: 'PAST', first: 5, after: cursor });
    expect(next.body.errors).toBeUndefined();
    const yesterdays = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-28', to: '2026-11-27' }).map((session) => session.id);
    expect(next.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(yesterdays.slice(5, 10));
    // Zoom's token died overnight: the cursor's own window is walked again, not today's.
    expect(new Set(windowsAsked(stack))).toEqual(new Set(['past 2026-10-28..2026-11-27']));
  });

  it('continues a cursor of a query with only `from` the next day, on into the older months', async () => {
    const first = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-15', first: 300 });
    const november = stack.zoom.expectedSessions({ type: 'past', from: '2026-11-01', to: '2026-11-27' }).map((session) => session.id);
    expect(november.length).toBeLessThanOrEqual(300);
    const lastOfNovember = first.body.data!.sessions.edges[november.length - 1].cursor;
    stack.clock.advance(DAY_MS);
    stack.zoom.resetCalls();
    const next = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-15', first: 3, after: lastOfNovember });
    expect(next.body.errors).toBeUndefined();
    const october = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-15', to: '2026-10-31' }).map((session) => session.id);
    expect(next.body.data!.sessions.edges.map((edge) => edge.node.sessionId)).toEqual(october.slice(0, 3));
  });

  it('refuses, before any Zoom call, a `from` after today with `to` left out, and a cursor of a dated query', async () => {
    const future = onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-12-01' }));
    expect(future).toMatchObject({ code: 'BAD_USER_INPUT', message: '`from` (2026-12-01) is after `to` (2026-11-27, today, as `to` was left out).' });
    const dated = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-28', to: '2026-11-27', first: 1 });
    stack.zoom.resetCalls();
    const mixed = onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', first: 1, after: dated.body.data!.sessions.pageInfo.endCursor }));
    expect(mixed).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/belongs to a different query/) });
    expect(stack.zoom.calls()).toBe(0);
  });

  it('prices a query without bounds as one month window', async () => {
    const limited = await startStack({ env: { LIMIT_MAX_COST: '1' } });
    try {
      const answer = await limited.request(LiveSessionsDocument, {});
      expect(answer.body.errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});
