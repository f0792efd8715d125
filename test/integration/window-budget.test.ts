import { SessionsPageDocument } from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';

/** Zoom's window as the simulator counts it, unshrunk: the gateway's window is the same minute. */
const ZOOM_WINDOW_MS = 60_000;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Distinct filters: every query is a cold Zoom call of its own, none shared, none cached. */
const coldQuery = (index: number) => ({ type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 1, sessionName: `client-${index}` }) as const;

/** A simulator that refuses past `perMinute` List sessions calls in any minute, as Zoom does, and a gateway told the same budget. */
function startLimited(perMinute: number, env: Record<string, string> = {}): Promise<Stack> {
  return startStack({ simulator: { rateLimitPerMinute: perMinute }, env: { ZOOM_LIST_SESSIONS_PER_MINUTE: String(perMinute), ...env } });
}

function statuses(limited: Stack): number[] {
  return limited.zoom.callLog().map((call) => call.status);
}

describe('the whole window\'s budget, at once', () => {
  it('answers 20 distinct cold queries sent together at 20 a minute: no refusal, no Zoom 429', async () => {
    stack = await startLimited(20);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => stack!.request(SessionsPageDocument, coldQuery(index))));
    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'data')).toEqual(Array(20).fill('data'));
    for (const answer of answers) expect(answer.body.data?.sessions).toBeDefined();
    expect(statuses(stack)).toEqual(Array(20).fill(200));
  });

  it('answers 20 of 25 sent together, and refuses the other 5 at once with the true wait for the next free slot', async () => {
    stack = await startLimited(20);
    // Each answer with when it arrived: a refusal's wait counts from the moment the client reads it.
    const sentAt = stack.clock.now();
    const answers = await Promise.all(
      Array.from({ length: 25 }, async (_, index) => {
        const answer = await stack!.request(SessionsPageDocument, coldQuery(index));
        return { answer, at: stack!.clock.now() };
      }),
    );
    const refused = answers.filter(({ answer }) => answer.body.errors !== undefined).map(({ answer, at }) => ({ error: onlyError(answer), at }));
    expect(answers.filter(({ answer }) => answer.body.errors === undefined)).toHaveLength(20);
    expect(refused).toHaveLength(5);
    expect(statuses(stack)).toEqual(Array(20).fill(200));
    // Zoom frees its first slot a minute after the first call it received.
    const freedAt = Math.min(...stack.zoom.callLog().map((call) => call.at)) + ZOOM_WINDOW_MS;
    for (const { error, at } of refused) {
      expect(error.code).toBe('ZOOM_RATE_LIMITED');
      expect(error.extensions.reason).toBe('WINDOW');
      expect(error.message).toContain('spent for this window');
      const retryAfterMs = (error.extensions.retryAfterSeconds as number) * 1000;
      expect(error.extensions.retryAfter).toBe(error.extensions.retryAfterSeconds);
      // Asking again after the wait it was told is never sooner than Zoom would let it through, nor more than
      // 2 s later (plus the time the refusal took to reach the client, which the gateway cannot know).
      expect(at + retryAfterMs).toBeGreaterThanOrEqual(freedAt);
      expect(at + retryAfterMs).toBeLessThanOrEqual(freedAt + 2_000 + (at - sentAt));
    }
  });

  it('answers 10 sent together on Pro (10 a minute)', async () => {
    // The plan's own budget: the harness's generous List sessions budget is unset.
    stack = await startStack({ simulator: { rateLimitPerMinute: 10 }, env: { ZOOM_PLAN: 'pro', ZOOM_LIST_SESSIONS_PER_MINUTE: '' } });
    expect(stack.gateway.core.governor.budgetOf('resource-intensive').limit).toBe(10);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => stack!.request(SessionsPageDocument, coldQuery(index))));
    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'data')).toEqual(Array(10).fill('data'));
    expect(statuses(stack)).toEqual(Array(10).fill(200));
  });

  it('answers a query of five months (five aliases of sessions) cold under the default budget', async () => {
    stack = await startLimited(20, { ZOOM_LIST_SESSIONS_PER_MINUTE: '' });
    const months = [
      ['m1', '2026-06-01', '2026-06-30'],
      ['m2', '2026-07-01', '2026-07-31'],
      ['m3', '2026-08-01', '2026-08-31'],
      ['m4', '2026-09-01', '2026-09-30'],
      ['m5', '2026-10-01', '2026-10-31'],
    ] as const;
    const query = `{ ${months.map(([alias, from, to]) => `${alias}: sessions(type: PAST, from: "${from}", to: "${to}", first: 3) { edges { node { id: sessionId } } }`).join(' ')} }`;
    const answer = await stack.post({ query });
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data as Record<string, { edges: { node: { id: string } }[] }>;
    for (const [alias, from, to] of months) {
      const expected = stack.zoom.expectedSessions({ type: 'past', from, to }).slice(0, 3).map((session) => session.id);
      expect(data[alias].edges.map((edge) => edge.node.id)).toEqual(expected);
    }
    expect(statuses(stack)).toEqual(Array(5).fill(200));
  });
});
