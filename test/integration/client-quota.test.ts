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
