import { Stack, startStack } from '../harness';

const KEY = 'prod-key-0123456789abcdef';
const headers = { 'content-type': 'application/json', 'x-api-key': KEY };

async function post(stack: Stack, body: unknown, extra: Record<string, string> = {}) {
  const response = await fetch(stack.url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  return { status: response.status, response, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe('production mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production', GATEWAY_API_KEYS: KEY, CORS_ORIGINS: 'https://app.example' } });
  });
  afterAll(() => stack.close());

  it('refuses introspection', async () => {
    const { body } = await post(stack, { query: '{ __schema { types { name } } }' });
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toMatch(/introspection/i);
  });

  it('serves no landing page', async () => {
    const response = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toMatch(/sandbox/i);
  });

  it('gives no field suggestions', async () => {
    const { body } = await post(stack, { query: '{ sessions(from: "2026-10-01", to: "2026-10-31") { nodes { sessionNam } } }' });
    expect(body.errors?.[0].message).toBe('Cannot query field "sessionNam" on type "Session".');
  });

  it('keeps CSRF prevention on', async () => {
    const response = await fetch(`${stack.url}?query=%7B__typename%7D`, { headers: { 'x-api-key': KEY } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('allows the configured CORS origins only', async () => {
    const preflight = (origin: string) =>
      fetch(stack.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' } });
    expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still answers queries', async () => {
    const { body } = await post(stack, { query: '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }' });
    expect(body.errors).toBeUndefined();
  });
});

describe('production mode with introspection enabled by configuration', () => {
  it('answers introspection', async () => {
    const stack = await startStack({ env: { NODE_ENV: 'production', GATEWAY_API_KEYS: KEY, GRAPHQL_INTROSPECTION: 'true' } });
    try {
      const { body } = await post(stack, { query: '{ __type(name: "Session") { name } }' });
      expect(body.data).toEqual({ __type: { name: 'Session' } });
    } finally {
      await stack.close();
    }
  });
});

describe('request timeout and batching', () => {
  it('answers 503 REQUEST_TIMEOUT when a request outlives REQUEST_TIMEOUT_MS', async () => {
    const stack = await startStack({ env: { REQUEST_TIMEOUT_MS: '200' }, simulator: { latencyMs: 1_000 } });
    try {
      const { status, body } = await post(stack, { query: '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }' });
      expect(status).toBe(503);
      expect(body.errors?.[0].extensions?.code).toBe('REQUEST_TIMEOUT');
    } finally {
      await stack.close();
    }
  });

  it('takes batches up to LIMIT_MAX_BATCH when batching is on, and names the limit past it', async () => {
    const stack = await startStack({ env: { LIMIT_MAX_BATCH: '2' } });
    try {
      const operation = { query: '{ __typename }' };
      const two = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify([operation, operation]) });
      expect(await two.json()).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
      const three = await post(stack, [operation, operation, operation]);
      expect(three.status).toBe(400);
      expect(three.body.errors?.[0].extensions).toEqual({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'batch', max: 2, found: 3 });
    } finally {
      await stack.close();
    }
  });
});
