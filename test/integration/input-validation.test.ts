import { SessionByIdDocument, SessionWithUsersDocument, SessionsPageDocument, SessionsPageQueryVariables } from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';

describe('bad input is refused before any Zoom call', () => {
  let stack: Stack;
  let cursor: string;
  let otherQueryCursor: string;
  const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

  beforeAll(async () => {
    stack = await startStack({ env: { SESSIONS_MAX_FIRST: '300' } });
    const page = await stack.request(SessionsPageDocument, { ...october, first: 3 });
    cursor = page.body.data!.sessions.pageInfo.endCursor!;
    const other = await stack.request(SessionsPageDocument, { ...october, to: '2026-10-30', first: 3 });
    otherQueryCursor = other.body.data!.sessions.pageInfo.endCursor!;
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  const flip = (text: string, at: number): string => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;

  const cases: [string, () => SessionsPageQueryVariables, RegExp][] = [
    ['from after to', () => ({ ...october, from: '2026-10-31', to: '2026-10-01' }), /`from` \(2026-10-31\) is after `to` \(2026-10-01\)/],
    ['from before the six-month horizon', () => ({ ...october, from: '2026-05-26', to: '2026-06-10' }), /before 2026-05-27: Zoom lists sessions of the last six months only/],
    ['first below 0', () => ({ ...october, first: -1 }), /`first` must be between 0 and 300; got -1/],
    ['first above the maximum', () => ({ ...october, first: 301 }), /`first` must be between 0 and 300; got 301/],
    ['first: 99999999', () => ({ ...october, first: 99_999_999 }), /`first` must be between 0 and 300/],
    ['a cursor that is not one', () => ({ ...october, after: 'not-a-cursor' }), /not a cursor issued by this gateway/],
    ['a Relay-style cursor of another server', () => ({ ...october, after: 'YXJyYXljb25uZWN0aW9uOjA=' }), /not a cursor issued by this gateway/],
    ['a cursor altered in its payload', () => ({ ...october, after: flip(cursor, 10) }), /not a cursor issued by this gateway/],
    ['a cursor altered in its signature', () => ({ ...october, after: flip(cursor, cursor.length - 3) }), /not a cursor issued by this gateway/],
    ['a cursor of another range', () => ({ ...october, after: otherQueryCursor }), /belongs to a different query/],
    ['a cursor of another type', () => ({ ...october, type: 'LIVE', after: cursor }), /belongs to a different query/],
    ['a cursor with other filters', () => ({ ...october, sessionKey: 'k', after: cursor }), /belongs to a different query/],
    ['an empty session key', () => ({ ...october, sessionKey: '' }), /`sessionKey` must not be empty/],
    ['an overlong session name', () => ({ ...october, sessionName: 'x'.repeat(257) }), /`sessionName` is longer than 256 characters/],
    ['a session name with NUL', () => ({ ...october, sessionName: 'a\u0000b' }), /`sessionName` holds a control character/],
    ['a session key with a line break', () => ({ ...october, sessionKey: '\n' }), /`sessionKey` holds a control character/],
    ['a day of year 1, and no from', () => ({ ...october, from: undefined, to: '0001-01-01' }), /`from` \(0000-12-02\) is before 2026-05-27/],
    ['a day of year 0, and no from', () => ({ ...october, from: undefined, to: '0000-01-15' }), /`from` \(0000-01-01\) is before 2026-05-27/],
    ['an impossible date', () => ({ ...october, from: '2026-02-30' }), /Date/],
    ['a date in another format', () => ({ ...october, to: '10/31/2026' }), /Date/],
    ['an unknown session type', () => ({ ...october, type: 'SCHEDULED' as never }), /SessionType/],
  ];

  it.each(cases)('%s', async (_name, variables, message) => {
    const error = onlyError(await stack.request(SessionsPageDocument, variables()));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(stack.zoom.calls()).toBe(0);
  });

  // `.` would call GET /v2/videosdk/sessions/ (List sessions, a Heavy call) with the gateway's JWT.
  it.each(['.', '..', '%2e', '%2e%2e', 'a/..', 'a\u0000b', 'a\nb'])('refuses the session id %j, which would leave the details path or is none of Zoom\'s', async (id) => {
    for (const answer of [await stack.request(SessionByIdDocument, { id }), await stack.request(SessionWithUsersDocument, { id, first: 1 })]) {
      const error = onlyError(answer);
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/no `\.` or `\.\.` path segment and no control character/);
    }
    expect(stack.zoom.calls()).toBe(0);
  });

  it.each([
    ['first above the maximum under sessions', '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 5) { nodes { users(first: 301) { nodes { name } } } } }', {}, 'first', /`first` must be between 0 and 300; got 301/],
    ['first from a variable, below 0', 'query ($n: Int) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 5) { nodes { sessionId users(first: $n) { nodes { name } } } } }', { n: -1 }, 'first', /got -1/],
    ['first in a fragment under session(id)', 'query { session(id: "abc") { ...People } } fragment People on Session { users(first: -1) { nodes { name } } }', {}, 'first', /got -1/],
    ['a cursor that is not one', '{ session(id: "abc") { users(after: "garbage") { nodes { name } } } }', {}, 'after', /not a participant cursor issued by this gateway/],
    ['an empty cursor', 'query ($after: String) { session(id: "abc") { users(after: $after) { nodes { name } } } }', { after: '' }, 'after', /not a participant cursor issued by this gateway/],
  ])('refuses participants asked with %s before the session they belong to is read', async (_name, query, variables, argument, message) => {
    const answer = await stack.post({ query, variables });
    // A request error, refused before execution (no `data`), answered 200 to an application/json client as GraphQL over HTTP says.
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('data');
    const error = onlyError(answer);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(error.message).toMatch(message);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('runs an operation whose bad participants arguments @skip or @include leave out (found by review: refused before)', async () => {
    for (const [query, variables] of [
      ['{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { sessionName users(first: 301) @skip(if: true) { nodes { name } } } } }', {}],
      // Nor priced: 200 sessions' participants that never run are no Heavy calls.
      ['{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 200) { nodes { sessionName users(first: 10) @skip(if: true) { nodes { name } } } } }', {}],
      ['query ($with: Boolean = false) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { sessionName ... @include(if: $with) { users(first: 5000) { nodes { name } } } } } }', {}],
      ['query ($skip: Boolean!) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { sessionName ...People @skip(if: $skip) } } } fragment People on Session { users(after: "garbage") { nodes { name } } }', { skip: true }],
    ] as const) {
      const answer = await stack.post({ query, variables });
      expect(answer.body.errors).toBeUndefined();
    }
    const included = await stack.post({ query: 'query ($with: Boolean = false) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { users(first: 5000) @include(if: $with) { nodes { name } } } } }', variables: { with: true } });
    expect(onlyError(included).code).toBe('BAD_USER_INPUT');
  });

  it('takes the last day a date can name as a `to` with no end, with or without `from`', async () => {
    for (const variables of [{ ...october, to: '9999-12-31' }, { type: 'PAST', to: '9999-12-31' } as const, { type: 'PAST', to: '9999-12-15' } as const]) {
      const answer = await stack.request(SessionsPageDocument, variables);
      expect(answer.body.errors).toBeUndefined();
    }
  });

  it('names a bad literal argument as a validation failure, also before any Zoom call', async () => {
    const answer = await stack.post({ query: '{ sessions(from: "2026-02-30", to: "2026-03-01") { nodes { id } } }' });
    const error = onlyError(answer);
    expect(error.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/Date/);
    expect(stack.zoom.calls()).toBe(0);
  });
});
