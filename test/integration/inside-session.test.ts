import {
  DailyUsageRangeDocument,
  SessionByIdDocument,
  SessionWithUsersDocument,
  SessionsWithQosDocument,
  SessionsWithUsersDocument,
} from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';
import type { SimSession } from '../../src/simulator/simulator';

const november = { from: '2026-11-01', to: '2026-11-26' } as const;

/** Zoom calls the simulator received, by endpoint. */
function callsBy(stack: Stack): { list: number; details: number; users: number; qos: number; daily: number } {
  const counts = { list: 0, details: 0, users: 0, qos: 0, daily: 0 };
  for (const call of stack.zoom.callLog()) {
    if (call.path.endsWith('/users/qos')) counts.qos += 1;
    else if (call.path.endsWith('/users')) counts.users += 1;
    else if (call.path.endsWith('/report/daily')) counts.daily += 1;
    else if (call.path.endsWith('/videosdk/sessions')) counts.list += 1;
    else counts.details += 1;
  }
  return counts;
}

const pastSessions = (stack: Stack): SimSession[] => stack.zoom.sessions.filter((session) => session.end_time);
/** Each test on the shared stack takes sessions of its own month, so that no other test warmed their cache. */
const pastIn = (stack: Stack, month: string): SimSession[] => pastSessions(stack).filter((session) => session.start_time.startsWith(month));

