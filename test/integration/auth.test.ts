import { createServer, Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';

const query = { query: '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }' };
const KEY_A = 'key-a-0123456789abcdef';
const KEY_B = 'key-b-0123456789abcdef';
const JWT_SECRET = 'a-shared-hs256-secret-of-32-characters!';

async function post(stack: Stack, headers: Record<string, string>, body: unknown = query) {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }, response };
}

describe('API keys', () => {
  let stack: Stack;
  let keyFile: string;
  beforeAll(async () => {
    keyFile = join(mkdtempSync(join(tmpdir(), 'gateway-keys-')), 'keys');
    writeFileSync(keyFile, `# rotated by operators\n${KEY_B}\n`);
    stack = await startStack({ env: { GATEWAY_API_KEYS: KEY_A, GATEWAY_API_KEYS_FILE: keyFile } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it('admits a listed key, from the list or the file', async () => {
    expect((await post(stack, { 'x-api-key': KEY_A })).body).toEqual({ data: { sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } } });
    expect((await post(stack, { 'x-api-key': KEY_B })).body).toEqual({ data: { sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } } });
  });

  it.each([
    ['no credential', {}],
    ['a wrong key', { 'x-api-key': 'key-c-0123456789abcdef' }],
    ['a key one character short', { 'x-api-key': KEY_A.slice(0, -1) }],
    ['a bearer token when only keys are accepted', { authorization: `Bearer ${KEY_A}` }],
  ])('answers %s with 401 UNAUTHENTICATED and no Zoom call', async (_name, headers) => {
    const { status, body, response } = await post(stack, headers);
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('rotates keys on reload without dropping a request in flight', async () => {
    stack.zoom.setLatency(300);
    const september = { query: '{ sessions(type: PAST, from: "2026-09-01", to: "2026-09-30", first: 2) { nodes { id } } }' };
    const inFlight = post(stack, { 'x-api-key': KEY_B }, september);
    // Once Zoom has the call, the request was authenticated: rotate the keys while Zoom holds it.
    for (let wait = 0; wait < 200 && stack.zoom.calls() === 0; wait += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    writeFileSync(keyFile, `${KEY_A.replace('a', 'z')}\n`);
    await stack.gateway.authenticator.keys.reload();
    expect(stack.zoom.calls()).toBe(1);
    expect((await inFlight).body.data).toMatchObject({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } });
    stack.zoom.setLatency(0);
    expect((await post(stack, { 'x-api-key': KEY_B })).status).toBe(401);
    expect((await post(stack, { 'x-api-key': KEY_A.replace('a', 'z') })).body.data).toMatchObject({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } });
    expect((await post(stack, { 'x-api-key': KEY_A })).body.data).toMatchObject({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } });
  });

  it('keeps the keys in force when the key file is found empty at a reload (caught half-written)', async () => {
    writeFileSync(keyFile, '');
    await expect(stack.gateway.authenticator.keys.reload()).rejects.toThrow('holds no key');
    expect((await post(stack, { 'x-api-key': KEY_A.replace('a', 'z') })).status).toBe(200);
    writeFileSync(keyFile, `${KEY_A.replace('a', 'z')}\n`);
    await stack.gateway.authenticator.keys.reload();
  });

  it('keeps health and readiness open', async () => {
    const base = stack.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('bearer JWTs', () => {
  it('verifies HS256 tokens against GATEWAY_JWT_SECRET, with issuer and audience', async () => {
    const stack = await startStack({ env: { GATEWAY_JWT_SECRET: JWT_SECRET, GATEWAY_JWT_ISSUER: 'https://idp.example', GATEWAY_JWT_AUDIENCE: 'zoom-gateway' } });
    try {
      const secret = new TextEncoder().encode(JWT_SECRET);
      // Expiries on the gateway's clock, which is not the machine's.
      const sign = (claims: { iss?: string; aud?: string; expiresInS?: number }, key = secret) =>
        new SignJWT({ sub: 'frontend' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(claims.iss ?? 'https://idp.example')
          .setAudience(claims.aud ?? 'zoom-gateway')
          .setExpirationTime(Math.floor(stack.clock.now() / 1000) + (claims.expiresInS ?? 300))
          .sign(key);
      expect((await post(stack, { authorization: `Bearer ${await sign({})}` })).body.data).toMatchObject({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } });
      const noExpiry = await new SignJWT({ sub: 'frontend' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://idp.example').setAudience('zoom-gateway').sign(secret);
      for (const token of [
        noExpiry,
        await sign({ aud: 'another-api' }),
        await sign({ iss: 'https://evil.example' }),
        await sign({ expiresInS: -60 }),
        await sign({}, new TextEncoder().encode('another-secret-of-thirty-two-characters')),
        'not.a.jwt',
      ]) {
        const { status, body } = await post(stack, { authorization: `Bearer ${token}` });
        expect(status).toBe(401);
        expect(body.errors?.[0]).toEqual({ message: 'The bearer token is not valid.', extensions: { code: 'UNAUTHENTICATED' } });
      }
      expect(stack.zoom.calls()).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it('verifies tokens against a JWKS, and refuses an HMAC token forged with the public key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const address = jwks.address();
    const jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
    const stack = await startStack({ env: { GATEWAY_JWKS_URL: jwksUrl } });
    try {
      const good = await new SignJWT({ sub: 'app' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime(Math.floor(stack.clock.now() / 1000) + 300).sign(privateKey);
      expect((await post(stack, { authorization: `Bearer ${good}` })).body.data).toMatchObject({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } });
      const forged = await new SignJWT({ sub: 'app' }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setExpirationTime(Math.floor(stack.clock.now() / 1000) + 300).sign(new TextEncoder().encode(JSON.stringify(jwk)));
      expect((await post(stack, { authorization: `Bearer ${forged}` })).status).toBe(401);
    } finally {
      await stack.close();
      await new Promise((resolve) => jwks.close(resolve));
    }
  });
});

describe('anonymous access', () => {
  it('is allowed when no credential source is set (development)', async () => {
    const stack = await startStack();
    try {
      const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 1 });
      expect(answer.body.data?.sessions.edges).toHaveLength(1);
    } finally {
      await stack.close();
    }
  });
});

describe('the landing-page exception', () => {
  it('never lets a GET with a query string past authentication, however the parameter is spelled', async () => {
    const stack = await startStack({ env: { NODE_ENV: 'production', GATEWAY_API_KEYS: KEY_A } });
    try {
      const query = encodeURIComponent('{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { id } } }');
      for (const path of [`?%71uery=${query}`, `?query=${query}`, `?QUERY=${query}`, '']) {
        const response = await fetch(`${stack.url}${path}`, { headers: { accept: 'text/html;q=0.1, application/json', 'apollo-require-preflight': '1' } });
        expect(response.status).toBe(401);
      }
      expect(stack.zoom.calls()).toBe(0);
    } finally {
      await stack.close();
    }
  });

  it('serves the landing page without a credential where it is enabled', async () => {
    const stack = await startStack({ env: { GATEWAY_API_KEYS: KEY_A } });
    try {
      const response = await fetch(stack.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/<html/i);
    } finally {
      await stack.close();
    }
  });
});
