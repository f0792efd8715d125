import { isWellFormedSearch, percentDecodedBytes } from '../../src/transport/well-formed-input';
import { isWellFormedJson } from '../../src/well-formed-text';
import { Stack, startStack } from '../harness';

const QUERY = 'query($name: String) { sessions(from: "2026-11-01", to: "2026-11-27", sessionName: $name) { nodes { id } } }';

describe('text that is not Unicode, in variables and inside global ids', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  async function postBytes(body: Buffer): Promise<{ status: number; body: { errors?: { extensions?: { code?: unknown } }[] } }> {
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as never };
  }

  async function get(search: string): Promise<{ status: number; body: { errors?: { extensions?: { code?: unknown } }[] } }> {
    const response = await fetch(`${stack.url}?${search}`, { headers: { 'apollo-require-preflight': '1' } });
    return { status: response.status, body: (await response.json()) as never };
  }

  const withName = (name: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`{"query":${JSON.stringify(QUERY)},"variables":{"name":"`), name, Buffer.from('"}}')]);

  it.each([
    ['an invalid UTF-8 byte', Buffer.from([0x61, 0xff, 0x62])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['a surrogate encoded in UTF-8 (CESU-8)', Buffer.from([0xed, 0xa0, 0x80])],
    ['a lone high surrogate escape', Buffer.from('a\\ud800b')],
    ['a lone low surrogate escape', Buffer.from('\\udc00')],
  ])('refuses %s in a POST body with BAD_USER_INPUT before any Zoom call', async (_name, bytes) => {
    const answer = await postBytes(withName(bytes));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.zoom.calls()).toBe(0);
  });

  it.each([
    ['an invalid UTF-8 byte', `variables=${encodeURIComponent('{"name":"a')}%FF${encodeURIComponent('"}')}`],
    ['a lone surrogate escape', `variables=${encodeURIComponent('{"name":"\\ud800"}')}`],
  ])('refuses %s in GET variables with BAD_USER_INPUT before any Zoom call', async (_name, variables) => {
    const answer = await get(`query=${encodeURIComponent(QUERY)}&${variables}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.zoom.calls()).toBe(0);
  });

  // base64url hides the escape from the body's check: the id is well-formed text, what it decodes to is not.
  const idOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
  const joined = '2026-11-20T10:00:00Z';

  it.each([
    ['a session id', idOf(['Session', 1, 'abc\ud800'])],
    ['a participant\'s session id', idOf(['SessionUser', 1, 'past', '\udc00', 'user-1', joined])],
    ['a participant\'s own id', idOf(['SessionUser', 1, 'past', 'session-1', 'user\ud800', joined])],
  ])('refuses a lone surrogate in %s with BAD_USER_INPUT, before any Zoom call', async (_name, id) => {
    const answer = await stack.post({ query: 'query($id: ID!) { node(id: $id) { id ... on SessionUser { qos { worstLossPercent } } } }', variables: { id } });
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('passes a surrogate pair and other well-formed text through to Zoom', async () => {
    const answer = await postBytes(withName(Buffer.from('Yoga \\ud83d\\ude00 é')));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(stack.zoom.callLog()[0].query.session_name).toBe('Yoga 😀 é');
  });
});

describe('well-formed input checks', () => {
  it('finds lone surrogates in keys and nested values only', () => {
    expect(isWellFormedJson({ a: ['x', { b: 'y😀' }], n: 1, z: null })).toBe(true);
    expect(isWellFormedJson({ a: ['x', { b: 'y\ud800' }] })).toBe(false);
    expect(isWellFormedJson({ ['\udc00']: 1 })).toBe(false);
  });

  it('undoes percent escapes to bytes', () => {
    expect([...percentDecodedBytes('a%20b%ff+%zz')]).toEqual([0x61, 0x20, 0x62, 0xff, 0x2b, 0x25, 0x7a, 0x7a]);
    expect(isWellFormedSearch('query=%7B%20__typename%20%7D')).toBe(true);
    expect(isWellFormedSearch('query=%C3%A9')).toBe(true);
    expect(isWellFormedSearch('query=%C3')).toBe(false);
  });
});
