import { loadConfig } from '../../src/config';
import { nextUtcMidnightMs } from '../../src/time/calendar';
import { SessionsPageDocument } from '../generated/graphql';
import { API_SECRET, Stack, startStack } from '../harness';
import { ensureDashboardBuilt } from '../services/dashboard-build';

const KEY = 'dashboard-route-client-key-0123456789';

describe('/dashboard', () => {
  let stack: Stack;
  let origin: string;
  beforeAll(async () => {
    await ensureDashboardBuilt();
    stack = await startStack({ env: { GATEWAY_API_KEYS: KEY, DASHBOARD: 'true' }, headers: { 'x-api-key': KEY } });
    origin = stack.url.replace(/\/graphql$/, '');
  }, 60_000);
  afterAll(() => stack.close());

  it('serves the app and its hashed assets without a credential, gzipped when asked, cached for good', async () => {
    const index = await fetch(`${origin}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await asset.text()).length).toBeGreaterThan(1000);
  });

  it('answers paths of the app with the app, and unknown files and escapes with 404', async () => {
    await expect(fetch(`${origin}/dashboard/sessions`).then((response) => response.status)).resolves.toBe(200);
    const missing = await fetch(`${origin}/dashboard/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    for (const path of ['/dashboard/..%2Fpackage.json', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/assets/../../../package.json']) {
      const response = await fetch(`${origin}${path}`);
      expect(await response.text()).not.toContain('zoom-videosdk-graphql-gateway');
    }
  });

  it("reports the gateway's Zoom budget to a client with a key, and no secret", async () => {
    const refused = await fetch(`${origin}/dashboard/budget.json`);
    expect(refused.status).toBe(401);
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-10-01', to: '2026-10-31', first: 5 });
    const before = Date.now();
    const answer = await fetch(`${origin}/dashboard/budget.json`, { headers: { 'x-api-key': KEY } });
    const after = Date.now();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const text = await answer.text();
    expect(text).not.toContain(API_SECRET);
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toEqual({
      labels: [
        { label: 'resource-intensive', spentBy: 'List sessions', limitPerWindow: 100000, windowSeconds: 60, usedInWindow: 1, left: 99999, queued: 0, pausedForMs: 0 },
        { label: 'heavy', spentBy: 'Session details, participants, QoS, daily usage', limitPerWindow: 40, windowSeconds: 1, usedInWindow: 0, left: 40, queued: 0, pausedForMs: 0 },
      ],
      daily: { limit: 60_000, used: 1, resetsAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/) },
      breaker: 'closed',
    });
    // The cap resets on the clock it is counted on, real time as Zoom's, not the gateway's `now` (the harness's, behind the machine's).
    const { resetsAt } = (JSON.parse(text) as { daily: { resetsAt: string } }).daily;
    expect([nextUtcMidnightMs(before), nextUtcMidnightMs(after)]).toContain(Date.parse(resetsAt));
  });
});

describe('/dashboard switched off', () => {
  it('is on by default except in production, and DASHBOARD switches it either way', () => {
    const production = { NODE_ENV: 'production', GATEWAY_AUTH: 'off', ZOOM_SIMULATOR: 'on' };
    expect(loadConfig({ NODE_ENV: 'development' }).http.dashboard).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DASHBOARD: 'off' }).http.dashboard).toBe(false);
    expect(loadConfig(production).http.dashboard).toBe(false);
    expect(loadConfig({ ...production, DASHBOARD: 'true' }).http.dashboard).toBe(true);
    expect(() => loadConfig({ DASHBOARD: 'maybe' })).toThrow('DASHBOARD must be true or false; got "maybe".');
  });

  it('is not served with DASHBOARD=false', async () => {
    const stack = await startStack({ env: { DASHBOARD: 'false' } });
    try {
      const origin = stack.url.replace(/\/graphql$/, '');
      const response = await fetch(`${origin}/dashboard/`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      await expect(fetch(`${origin}/dashboard/budget.json`).then((r) => r.status)).resolves.toBe(404);
    } finally {
      await stack.close();
    }
  });
});
