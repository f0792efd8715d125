import { HOSTILE_CASES, HostileCase, STABLE_CODES } from '../hostile-corpus';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';

export async function send(base: string, hostile: HostileCase): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${hostile.path ?? '/graphql'}`, { method: hostile.method ?? 'POST', headers: hostile.headers, body: hostile.body });
  return { status: response.status, text: await response.text() };
}

function codesOf(text: string): string[] {
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return (body.errors ?? []).map((error) => String(error.extensions?.code));
  } catch {
    return [];
  }
}

describe('a hostile-request corpus', () => {
  let stack: Stack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack();
    base = stack.url.replace('/graphql', '');
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it('holds at least 60 cases', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE_CASES.map((hostile) => hostile.name)).size).toBe(HOSTILE_CASES.length);
  });

  it.each(HOSTILE_CASES.map((hostile) => [hostile.name, hostile] as const))('refuses %s: a 4xx or a stable code, no stack trace, no Zoom call', async (_name, hostile) => {
    const { status, text } = await send(base, hostile);
    const codes = codesOf(text);
    expect(status).toBeLessThan(500);
    expect(status >= 400 || (codes.length > 0 && codes.every((code) => STABLE_CODES.has(code)))).toBe(true);
    if (hostile.code !== undefined) expect(codes).toContain(hostile.code);
    for (const code of codes) expect(STABLE_CODES).toContain(code);
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(text).not.toContain('stacktrace');
    expect(stack.zoom.calls()).toBe(0);
  });

  it('answers a normal query afterwards', async () => {
    for (const hostile of HOSTILE_CASES) await send(base, hostile);
    const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 5 });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.sessions.edges).toHaveLength(5);
  });
});
