import { SessionsPageDocument } from '../generated/graphql';
import { Stack, onlyError, startStack } from '../harness';

const KEY_A = 'client-a-key-0123456789';
const KEY_B = 'client-b-key-0123456789';
let stacks: Stack[] = [];
afterEach(async () => {
  for (const stack of [...stacks].reverse()) await stack.close();
  stacks = [];
});

const day = (offset: number) => new Date(Date.parse('2026-11-20') - offset * 86_400_000).toISOString().slice(0, 10);

describe('per-client quota of Zoom calls', () => {
  it('refuses one client past its quota while another is served, and never counts cached answers', async () => {
    const env = { GATEWAY_API_KEYS: `${KEY_A},${KEY_B}`, ZOOM_CALLS_PER_CLIENT_PER_MINUTE: '3' };
    const a = await startStack({ env, headers: { 'x-api-key': KEY_A } });
    stacks = [a];
    const asB = (offset: number) => fetch(a.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY_B }, body: JSON.stringify({ query: 'query($from: Date!, $to: Date!) { sessions(type: PAST, from: $from, to: $to, first: 1) { nodes { id } } }', variables: { from: day(offset), to: day(offset) } }) }).then((response) => response.json() as Promise<{ errors?: unknown[] }>);
    for (let offset = 0; offset < 3; offset += 1) expect((await a.request(SessionsPageDocument, { type: 'PAST', from: day(offset), to: day(offset), first: 1 })).body.errors).toBeUndefined();
    // A cached page costs no Zoom call, so no quota.
    expect((await a.request(SessionsPageDocument, { type: 'PAST', from: day(0), to: day(0), first: 1 })).body.errors).toBeUndefined();
    const refused = onlyError(await a.request(SessionsPageDocument, { type: 'PAST', from: day(3), to: day(3), first: 1 }));
    expect(refused.code).toBe('ZOOM_RATE_LIMITED');
    expect(refused.message).toContain('This client has used its quota of 3 Zoom calls a minute');
    expect(refused.extensions.retryAfter).toBeGreaterThan(50);
    expect((await asB(3)).errors).toBeUndefined();
    expect(a.zoom.calls()).toBe(4);
  });
});

describe('a share of the daily cap per client, and made-up ids remembered', () => {
  const lookup = (url: string, key: string, id: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query: 'query($id: ID!) { session(id: $id) { id } }', variables: { id } }) }).then(
      (response) => response.json() as Promise<{ data?: { session: unknown } | null; errors?: { message: string; extensions: Record<string, unknown> }[] }>,
    );

  it('lets no key spend more than its share looking up made-up ids, and serves another key\'s cold query after', async () => {
    // A daily cap of 300: each client's share is a tenth (the default), 30 Zoom calls.
    const env = { GATEWAY_API_KEYS: `${KEY_A},${KEY_B}`, ZOOM_DAILY_LIMIT: '300' };
    const stack = await startStack({ env, headers: { 'x-api-key': KEY_B } });
    stacks = [stack];
    // A made-up id costs one call the first time, none while Zoom's 404 is remembered.
    expect(await lookup(stack.url, KEY_A, 'made-up-0')).toEqual({ data: { session: null } });
    expect(stack.zoom.calls()).toBe(1);
    for (let again = 0; again < 5; again += 1) expect(await lookup(stack.url, KEY_A, 'made-up-0')).toEqual({ data: { session: null } });
    expect(stack.zoom.calls()).toBe(1);
    let refused: { message: string; extensions: Record<string, unknown> } | undefined;
    for (let id = 1; id < 40 && refused === undefined; id += 1) refused = (await lookup(stack.url, KEY_A, `made-up-${id}`)).errors?.[0];
    expect(refused?.extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'CLIENT_QUOTA' });
    expect(refused?.message).toContain('share of the Zoom account\'s daily cap (30 calls today)');
    expect(stack.zoom.calls()).toBe(30);
    const cold = await stack.request(SessionsPageDocument, { type: 'PAST', from: day(0), to: day(0), first: 1 });
    expect(cold.body.errors).toBeUndefined();
    expect(cold.body.data?.sessions).toBeDefined();
    expect(stack.zoom.calls()).toBe(31);
  });

  it('forgets a made-up id after a minute: Zoom is asked again', async () => {
    const stack = await startStack();
    stacks = [stack];
    const ask = () => stack.post({ query: '{ session(id: "made-up") { id } }' });
    await ask();
    await ask();
    expect(stack.zoom.calls()).toBe(1);
    stack.clock.advance(61_000);
    await ask();
    expect(stack.zoom.calls()).toBe(2);
  });
});

