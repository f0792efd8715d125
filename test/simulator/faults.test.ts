import { startSimulator } from '../../src/simulator/simulator';
import { API_KEY, API_SECRET, START_MS, TestSimulator, listPath, signJwt, startTestSimulator } from './sim-helpers';

const PATH = listPath({ type: 'past', from: '2026-10-01', to: '2026-10-15' });

describe('simulator faults', () => {
  let t: TestSimulator;
  beforeEach(async () => {
    t = await startTestSimulator();
  });
  afterEach(() => t.sim.close());

  it('answers queued faults in order, then serves normally', async () => {
    t.sim.failNext({ kind: 'status', status: 429 }, { kind: 'status', status: 500 });
    const limited = await t.get(PATH);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      code: 429,
      message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
    });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-category')).toBe('Resource-intensive');
    expect(limited.headers.get('x-ratelimit-type')).toBe('QPS');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    const failed = await t.get(PATH);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ code: 500, message: 'Internal error' });
    expect(failed.headers.get('x-zm-trackingid')).toBeTruthy();

    expect((await t.get(PATH)).status).toBe(200);
  });

  it('lets a 429 fault bring its own message and headers (the daily limit)', async () => {
    t.sim.failNext({
      kind: 'status',
      status: 429,
      message: 'You have reached the maximum daily rate limit for this API.',
      headers: { 'X-RateLimit-Type': 'Daily-limit', 'Retry-After': '2026-10-16T00:00:00Z' },
    });
    const response = await t.get(PATH);
    expect(response.headers.get('x-ratelimit-type')).toBe('Daily-limit');
    expect(response.headers.get('retry-after')).toBe('2026-10-16T00:00:00Z');
    expect(((await response.json()) as { message: string }).message).toMatch(/daily/);
  });

  it('answers status faults with Zoom codes by default', async () => {
    t.sim.failNext({ kind: 'status', status: 401 }, { kind: 'status', status: 404 }, { kind: 'status', status: 503, code: 7 });
    expect(await (await t.get(PATH)).json()).toEqual({ code: 124, message: 'Invalid access token.' });
    expect(await (await t.get(PATH)).json()).toEqual({ code: 3001, message: 'Session does not exist.' });
    expect(await (await t.get(PATH)).json()).toMatchObject({ code: 7 });
  });

  it('sends malformed 200s: truncated JSON, then sessions that are not an array', async () => {
    t.sim.failNext({ kind: 'malformed' }, { kind: 'malformed', variant: 'wrong-shape' });
    const truncated = await t.get(PATH);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    const wrongShape = await t.get(PATH);
    expect(Array.isArray(((await wrongShape.json()) as { sessions: unknown }).sessions)).toBe(false);
  });

  it('resets the connection', async () => {
    t.sim.failNext({ kind: 'reset' });
    await expect(t.get(PATH)).rejects.toThrow();
    expect((await t.get(PATH)).status).toBe(200);
  });

  it('hangs until the client gives up', async () => {
    t.sim.failNext({ kind: 'hang' });
    const started = Date.now();
    await expect(t.get(PATH, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await t.get(PATH)).status).toBe(200);
  });

  it('closes even while a request hangs', async () => {
    t.sim.failNext({ kind: 'hang' });
    const hanging = t.get(PATH).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.sim.close();
    // fetch's TypeError comes from another realm than jest's Error, so match its shape.
    expect(await hanging).toMatchObject({ message: expect.any(String) });
  });

  it('adds latency before answering', async () => {
    t.sim.setLatency(150);
    const started = Date.now();
    expect((await t.get(PATH)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('draws random faults from the seed, so two runs match', async () => {
    const statuses = async () => {
      const sim = await startSimulator({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        now: () => START_MS,
        seed: 7,
        faults: { rate429: 0.3, rate5xx: 0.3, rateMalformed: 0.2 },
      });
      try {
        const authorization = `Bearer ${signJwt({ iss: API_KEY, exp: START_MS / 1000 + 60 })}`;
        const seen: number[] = [];
        for (let i = 0; i < 20; i++) seen.push((await fetch(`${sim.baseUrl}${PATH}`, { headers: { authorization } })).status);
        return seen;
      } finally {
        await sim.close();
      }
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(first.some((status) => status === 429)).toBe(true);
    expect(first.some((status) => status >= 500)).toBe(true);
    expect(first.some((status) => status === 200)).toBe(true);
  });

  it('turns random faults off with setFaults({})', async () => {
    t.sim.setFaults({ rate5xx: 1 });
    expect((await t.get(PATH)).status).toBeGreaterThanOrEqual(500);
    t.sim.setFaults({});
    expect((await t.get(PATH)).status).toBe(200);
  });
});

describe('simulator rate limit', () => {
  let t: TestSimulator;
  beforeEach(async () => {
    t = await startTestSimulator({ rateLimitPerMinute: 3 });
  });
  afterEach(() => t.sim.close());

  it('answers 429 past the limit on a sliding minute of the simulated clock; refusals cost nothing', async () => {
    const first = await t.get(PATH);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    t.clock.ms = START_MS + 30_000;
    expect((await t.get(PATH)).headers.get('x-ratelimit-remaining')).toBe('1');
    // Calls that fail for other reasons still use budget.
    expect((await fetch(`${t.sim.baseUrl}${PATH}`)).status).toBe(401);

    const refused = await t.get(PATH);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('x-ratelimit-type')).toBe('QPS');
    expect(refused.headers.get('x-ratelimit-limit')).toBe('3');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');

    t.clock.ms = START_MS + 45_000;
    expect((await t.get(PATH)).headers.get('retry-after')).toBe('15');

    t.clock.ms = START_MS + 60_001;
    expect((await t.get(PATH)).status).toBe(200);
    expect((await t.get(PATH)).status).toBe(429);
  });

  it('can be lifted at run time', async () => {
    t.sim.setRateLimit(0);
    expect((await t.get(PATH)).status).toBe(429);
    t.sim.setRateLimit(undefined);
    const response = await t.get(PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('simulator call counting', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.sim.close());

  it('counts every request under /v2, whatever it got, and only those', async () => {
    t.sim.failNext({ kind: 'status', status: 500 }, { kind: 'reset' });
    await t.get(PATH);
    await t.get(PATH).catch(() => undefined);
    await fetch(`${t.sim.baseUrl}${PATH}`);
    await t.get('/nowhere');
    await t.get(PATH);
    const outside = await fetch(t.sim.baseUrl.replace('/v2', '/health'));
    expect(outside.status).toBe(404);

    expect(t.sim.calls()).toBe(5);
    expect(t.sim.callLog().map((call) => call.status)).toEqual([500, 0, 401, 404, 200]);
    expect(t.sim.callLog()[4]).toEqual({
      method: 'GET',
      path: '/v2/videosdk/sessions',
      query: { type: 'past', from: '2026-10-01', to: '2026-10-15' },
      status: 200,
      at: START_MS,
    });

    t.sim.resetCalls();
    expect(t.sim.calls()).toBe(0);
    expect(t.sim.callLog()).toEqual([]);
  });
});
