import { SimSession } from '../../src/simulator/simulator';
import { START_MS, TestSimulator, listPath, startTestSimulator } from './sim-helpers';

interface Page {
  from: string;
  to: string;
  page_size: number;
  next_page_token: string;
  sessions: SimSession[];
}

const SEPTEMBER = { type: 'past' as const, from: '2026-09-01', to: '2026-09-30' };
const INVALID_TOKEN = { code: 300, message: 'The next page token is invalid or expired.' };

describe('simulator List sessions', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.sim.close());
  afterEach(() => {
    t.clock.ms = START_MS;
  });

  async function page(params: Record<string, string | number>): Promise<Page> {
    const response = await t.get(listPath(params));
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  }

  it('answers live sessions when type is left out', async () => {
    const body = await page({ from: '2026-10-14', to: '2026-10-15' });
    expect(body.sessions.length).toBeGreaterThanOrEqual(5);
    expect(body.sessions.every((session) => !session.end_time)).toBe(true);
    expect(body.sessions).toEqual(t.sim.expectedSessions({ from: '2026-10-14', to: '2026-10-15' }));
  });

  it('answers the shape of docs/zoom-contract.md §1, page_size 30 by default', async () => {
    const body = await page({ type: 'past', from: '2026-10-01', to: '2026-10-15' });
    expect(Object.keys(body).sort()).toEqual(['from', 'next_page_token', 'page_size', 'sessions', 'to']);
    expect(body).toMatchObject({ from: '2026-10-01', to: '2026-10-15', page_size: 30 });
    expect(body.sessions).toHaveLength(30);
    expect(body.next_page_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.sessions[0]).toEqual(t.sim.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-15' })[0]);
  });

  it.each([
    ['from after to', { type: 'past', from: '2026-10-02', to: '2026-10-01' }, 'from'],
    ['more than one month', { type: 'past', from: '2026-09-01', to: '2026-10-01' }, 'to'],
    ['before the six-month horizon', { type: 'past', from: '2026-04-14', to: '2026-04-30' }, 'from'],
    ['a date that does not exist', { type: 'past', from: '2026-02-30', to: '2026-03-01' }, 'from'],
    ['a missing to', { type: 'past', from: '2026-10-01' }, 'to'],
    ['a bad type', { type: 'scheduled', from: '2026-10-01', to: '2026-10-02' }, 'type'],
    ['page_size 0', { type: 'past', from: '2026-10-01', to: '2026-10-02', page_size: 0 }, 'page_size'],
  ])('refuses %s with 400 / 300 and errors[]', async (_label, params, field) => {
    const response = await t.get(listPath(params));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: unknown };
    expect(body).toMatchObject({ code: 300, message: expect.any(String) });
    expect(body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  });

  it('accepts the bounds themselves: the horizon day and a whole calendar month', async () => {
    await page({ type: 'past', from: '2026-04-15', to: '2026-05-14' });
    await page(SEPTEMBER);
  });

  it('walks a busy month in two pages of 300, the last with an empty token', async () => {
    const first = await page({ ...SEPTEMBER, page_size: 300 });
    expect(first.page_size).toBe(300);
    expect(first.sessions).toHaveLength(300);
    expect(first.next_page_token).not.toBe('');
    const second = await page({ ...SEPTEMBER, page_size: 300, next_page_token: first.next_page_token });
    expect(second.next_page_token).toBe('');
    expect(second.sessions.length).toBeGreaterThan(0);
    const walked = [...first.sessions, ...second.sessions];
    expect(walked).toEqual(t.sim.expectedSessions(SEPTEMBER));
    expect(new Set(walked.map((session) => session.id)).size).toBe(walked.length);
  });

  it('lets a token be read again while it lives', async () => {
    const first = await page({ ...SEPTEMBER, page_size: 50 });
    const again = { ...SEPTEMBER, page_size: 50, next_page_token: first.next_page_token };
    const [once, twice] = [await page(again), await page(again)];
    expect(twice.sessions).toEqual(once.sessions);
    expect(twice.sessions[0]).toEqual(t.sim.expectedSessions(SEPTEMBER)[50]);
  });

  it.each([
    ['another to', { to: '2026-09-29' }],
    ['another page_size', { page_size: 51 }],
    ['another type', { type: 'live' }],
    ['a session_key filter', { session_key: 'yoga' }],
  ])('refuses a token used with %s', async (_label, change) => {
    const first = await page({ ...SEPTEMBER, page_size: 50 });
    const response = await t.get(listPath({ ...SEPTEMBER, page_size: 50, ...change, next_page_token: first.next_page_token }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID_TOKEN);
  });

  it('binds a token to the page size used, so leaving out the default 30 is the same query', async () => {
    const first = await page(SEPTEMBER);
    await page({ ...SEPTEMBER, page_size: 30, next_page_token: first.next_page_token });
  });

  it('refuses an unknown token', async () => {
    const response = await t.get(listPath({ ...SEPTEMBER, next_page_token: 'made-up' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID_TOKEN);
  });

  it('expires a token after 15 minutes of the simulated clock', async () => {
    const first = await page(SEPTEMBER);
    const next = { ...SEPTEMBER, next_page_token: first.next_page_token };
    t.clock.ms = START_MS + 15 * 60_000 - 1;
    await page(next);
    t.clock.ms = START_MS + 15 * 60_000;
    const response = await t.get(listPath(next));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID_TOKEN);
  });

  it('clamps page_size to the maximum and echoes the size used', async () => {
    expect((await page({ ...SEPTEMBER, page_size: 1000 })).page_size).toBe(300);
    const small = await startTestSimulator({ maxPageSize: 40 });
    try {
      const response = await small.get(listPath({ ...SEPTEMBER, page_size: 100 }));
      const body = (await response.json()) as Page;
      expect(body.page_size).toBe(40);
      expect(body.sessions).toHaveLength(40);
    } finally {
      await small.sim.close();
    }
  });

  it('filters on session_key and session_name exactly', async () => {
    const byKey = await page({ ...SEPTEMBER, session_key: 'yoga', page_size: 300 });
    expect(byKey.sessions.length).toBeGreaterThan(0);
    expect(byKey.sessions.every((session) => session.session_key === 'yoga')).toBe(true);
    expect(byKey.sessions).toEqual(t.sim.expectedSessions({ ...SEPTEMBER, type: 'past', session_key: 'yoga' }));

    const byName = await page({ ...SEPTEMBER, session_name: 'Team standup', page_size: 300 });
    expect(byName.sessions.length).toBeGreaterThan(0);
    expect(byName.sessions.every((session) => session.session_name === 'Team standup')).toBe(true);
    expect(new Set(byName.sessions.map((session) => session.session_key)).size).toBeGreaterThan(1);
  });

  it('orders newest start first, ties by id', async () => {
    const { sessions } = await page({ ...SEPTEMBER, page_size: 300 });
    for (let i = 1; i < sessions.length; i++) {
      const [a, b] = [sessions[i - 1], sessions[i]];
      expect(a.start_time > b.start_time || (a.start_time === b.start_time && a.id < b.id)).toBe(true);
    }
  });
});
