import { startGatewayProcess } from '../services/gateway-process';

describe('shutdown', () => {
  it('on SIGTERM fails readiness, keeps serving for the delay, then stops accepting, finishes every request in flight, and exits 0', async () => {
    const gateway = await startGatewayProcess({
      // Not about Zoom's rate limit: the requests in flight must not queue behind it.
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', SIMULATOR_LATENCY_MS: '800', SHUTDOWN_DELAY_MS: '1500', ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
    });
    const { url, child, exited } = gateway;

    // No dates: the child runs on the machine's clock, so the queries use the default window (the
    // month that ends today, whatever today is). Six requests of different sizes are in flight together.
    const sizes = [1, 2, 3, 4, 5, 6];
    const inFlight = sizes.map(async (first) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ sessions(type: PAST, first: ${first}) { nodes { id } } }` }),
      });
      return { first, status: response.status, body: (await response.json()) as { data?: { sessions: { nodes: unknown[] } } } };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    child.kill('SIGTERM');

    // During the delay readiness fails, so load balancers stop sending, yet requests are still served.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(url.replace('/graphql', '/readyz'))).status).toBe(503);
    const late = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(late.status).toBe(200);

    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.data?.sessions.nodes).toHaveLength(answer.first);
    }
    expect(await exited).toBe(0);
    process.stdout.write(`shutdown took ${Date.now() - signalled} ms after SIGTERM\n`);
    expect(gateway.output()).toContain('SIGTERM received: finishing in-flight requests');
    expect(gateway.output()).toContain('"msg":"stopped"');
    await expect(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).rejects.toThrow();
  }, 60_000);
});
