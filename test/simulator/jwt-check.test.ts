import { API_KEY, START_MS, TestSimulator, listPath, signJwt, startTestSimulator } from './sim-helpers';

const PATH = listPath({ type: 'past', from: '2026-10-01', to: '2026-10-15' });
const exp = Math.floor(START_MS / 1000) + 600;

describe('simulator JWT check', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.sim.close());

  async function expectInvalidToken(response: Response): Promise<void> {
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 124, message: 'Invalid access token.' });
  }

  it('accepts a valid HS256 token', async () => {
    const response = await t.get(PATH, { headers: { Authorization: `Bearer ${signJwt({ iss: API_KEY, exp })}` } });
    expect(response.status).toBe(200);
  });

  it('refuses a request without an Authorization header', async () => {
    await expectInvalidToken(await fetch(`${t.sim.baseUrl}${PATH}`));
  });

  it.each([
    ['a bad signature', signJwt({ iss: API_KEY, exp }, 'other-secret')],
    ['a wrong iss', signJwt({ iss: 'someone-else', exp })],
    ['an expired token', signJwt({ iss: API_KEY, exp: Math.floor(START_MS / 1000) - 1 })],
    ['a token without exp', signJwt({ iss: API_KEY })],
    ['another alg', signJwt({ iss: API_KEY, exp }, undefined, { alg: 'HS384', typ: 'JWT' })],
    ['garbage', 'not.a.jwt'],
  ])('refuses %s', async (_label, token) => {
    await expectInvalidToken(await t.get(PATH, { headers: { Authorization: `Bearer ${token}` } }));
  });

  it('refuses a token in the query string, even beside a valid header', async () => {
    await expectInvalidToken(await t.get(`${PATH}&access_token=${signJwt({ iss: API_KEY, exp })}`));
  });

  it('judges expiry on the simulated clock', async () => {
    const token = signJwt({ iss: API_KEY, exp });
    t.clock.ms = START_MS + 601_000;
    try {
      await expectInvalidToken(await t.get(PATH, { headers: { Authorization: `Bearer ${token}` } }));
    } finally {
      t.clock.ms = START_MS;
    }
  });

  it('tags every answer with a distinct x-zm-trackingid', async () => {
    const first = await fetch(`${t.sim.baseUrl}${PATH}`);
    const second = await t.get(PATH);
    expect(first.headers.get('x-zm-trackingid')).toMatch(/^v=2\.0;clid=sim;rid=\d+$/);
    expect(second.headers.get('x-zm-trackingid')).not.toBe(first.headers.get('x-zm-trackingid'));
    expect(second.headers.get('content-type')).toMatch(/application\/json/);
  });
});