describe('inside a session', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it('N+1: 30 sessions with their first participants, asked twice, cost one participants call per session cold and none warm', async () => {
    const variables = { ...november, first: 30, usersFirst: 5 };
    const cold = await stack.request(SessionsWithUsersDocument, variables);
    expect(cold.body.errors).toBeUndefined();
    const nodes = cold.body.data!.sessions.nodes;
    expect(nodes).toHaveLength(30);
    expect(callsBy(stack)).toEqual({ list: 1, details: 0, users: 30, qos: 0, daily: 0 });
    for (const node of nodes) {
      const expected = stack.zoom.inside(node.sessionId)!.participants.slice(0, 5);
      expect(node.users.nodes.map((user) => user.name)).toEqual(expected.map((user) => user.name));
      expect(node.again.nodes.map((user) => user.device)).toEqual(expected.map((user) => user.device));
    }
    stack.zoom.resetCalls();
    const warm = await stack.request(SessionsWithUsersDocument, variables);
    expect(warm.body.data).toEqual(cold.body.data);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('QoS of every participant of a session costs one walk of that session\'s QoS list, parsed into numbers', async () => {
    const september = pastIn(stack, '2026-09');
    const onItsDay = (candidate: SimSession) => september.filter((other) => other.start_time.slice(0, 10) === candidate.start_time.slice(0, 10)).length;
    const session = september.find((candidate) => candidate.user_count >= 21 && candidate.user_count <= 30 && candidate.has_video && onItsDay(candidate) <= 15)!;
    // 15 sessions × (details + 3 QoS pages) stays within the default Heavy cost of 100.
    const answer = await stack.request(SessionsWithQosDocument, { from: session.start_time.slice(0, 10), to: session.start_time.slice(0, 10), first: 15, usersFirst: 30 });
    expect(answer.body.errors).toBeUndefined();
    const node = answer.body.data!.sessions.nodes.find((candidate) => candidate.sessionId === session.id)!;
    const { participants, qos } = stack.zoom.inside(session.id)!;
    expect(node.users.nodes.map((user) => user.participantUuid)).toEqual(participants.map((user) => user.participant_uuid));
    node.users.nodes.forEach((user, index) => {
      expect(user.qos!.samples.map((sample) => sample.dateTime)).toEqual(qos[index].map((sample) => new Date(sample.date_time).toISOString()));
      const [first] = qos[index];
      expect(user.qos!.samples[0].audioInput).toEqual({
        bitrateKbps: parseFloat(first.audio_input.bitrate),
        latencyMs: parseFloat(first.audio_input.latency),
        jitterMs: parseFloat(first.audio_input.jitter),
        avgLossPercent: parseFloat(first.audio_input.avg_loss),
        maxLossPercent: parseFloat(first.audio_input.max_loss),
      });
    });
    const sessionsThatDay = answer.body.data!.sessions.nodes;
    const qosCalls = sessionsThatDay.reduce((sum, each) => sum + Math.max(1, Math.ceil(stack.zoom.inside(each.sessionId)!.participants.length / 10)), 0);
    const calls = callsBy(stack);
    expect(calls.qos).toBe(qosCalls);
    // Participants asked with their QoS are read from the QoS list alone: its entries carry every participant field.
    expect(calls.users).toBe(0);
    expect(calls.details).toBe(sessionsThatDay.length);
  });

  it('walks 300+ participants of one session with first: 7, each exactly once in Zoom\'s order, two Zoom pages in all', async () => {
    const crowded = pastSessions(stack).find((session) => session.user_count > 300)!;
    const expected = stack.zoom.inside(crowded.id)!.participants.map((user) => user.participant_uuid);
    const seen: string[] = [];
    let after: string | null | undefined;
    for (let page = 0; page < 100; page += 1) {
      const answer = await stack.request(SessionWithUsersDocument, { id: crowded.id, first: 7, after });
      expect(answer.body.errors).toBeUndefined();
      const users = answer.body.data!.session!.users;
      expect(users.edges.length).toBeLessThanOrEqual(7);
      seen.push(...users.edges.map((edge) => edge.node.participantUuid!));
      if (!users.pageInfo.hasNextPage) break;
      after = users.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(callsBy(stack)).toMatchObject({ users: 2, details: 1 });
  });

  it('resolves ids that start with / or hold //, encoded twice in Zoom paths', async () => {
    const old = pastSessions(stack).filter((session) => session.start_time < '2026-09-01');
    const tricky = [old.find((session) => session.id.startsWith('/'))!, old.find((session) => session.id.includes('//'))!];
    for (const session of tricky) {
      const answer = await stack.request(SessionWithUsersDocument, { id: session.id, first: 3 });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.session!.sessionId).toBe(session.id);
      expect(answer.body.data!.session!.users.edges.map((edge) => edge.node.name)).toEqual(stack.zoom.inside(session.id)!.participants.slice(0, 3).map((user) => user.name));
    }
    const paths = stack.zoom.callLog().map((call) => call.path);
    expect(paths.every((path) => !path.includes('%2F'))).toBe(true);
    expect(paths.filter((path) => path.includes('%252F')).length).toBe(4);
  });

  it('serves details once per session per request: session(id) and its details fields share one call', async () => {
    const session = pastIn(stack, '2026-08')[3];
    const answer = await stack.request(SessionByIdDocument, { id: session.id });
    expect(answer.body.data!.session).toMatchObject({ sessionId: session.id, sessionName: session.session_name, createdAt: new Date(session.start_time).toISOString() });
    expect(answer.body.data!.session!.sessionNumber).toMatch(/^\d+$/);
    expect(callsBy(stack).details).toBe(1);
    expect(answer.text).not.toContain('passcode');
  });

  it('answers null for a session Zoom does not know, and keeps personal data out by default', async () => {
    const unknown = await stack.request(SessionByIdDocument, { id: 'AAAAAAAAAAAAAAAAAAAAAA==' });
    expect(unknown.body).toEqual({ data: { session: null } });
    const session = pastSessions(stack)[5];
    const answer = await stack.request(SessionWithUsersDocument, { id: session.id, first: 5 });
    expect(answer.body.data!.session!.users.edges.map((edge) => [edge.node.ipAddress, edge.node.location])).toEqual(answer.body.data!.session!.users.edges.map(() => [null, null]));
  });

  it('gives ZOOM_NOT_FOUND to a nested field whose session Zoom no longer knows', async () => {
    const stack = await startStack();
    try {
    await stack.request(SessionsWithUsersDocument, { ...november, first: 2, usersFirst: 1 });
    stack.zoom.resetCalls();
    stack.zoom.failNext({ kind: 'status', status: 404, code: 3001, message: 'Session does not exist.' });
    const answer = await stack.post({ query: `{ sessions(type: PAST, from: "${november.from}", to: "${november.to}", first: 2) { nodes { id sessionNumber } } }` });
    const errors = answer.body.errors ?? [];
    expect(errors.map((error) => error.extensions?.code)).toEqual(['ZOOM_NOT_FOUND']);
    expect(errors[0].path).toEqual(['sessions', 'nodes', 0, 'sessionNumber']);
    } finally {
      await stack.close();
    }
  });

  it('refuses altered cursors and cursors of another session before any Zoom call', async () => {
    const [a, b] = pastSessions(stack).filter((session) => session.user_count > 3);
    const first = await stack.request(SessionWithUsersDocument, { id: a.id, first: 2 });
    const cursor = first.body.data!.session!.users.pageInfo.endCursor!;
    const other = await stack.request(SessionWithUsersDocument, { id: b.id, first: 2, after: cursor });
    expect(onlyError(other)).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'after' } });
    const altered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'AB' : 'AA'}`;
    const refused = await stack.request(SessionWithUsersDocument, { id: a.id, first: 2, after: altered });
    expect(onlyError(refused).code).toBe('BAD_USER_INPUT');
    const tooMany = await stack.request(SessionWithUsersDocument, { id: a.id, first: 100_000 });
    expect(onlyError(tooMany)).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'first' } });
  });

  it('dailyUsage over three months costs three calls and matches the simulator\'s sessions day by day', async () => {
    const answer = await stack.request(DailyUsageRangeDocument, { from: '2026-08-01', to: '2026-10-31' });
    expect(answer.body.errors).toBeUndefined();
    const days = answer.body.data!.dailyUsage;
    expect(days).toHaveLength(31 + 30 + 31);
    expect(callsBy(stack).daily).toBe(3);
    const expected = new Map<string, { sessions: number; users: number; sessionMinutes: number }>();
    for (const session of pastSessions(stack)) {
      const day = session.start_time.slice(0, 10);
      if (day < '2026-08-01' || day > '2026-10-31') continue;
      const entry = expected.get(day) ?? { sessions: 0, users: 0, sessionMinutes: 0 };
      const seconds = session.duration.split(':').reduce((total, part) => total * 60 + Number(part), 0);
      expected.set(day, { sessions: entry.sessions + 1, users: entry.users + session.user_count, sessionMinutes: entry.sessionMinutes + Math.round(seconds / 60) });
    }
    for (const day of days) expect({ sessions: day.sessions, users: day.users, sessionMinutes: day.sessionMinutes }).toEqual(expected.get(day.date) ?? { sessions: 0, users: 0, sessionMinutes: 0 });
    expect(days.reduce((sum, day) => sum + day.sessions, 0)).toBe([...expected.values()].reduce((sum, day) => sum + day.sessions, 0));
    stack.zoom.resetCalls();
    await stack.request(DailyUsageRangeDocument, { from: '2026-08-01', to: '2026-10-31' });
    expect(stack.zoom.calls()).toBe(0);
  });

  it('prices nesting: accepts 30 sessions × 10 participants with QoS, refuses 300 × 300 with QUERY_LIMIT_EXCEEDED before any Zoom call', async () => {
    const refused = await stack.post({
      query: `{ sessions(type: PAST, from: "2026-07-01", to: "2026-07-31", first: 300) { nodes { users(first: 300) { nodes { qos { samples { dateTime } } } } } } }`,
    });
    expect(onlyError(refused)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', extensions: { limit: 'heavyCost', max: 100, found: 9300 } });
    expect(stack.zoom.calls()).toBe(0);
    const accepted = await stack.post({
      query: `{ sessions(type: PAST, from: "2026-07-01", to: "2026-07-31", first: 30) { nodes { users(first: 10) { nodes { name qos { samples { dateTime } } } } } } }`,
    });
    expect(accepted.body.errors).toBeUndefined();
    expect(callsBy(stack)).toMatchObject({ list: 1, users: 0, qos: 30 });
  });

  it('says what an operation costs when asked: the estimate from @cost and @listSize, the limits, and the Zoom calls really made', async () => {
    // A stack of its own: the other tests' cached details would make the cold count smaller.
    const stack = await startStack();
    try {
      await costSaid(stack);
    } finally {
      await stack.close();
    }
  });

  async function costSaid(stack: Stack): Promise<void> {
    const query = '{ sessions(type: PAST, from: "2026-08-01", to: "2026-08-31", first: 4) { nodes { sessionNumber users(first: 3) { nodes { name } } } } }';
    const cold = await stack.post({ query, extensions: { cost: true } });
    expect(cold.body.errors).toBeUndefined();
    // One List call; per session one details call and one participants page.
    expect(callsBy(stack)).toMatchObject({ list: 1, details: 4, users: 4 });
    expect(cold.body.extensions?.cost).toEqual({ estimated: { cost: 1, heavyCost: 4 * (1 + 1) }, max: { cost: 20, heavyCost: 100 }, zoomCalls: 9 });
    stack.zoom.resetCalls();
    const warm = await stack.post({ query, extensions: { cost: true } });
    expect(warm.body.extensions?.cost).toMatchObject({ estimated: { cost: 1, heavyCost: 8 }, zoomCalls: 0 });
    // Not asked, not said.
    const plain = await stack.post({ query });
    expect(plain.body.extensions?.cost).toBeUndefined();
    const refused = await stack.post({
      query: '{ sessions(type: PAST, from: "2026-08-01", to: "2026-08-31", first: 300) { nodes { users(first: 300) { nodes { qos { samples { dateTime } } } } } } }',
      extensions: { cost: true },
    });
    expect(onlyError(refused)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', extensions: { limit: 'heavyCost', found: 9300 } });
    expect(refused.body.extensions?.cost).toEqual({ estimated: { cost: 1, heavyCost: 9300 }, max: { cost: 20, heavyCost: 100 }, zoomCalls: 0 });
    expect(stack.zoom.calls()).toBe(0);
  }

  it('prices a variable left out at its default: `$first: Int = 300` is refused as 300 sessions would be, before any Zoom call', async () => {
    const refused = await stack.post({ query: 'query($f: Int = 300) { sessions(type: PAST, from: "2026-07-01", to: "2026-07-31", first: $f) { nodes { sessionNumber } } }' });
    expect(onlyError(refused)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', extensions: { limit: 'heavyCost', found: 300 } });
    expect(stack.zoom.calls()).toBe(0);
  });

  it('refuses a dailyUsage range beyond six months or upside down before any Zoom call', async () => {
    expect(onlyError(await stack.request(DailyUsageRangeDocument, { from: '2026-01-01', to: '2026-02-01' }))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'from' } });
    expect(onlyError(await stack.request(DailyUsageRangeDocument, { from: '2026-10-05', to: '2026-10-01' }))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'from' } });
    expect(stack.zoom.calls()).toBe(0);
  });
});

describe('inside a session, at the edges of the budget and of Zoom\'s tokens', () => {
  it('past the request\'s Heavy call cap, participant connections return what they have and say more follows; details fail alone', async () => {
    const stack = await startStack({ env: { ZOOM_MAX_HEAVY_CALLS_PER_REQUEST: '5' } });
    try {
      const answer = await stack.post({
        query: `{ sessions(type: PAST, from: "${november.from}", to: "${november.to}", first: 8) { nodes { id users(first: 1) { nodes { name } pageInfo { hasNextPage } } } } }`,
      });
      expect(answer.body.errors).toBeUndefined();
      const nodes = (answer.body.data as { sessions: { nodes: { users: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } }[] } }).sessions.nodes;
      expect(nodes.map((node) => node.users.nodes.length)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
      expect(nodes.slice(5).every((node) => node.users.pageInfo.hasNextPage)).toBe(true);
      expect(callsBy(stack).users).toBe(5);
      stack.zoom.resetCalls();
      const details = await stack.post({ query: `{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 8) { nodes { id sessionNumber } } }` });
      expect((details.body.errors ?? []).map((error) => [error.extensions?.code, error.path?.[3]])).toEqual([['ZOOM_RATE_LIMITED', 'sessionNumber'], ['ZOOM_RATE_LIMITED', 'sessionNumber'], ['ZOOM_RATE_LIMITED', 'sessionNumber']]);
      expect(callsBy(stack).details).toBe(5);
    } finally {
      await stack.close();
    }
  });

  it('a QoS walk that meets an expired token further down walks again from the start, and answers', async () => {
    const stack = await startStack();
    try {
      const session = pastIn(stack, '2026-10').find((candidate) => candidate.user_count >= 21 && candidate.user_count <= 30)!;
      const ask = (first: number) => stack.request(SessionWithUsersDocument, { id: session.id, first }).then(async () =>
        stack.post({ query: `query($id: ID!, $first: Int) { session(id: $id) { users(first: $first) { nodes { participantUuid qos { samples { dateTime } } } } } }`, variables: { id: session.id, first } }),
      );
      await ask(15);
      stack.clock.advance(20 * 60_000);
      stack.zoom.resetCalls();
      const answer = await ask(session.user_count);
      expect(answer.body.errors).toBeUndefined();
      const { participants, qos } = stack.zoom.inside(session.id)!;
      const users = (answer.body.data as { session: { users: { nodes: { participantUuid: string; qos: { samples: unknown[] } }[] } } }).session.users.nodes;
      expect(users.map((user) => user.participantUuid)).toEqual(participants.map((user) => user.participant_uuid));
      expect(users.map((user) => user.qos.samples.length)).toEqual(qos.map((samples) => samples.length));
      // Pages 0 and 1 from cache, page 2 refused (expired token), then pages 0, 1 and 2 afresh.
      expect(callsBy(stack).qos).toBe(4);
    } finally {
      await stack.close();
    }
  });

  it('serves a live session\'s participants with those still present having no leaveTime', async () => {
    const stack = await startStack();
    try {
      const live = stack.zoom.sessions.filter((session) => !session.end_time).sort((a, b) => b.user_count - a.user_count)[0];
      const answer = await stack.request(SessionWithUsersDocument, { id: live.id, type: 'LIVE', first: 30 });
      expect(answer.body.errors).toBeUndefined();
      const users = answer.body.data!.session!.users.edges.map((edge) => edge.node);
      const expected = stack.zoom.inside(live.id)!.participants;
      expect(users.map((user) => user.leaveTime)).toEqual(expected.slice(0, 30).map((user) => (user.leave_time ? new Date(user.leave_time).toISOString() : null)));
      expect(stack.zoom.callLog().every((call) => call.query.type === 'live')).toBe(true);
    } finally {
      await stack.close();
    }
  });
});

describe('inside a session, with personal data exposed', () => {
  it('serves ipAddress and location when GATEWAY_EXPOSE_PERSONAL_DATA=true', async () => {
    const stack = await startStack({ env: { GATEWAY_EXPOSE_PERSONAL_DATA: 'true' } });
    try {
      const session = pastSessions(stack)[5];
      const answer = await stack.request(SessionWithUsersDocument, { id: session.id, first: 5 });
      const expected = stack.zoom.inside(session.id)!.participants.slice(0, 5);
      expect(answer.body.data!.session!.users.edges.map((edge) => [edge.node.ipAddress, edge.node.location])).toEqual(expected.map((user) => [user.ip_address, user.location]));
    } finally {
      await stack.close();
    }
  });
});

describe('inside a session, past Zoom\'s token lifetime and its one-year horizon', () => {
  it('continues a participant cursor after Zoom\'s 15-minute token expired, without the cache', async () => {
    const stack = await startStack({ env: { CACHE_MAX_ENTRIES: '0' } });
    try {
      const crowded = pastSessions(stack).find((session) => session.user_count > 305)!;
      const first = await stack.request(SessionWithUsersDocument, { id: crowded.id, first: 300 });
      const cursor = first.body.data!.session!.users.pageInfo.endCursor;
      stack.clock.advance(20 * 60_000);
      stack.zoom.resetCalls();
      const next = await stack.request(SessionWithUsersDocument, { id: crowded.id, first: 5, after: cursor });
      expect(next.body.errors).toBeUndefined();
      const expected = stack.zoom.inside(crowded.id)!.participants.slice(300, 305).map((user) => user.participant_uuid);
      expect(next.body.data!.session!.users.edges.map((edge) => edge.node.participantUuid)).toEqual(expected);
      // The expired token, then a fresh walk: page 1 again and its next page.
      expect(callsBy(stack).users).toBe(3);
    } finally {
      await stack.close();
    }
  });

  it('says ZOOM_NOT_FOUND, older than a year, for a session past Zoom\'s horizon (12702)', async () => {
    const old: SimSession = {
      id: 'b2xkLXNlc3Npb24tMDAwMQ==', session_name: 'Old', start_time: '2025-06-01T10:00:00Z', end_time: '2025-06-01T10:30:00Z', duration: '30:00',
      user_count: 2, has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
      audio_quality: 'good', video_quality: '', screen_share_quality: '',
    };
    const stack = await startStack({ simulator: { sessions: [old] } });
    try {
      const answer = await stack.request(SessionByIdDocument, { id: old.id });
      const error = onlyError(answer);
      expect(error.code).toBe('ZOOM_NOT_FOUND');
      expect(error.message).toContain('older than a year');
    } finally {
      await stack.close();
    }
  });
});
