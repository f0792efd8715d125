import { decodeSessionIdSegment } from '../../src/simulator/sessions-route';
import { API_KEY, TestSimulator, signJwt, startTestSimulator } from './sim-helpers';

/** Zoom's rule (docs/zoom-contract.md §2): twice for an ID starting with `/` or holding `//`, once otherwise. */
function zoomEncode(id: string): string {
  const once = encodeURIComponent(id);
  return id.startsWith('/') || id.includes('//') ? encodeURIComponent(once) : once;
}

describe('simulator session details', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.sim.close());

  const find = (test: (id: string) => boolean) => {
    const session = t.sim.sessions.find((candidate) => test(candidate.id));
    if (!session) throw new Error('dataset lacks the ID shape this test needs');
    return session;
  };

  it.each([
    ['starts with /', (id: string) => id.startsWith('/')],
    ['holds //', (id: string) => id.includes('//') && !id.startsWith('/')],
    ['holds + and no //', (id: string) => id.includes('+') && !id.includes('//') && !id.startsWith('/')],
  ])('finds an ID that %s, encoded by Zoom’s rule', async (_label, test) => {
    const session = find(test);
    const response = await t.get(`/videosdk/sessions/${zoomEncode(session.id)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...session, created_at: session.start_time });
  });

  it('misses an ID starting with / that was encoded only once, as Zoom does', async () => {
    const session = find((id) => id.startsWith('/'));
    const response = await t.get(`/videosdk/sessions/${encodeURIComponent(session.id)}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 3001, message: 'Session does not exist.' });
  });

  it('answers 404 / 3001 for an unknown session', async () => {
    const response = await t.get(`/videosdk/sessions/${encodeURIComponent('AAAAAAAAAAAAAAAAAAAAAA==')}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 3001, message: 'Session does not exist.' });
  });

  it('answers 404 JSON for unknown routes and 405 for other methods', async () => {
    const unknown = await t.get('/videosdk/recordings');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 404 });

    const post = await fetch(`${t.sim.baseUrl}/videosdk/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${signJwt({ iss: API_KEY, exp: Math.floor(t.clock.ms / 1000) + 60 })}` },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('decodes path segments by the rule', () => {
    expect(decodeSessionIdSegment('sfk%2FaOFJSJSYhGwk1hnxgw%3D%3D')).toBe('sfk/aOFJSJSYhGwk1hnxgw==');
    expect(decodeSessionIdSegment('%252Fabc%253D%253D')).toBe('/abc==');
    expect(decodeSessionIdSegment('a%252F%252Fb')).toBe('a//b');
    expect(decodeSessionIdSegment('%2Fabc')).toBeUndefined();
    expect(decodeSessionIdSegment('abc%252Bd')).toBeUndefined();
    expect(decodeSessionIdSegment('%E0%A4%A')).toBeUndefined();
  });
});