describe('only calls that reach Zoom are the client\'s', () => {
  it('charges no quota for calls the account\'s budget refused: a client is not locked out while the account has spent 2 calls', async () => {
    // A share of 30 calls a day (a tenth of 300), and a List budget of 2 a minute that refuses the rest at once.
    const env = { GATEWAY_API_KEYS: `${KEY_A},${KEY_B}`, ZOOM_DAILY_LIMIT: '300', ZOOM_LIST_SESSIONS_PER_MINUTE: '2', ZOOM_QUEUE_MAX_WAIT_MS: '100' };
    const stack = await startStack({ env, headers: { 'x-api-key': KEY_A } });
    stacks = [stack];
    const reasons: unknown[] = [];
    for (let offset = 0; offset < 40; offset += 1) {
      const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: day(offset), to: day(offset), first: 1 });
      reasons.push(answer.body.errors === undefined ? 'served' : onlyError(answer).extensions.reason);
    }
    // Before, the 30 refusals counted as the client's calls and the rest were its own quota's refusals.
    expect(reasons.filter((reason) => reason === 'served')).toHaveLength(stack.zoom.calls());
    expect(stack.zoom.calls()).toBeLessThanOrEqual(2);
    expect(reasons.filter((reason) => reason === 'WINDOW')).toHaveLength(40 - stack.zoom.calls());
  });

  it('charges a node lookup once per Zoom call it makes', async () => {
    const stack = await startStack({ env: { GATEWAY_API_KEYS: KEY_A, ZOOM_CALLS_PER_CLIENT_PER_MINUTE: '6' }, headers: { 'x-api-key': KEY_A } });
    stacks = [stack];
    const nodeOf = (sessionId: string) => Buffer.from(JSON.stringify(['Session', 1, sessionId])).toString('base64url');
    const answers = [];
    for (let made = 0; made < 4; made += 1) answers.push((await stack.post({ query: `{ node(id: "${nodeOf(`made-up-${made}`)}") { id } }` })).body);
    // Each made-up id is asked of Zoom under each type: 6 calls for 3 lookups, the quota's 6, then a refusal.
    expect(stack.zoom.calls()).toBe(6);
    expect(answers.slice(0, 3)).toEqual([{ data: { node: null } }, { data: { node: null } }, { data: { node: null } }]);
    expect(answers[3].errors?.[0]).toMatchObject({ extensions: { code: 'ZOOM_RATE_LIMITED', reason: 'CLIENT_QUOTA' } });
  });
});

describe('anonymous clients behind a trusted proxy', () => {
  const page = (url: string, forwardedFor: string, offset: number) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: 'query($from: Date!, $to: Date!) { sessions(type: PAST, from: $from, to: $to, first: 1) { nodes { id } } }', variables: { from: day(offset), to: day(offset) } }),
    }).then((response) => response.json() as Promise<{ errors?: { extensions: Record<string, unknown> }[] }>);

  it('counts each client under the address the proxy saw, not the proxy\'s: one client\'s quota refuses no other', async () => {
    const stack = await startStack({ env: { TRUSTED_PROXIES: '127.0.0.1', ZOOM_CALLS_PER_CLIENT_PER_MINUTE: '2' } });
    stacks = [stack];
    expect((await page(stack.url, '203.0.113.1', 0)).errors).toBeUndefined();
    // What the client wrote left of the proxy's entry proves nothing: this is still 203.0.113.1.
    expect((await page(stack.url, '198.51.100.99, 203.0.113.1', 1)).errors).toBeUndefined();
    expect((await page(stack.url, '203.0.113.1', 2)).errors?.[0].extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'CLIENT_QUOTA' });
    expect((await page(stack.url, '198.51.100.7', 3)).errors).toBeUndefined();
    expect(stack.zoom.calls()).toBe(3);
  });

  it('believes no X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const stack = await startStack({ env: { ZOOM_CALLS_PER_CLIENT_PER_MINUTE: '2' } });
    stacks = [stack];
    expect((await page(stack.url, '203.0.113.1', 0)).errors).toBeUndefined();
    expect((await page(stack.url, '198.51.100.7', 1)).errors).toBeUndefined();
    expect((await page(stack.url, '192.0.2.5', 2)).errors?.[0].extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'CLIENT_QUOTA' });
    expect(stack.zoom.calls()).toBe(2);
  });
});
