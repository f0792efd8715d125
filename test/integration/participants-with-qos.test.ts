import { Stack, startStack } from '../harness';
import type { SimSession } from '../../src/simulator/simulator';

/**
 * A query that asks participants with their QoS reads them from the session's QoS list alone (its entries carry
 * every participant field), so a dashboard page costs one Zoom call per session, not two.
 */

const DASHBOARD = `query Dashboard($from: Date!, $to: Date!) {
  sessions(type: PAST, from: $from, to: $to, first: 30) {
    nodes {
      sessionId
      users(first: 10) {
        nodes { userId name device networkType joinTime leaveTime participantUuid
          qos { samples { dateTime audioInput { bitrateKbps latencyMs jitterMs avgLossPercent } videoInput { resolution frameRate } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface User {
  userId: string;
  name: string;
  participantUuid: string;
  joinTime: string;
  leaveTime: string | null;
  qos: { samples: { dateTime: string; audioInput: { bitrateKbps: number } | null; videoInput: { resolution: string | null } | null }[] } | null;
}
interface Users {
  nodes: User[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

function callsBy(stack: Stack): { list: number; users: number; qos: number; other: number } {
  const counts = { list: 0, users: 0, qos: 0, other: 0 };
  for (const call of stack.zoom.callLog()) {
    if (call.path.endsWith('/users/qos')) counts.qos += 1;
    else if (call.path.endsWith('/users')) counts.users += 1;
    else if (call.path.endsWith('/videosdk/sessions')) counts.list += 1;
    else counts.other += 1;
  }
  return counts;
}

/** What the simulator serves for a session's participants from `from`, with their samples, as the graph shows them. */
function expectedUsers(stack: Stack, session: SimSession, from: number, count: number): Pick<User, 'userId' | 'name' | 'participantUuid'>[] {
  return stack.zoom.inside(session.id)!.participants.slice(from, from + count).map((user) => ({ userId: user.id, name: user.name, participantUuid: user.participant_uuid }));
}

function expectSamples(stack: Stack, session: SimSession, from: number, users: User[]): void {
  const { qos } = stack.zoom.inside(session.id)!;
  users.forEach((user, index) => {
    const samples = qos[from + index];
    expect(user.qos!.samples.map((sample) => sample.dateTime)).toEqual(samples.map((sample) => new Date(sample.date_time).toISOString()));
    expect(user.qos!.samples.map((sample) => sample.audioInput?.bitrateKbps)).toEqual(samples.map((sample) => parseFloat(sample.audio_input.bitrate)));
  });
}

describe('participants with their QoS: one walk of the QoS list', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it('a dashboard page (the densest month\'s first 30 sessions, 10 participants each with QoS) costs 1 + 30 Zoom calls cold and 0 warm, every participant and sample right', async () => {
    const past = stack.zoom.sessions.filter((session) => session.end_time);
    const byMonth = new Map<string, SimSession[]>();
    for (const session of past) byMonth.set(session.start_time.slice(0, 7), [...(byMonth.get(session.start_time.slice(0, 7)) ?? []), session]);
    // Zoom keeps six months: the densest month among the five whole ones before the stack's.
    const today = new Date(stack.clock.now());
    const months = [1, 2, 3, 4, 5].map((back) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1)).toISOString().slice(0, 7));
    const month = months.reduce((best, candidate) => ((byMonth.get(candidate)?.length ?? 0) > (byMonth.get(best)?.length ?? 0) ? candidate : best));
    const [year, monthNumber] = month.split('-').map(Number);
    const variables = { from: `${month}-01`, to: new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10) };

    const cold = await stack.post({ query: DASHBOARD, variables });
    expect(cold.body.errors).toBeUndefined();
    const nodes = (cold.body.data as { sessions: { nodes: { sessionId: string; users: Users }[] } }).sessions.nodes;
    expect(nodes).toHaveLength(30);
    expect(callsBy(stack)).toEqual({ list: 1, users: 0, qos: 30, other: 0 });
    // Zoom's session ids are base64: the page holds ids with '/', '+' and '='.
    expect(nodes.some((node) => /[/+=]/.test(node.sessionId))).toBe(true);
    for (const node of nodes) {
      const session = past.find((candidate) => candidate.id === node.sessionId)!;
      expect(node.users.nodes.map(({ userId, name, participantUuid }) => ({ userId, name, participantUuid }))).toEqual(expectedUsers(stack, session, 0, 10));
      expectSamples(stack, session, 0, node.users.nodes);
      expect(node.users.pageInfo.hasNextPage).toBe(stack.zoom.inside(session.id)!.participants.length > 10);
    }

    stack.zoom.resetCalls();
    const warm = await stack.post({ query: DASHBOARD, variables });
    expect(warm.body).toEqual(cold.body);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('a cursor stays in the list it came from: a QoS page continues without QoS, and a plain page continues with it, each participant once', async () => {
    // Ended sessions of August (no other test here reads them) with 17 to 299 participants: two pages of 8 span two QoS pages of 10.
    const roomy = stack.zoom.sessions.filter((candidate) => {
      const count = candidate.end_time && candidate.start_time.startsWith('2026-08') ? stack.zoom.inside(candidate.id)!.participants.length : 0;
      return count >= 17 && count < 300;
    });
    const [session, other] = roomy;
    const page = (fields: string, first: number, after: string | null) =>
      stack.post({ query: `query($id: ID!, $after: String) { session(id: $id) { users(first: ${first}, after: $after) { nodes { userId name participantUuid ${fields} } pageInfo { hasNextPage endCursor } } } }`, variables: { id: session.id, after } });
    const usersOf = (answer: Awaited<ReturnType<typeof page>>): Users => {
      expect(answer.body.errors).toBeUndefined();
      return (answer.body.data as { session: { users: Users } }).session.users;
    };
    const qos = 'qos { samples { dateTime audioInput { bitrateKbps } videoInput { resolution } } }';

    const first = usersOf(await page(qos, 8, null));
    expectSamples(stack, session, 0, first.nodes);
    const calls = callsBy(stack);
    expect([calls.users, calls.qos]).toEqual([0, 1]);
    // Without QoS, the next page still comes from the QoS list: the rest of its first page, then its second.
    const second = usersOf(await page('', 8, first.pageInfo.endCursor));
    expect(second.nodes.map(({ userId, name, participantUuid }) => ({ userId, name, participantUuid }))).toEqual(expectedUsers(stack, session, 8, 8));
    expect(callsBy(stack)).toMatchObject({ users: 0, qos: 2 });

    stack.zoom.resetCalls();
    const plainPage = (fields: string, after: string | null) =>
      stack.post({ query: `query($id: ID!, $after: String) { session(id: $id) { users(first: 8, after: $after) { nodes { userId name participantUuid ${fields} } pageInfo { hasNextPage endCursor } } } }`, variables: { id: other.id, after } });
    const plain = usersOf(await plainPage('', null));
    // With QoS, the next page continues the participants list (already read), and QoS is one walk for its participants.
    const withQos = usersOf(await plainPage(qos, plain.pageInfo.endCursor));
    expect(withQos.nodes.map(({ userId, name, participantUuid }) => ({ userId, name, participantUuid }))).toEqual(expectedUsers(stack, other, 8, 8));
    expectSamples(stack, other, 8, withQos.nodes);
    expect(callsBy(stack)).toMatchObject({ users: 1, qos: 2 });
  });
});
