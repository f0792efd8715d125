import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { formatValue } from '../../dashboard/src/chart-geometry';
import { DashboardDailyUsageDocument, DashboardSessionDocument, DashboardSessionsDocument } from '../../dashboard/src/generated/graphql';
import { qosSeries } from '../../dashboard/src/qos-series';
import { sessionHref } from '../../dashboard/src/routes';
import { sessionsCsv } from '../../dashboard/src/sessions-csv';
import type { SimSession } from '../../src/simulator/dataset';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { TestBrowser, startBrowser } from '../services/browser';
import { DASHBOARD_BUILD, DashboardBuild, ensureDashboardBuilt } from '../services/dashboard-build';

const CLIENT_KEY = 'dashboard-e2e-client-key-0123456789';
const root = join(__dirname, '..', '..');
const ARTIFACTS = join(root, 'test-results', 'dashboard');
/** `UPDATE_SCREENSHOTS=1 npx jest test/e2e` refreshes the copies the README shows. */
const README_SCREENSHOTS = join(root, 'docs', 'screenshots');
/** The dashboard's page size (dashboard/src/pages/sessions.page.tsx). */
const PAGE_SIZE = 25;
/** Participants per page of the session page (dashboard/src/pages/session.page.tsx). */
const PARTICIPANTS_PAGE_SIZE = 10;
/** A past month of the simulator's default dataset with more than three pages (414 sessions). */
const MONTH = { from: '2026-10-01', to: '2026-10-31' };

mkdirSync(ARTIFACTS, { recursive: true });

/** Measured, never asserted: kept in test-results/dashboard/figures.json and printed at the end. */
const figures: Record<string, unknown> = {};
afterAll(() => {
  figures.bundle = bundleSizes();
  writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`dashboard e2e figures: ${JSON.stringify(figures)}\n`);
});

async function firstRenderMs(page: Page): Promise<number | undefined> {
  const startTime = await page.evaluate(() => performance.getEntriesByName('dashboard:sessions-first-render')[0]?.startTime);
  return startTime === undefined ? undefined : Math.round(startTime);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(README_SCREENSHOTS, { recursive: true });
    copyFileSync(path, join(README_SCREENSHOTS, `${name}.png`));
  }
}

function origin(stack: Stack): string {
  return stack.url.replace(/\/graphql$/, '');
}

/** What a person does first: open /dashboard and type the API key once. */
async function signIn(page: Page, stack: Stack, hash = ''): Promise<void> {
  await page.goto(`${origin(stack)}/dashboard/${hash}`);
  await page.getByLabel('API key').waitFor();
  await page.getByLabel('API key').fill(CLIENT_KEY);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
}

/** Opens a page of the dashboard, typing the key if this browser session has none yet. */
async function open(page: Page, stack: Stack, hash: string): Promise<void> {
  await page.goto(`${origin(stack)}/dashboard/${hash}`);
  const keyField = page.getByLabel('API key');
  await Promise.race([keyField.waitFor(), page.locator('header.bar').waitFor()]);
  if (await keyField.isVisible()) {
    await keyField.fill(CLIENT_KEY);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
  }
  await page.locator('header.bar').waitFor();
}

async function sessionIdsShown(page: Page): Promise<string[]> {
  return page.locator('[data-testid=session-row]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-session-id') ?? ''));
}

/** Every session of the range in the gateway's order, walked over HTTP as any client would. */
async function walkRange(stack: Stack, range: { from: string; to: string }): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null | undefined;
  do {
    const answer = await stack.request(SessionsPageDocument, { type: 'PAST', ...range, first: 100, after });
    const connection = answer.body.data?.sessions;
    if (!connection) throw new Error(answer.text);
    ids.push(...connection.edges.map((edge) => edge.node.sessionId));
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : undefined;
  } while (after);
  return ids;
}

function bundleSizes(): { file: string; bytes: number; gzipBytes: number }[] {
  const assets = join(DASHBOARD_BUILD, 'assets');
  return readdirSync(assets).map((file) => {
    const body = readFileSync(join(assets, file));
    return { file, bytes: body.length, gzipBytes: gzipSync(body).length };
  });
}

describe('the sessions dashboard in Chromium', () => {
  let build: DashboardBuild;
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    build = await ensureDashboardBuilt();
    figures.build = build;
    stack = await startStack({ env: { GATEWAY_API_KEYS: CLIENT_KEY, DASHBOARD: 'true' }, headers: { 'x-api-key': CLIENT_KEY } });
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => {
    // An accidental CDN font, script or beacon would show here.
    expect(browser.blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('serves the built app at /dashboard without a credential, and nothing from another host', async () => {
    const redirect = await fetch(`${origin(stack)}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/dashboard/');
    const index = await fetch(`${origin(stack)}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/https?:\/\//);
    const budget = await fetch(`${origin(stack)}/dashboard/budget.json`);
    expect(budget.status).toBe(401);
  });

  it('asks for the API key once and keeps it for the browser session', async () => {
    await page.goto(`${origin(stack)}/dashboard/`);
    await page.getByLabel('API key').waitFor();
    await screenshot(page, 'api-key');
    await signIn(page, stack, `#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
    await page.locator('[data-testid=session-row]').first().waitFor();
    await page.reload();
    await page.locator('[data-testid=session-row]').first().waitFor();
    await expect(page.getByLabel('API key').count()).resolves.toBe(0);
  });

  it('scrolls to the third page of a past month and shows every session once, in order', async () => {
    const expected = await walkRange(stack, MONTH);
    expect(expected.length).toBeGreaterThan(3 * PAGE_SIZE);
    const callsBefore = stack.zoom.calls();
    await open(page, stack, `#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
    // A fresh load with the key already kept: what a returning person sees.
    await page.reload();
    await page.locator('[data-testid=session-row]').nth(PAGE_SIZE - 1).waitFor();
    // From navigation to the first page on screen, the gateway's page cache warm (walked above).
    figures.sessionsFirstRenderWarmMs = await firstRenderMs(page);
    // One page until the person scrolls.
    expect(await sessionIdsShown(page)).toEqual(expected.slice(0, PAGE_SIZE));

    for (let pages = 2; pages <= 3; pages += 1) {
      await page.locator('[data-testid=list-end]').scrollIntoViewIfNeeded();
      await page.locator('[data-testid=session-row]').nth(pages * PAGE_SIZE - 1).waitFor();
    }
    const shown = await sessionIdsShown(page);
    expect(shown).toEqual(expected.slice(0, 3 * PAGE_SIZE));
    expect(new Set(shown).size).toBe(3 * PAGE_SIZE);
    // The month was walked above: its pages are cached, so the browser's three pages cost Zoom nothing.
    expect(stack.zoom.calls()).toBe(callsBefore);
    await page.locator('[data-testid=session-row]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'sessions');
  });

  it('opens a session from its row: its details, its participants a page at a time, and a QoS chart of each', async () => {
    await open(page, stack, `#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
    const rows = page.locator('[data-testid=session-row]');
    await rows.nth(PAGE_SIZE - 1).waitFor();
    // A session with more participants than a page, so that the second page is asked too.
    const listed = await rows.evaluateAll((elements) => elements.map((row) => ({ id: row.getAttribute('data-session-id') ?? '', users: Number(row.querySelectorAll('td')[3]?.textContent) })));
    const chosen = listed.find((row) => row.users > PARTICIPANTS_PAGE_SIZE);
    if (!chosen) throw new Error(`no session of ${MONTH.from} has more than ${PARTICIPANTS_PAGE_SIZE} participants on the first page`);
    const callsCold = stack.zoom.calls();
    const first = await stack.request(DashboardSessionDocument, { id: chosen.id, type: 'PAST', first: PARTICIPANTS_PAGE_SIZE });
    figures.sessionPageZoomCallsCold = stack.zoom.calls() - callsCold;
    const session = first.body.data?.session;
    if (!session) throw new Error(first.text);
    expect(session.users.pageInfo.hasNextPage).toBe(true);
    const second = await stack.request(DashboardSessionDocument, { id: chosen.id, type: 'PAST', first: PARTICIPANTS_PAGE_SIZE, after: session.users.pageInfo.endCursor });
    const secondPage = second.body.data?.session?.users.edges.map((edge) => edge.node.name);
    if (!secondPage) throw new Error(second.text);

    const callsWarm = stack.zoom.calls();
    // Anywhere on the row, not only its link: the "Started" cell.
    await page.locator(`[data-testid=session-row][data-session-id=${JSON.stringify(chosen.id)}] td`).nth(1).click();
    await page.waitForURL((url) => url.hash === `#/session/${encodeURIComponent(chosen.id)}?type=PAST`);
    await expect(page.locator('h1').textContent()).resolves.toBe(session.sessionName);
    const participants = page.locator('[data-testid=participant]');
    await participants.first().waitFor();
    await expect(participants.locator('h2').allTextContents()).resolves.toEqual(session.users.edges.map((edge) => edge.node.name));

    // Each participant's chart: one line per direction Zoom measured, one vertex per sample it has a value for.
    const charted = session.users.edges.filter((edge) => (edge.node.qos?.samples.length ?? 0) > 0);
    expect(charted.length).toBeGreaterThan(0);
    for (const [index, edge] of session.users.edges.entries()) {
      const expected = qosSeries(edge.node.qos?.samples ?? [], 'latencyMs');
      const lines = participants.nth(index).locator('path[data-series]');
      await expect(lines.evaluateAll((paths) => paths.map((path) => ({ name: path.getAttribute('data-series'), vertices: (path.getAttribute('d') ?? '').split(/[ML]/).length - 1 })))).resolves.toEqual(
        expected.map((series) => ({ name: series.name, vertices: series.points.filter((point) => point.y !== null).length })),
      );
    }
    // Both pages were asked over HTTP above: the browser's are answered from the gateway's caches.
    expect(stack.zoom.calls()).toBe(callsWarm);
    await page.getByLabel('Quality metric').selectOption('jitterMs');
    await expect(participants.nth(session.users.edges.indexOf(charted[0])).locator('figure').getAttribute('aria-label')).resolves.toBe(`Jitter of ${charted[0].node.name}`);
    await page.getByLabel('Quality metric').selectOption('latencyMs');
    await screenshot(page, 'session');

    await page.getByRole('button', { name: 'More participants' }).click();
    await participants.nth(PARTICIPANTS_PAGE_SIZE).waitFor();
    await expect(participants.locator('h2').allTextContents()).resolves.toEqual([...session.users.edges.map((edge) => edge.node.name), ...secondPage]);
    expect(stack.zoom.calls()).toBe(callsWarm);
  });

  it('charts sessions, participants and minutes per day from dailyUsage', async () => {
    const answer = await stack.request(DashboardDailyUsageDocument, MONTH);
    const days = answer.body.data?.dailyUsage;
    if (!days) throw new Error(answer.text);
    expect(days.length).toBe(31);
    const callsBefore = stack.zoom.calls();
    await open(page, stack, `#/usage?from=${MONTH.from}&to=${MONTH.to}`);
    const charts = [
      ['sessions', 'Sessions', days.map((day) => day.sessions)],
      ['participants', 'Participants', days.map((day) => day.users)],
      ['minutes', 'Minutes', days.map((day) => day.sessionMinutes)],
    ] as const;
    for (const [id, series, values] of charts) {
      const card = page.locator(`[data-testid=usage-${id}]`);
      await card.waitFor();
      await expect(card.locator('[data-testid=total]').textContent()).resolves.toBe(String(values.reduce((sum, value) => sum + value, 0)));
      const d = await card.locator(`path[data-series=${series}]`).getAttribute('d');
      // One unbroken line, a vertex a day.
      expect(d).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
      expect((d ?? '').split('L').length).toBe(days.length);
    }
    // The month was asked above: the gateway answers the browser from its cache.
    expect(stack.zoom.calls()).toBe(callsBefore);
    await screenshot(page, 'usage');
  });

  it('shows how much of Zoom\'s budget the gateway has used, per label and for the day', async () => {
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-06-01', to: '2026-06-30', first: 5 });
    await open(page, stack, '#/budget');
    const card = page.locator('[data-testid=budget-resource-intensive]');
    await card.waitFor();
    // Calls paced ahead of now drain within moments; the day's count only grows, so the page is checked against it.
    const { dailyUsed } = await stack.gateway.governor.snapshot('resource-intensive');
    expect(dailyUsed).toBeGreaterThan(0);
    const daily = page.locator('[data-testid=budget-daily]');
    await daily.filter({ hasText: `${dailyUsed} of 60000` }).waitFor();
    await expect(page.locator('[data-testid=breaker]').textContent()).resolves.toBe('closed');
    // A month not asked before spends one more call, which the page's daily count shows.
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-07-01', to: '2026-07-31', first: 5 });
    await daily.filter({ hasText: `${dailyUsed + 1} of 60000` }).waitFor();
    const line = page.locator('[data-testid=budget-history] path[data-series="Calls today"]');
    await line.waitFor();
    await expect(line.getAttribute('d')).resolves.toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
    await screenshot(page, 'budget');
  });
});

describe('the dashboard when Zoom\'s budget is spent', () => {
  /** Zoom's "minute", shrunk so that the page's own retry after the wait is seen within the test (and long enough for a loaded machine to ask for August inside it). */
  const WINDOW_MS = 8_000;
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    // One List-sessions call a window, and next to no queueing: the second month asked is refused at once.
    // (Not 0: the governor then refuses even a free slot, since its clock moves between two reads.)
    stack = await startStack({
      env: { GATEWAY_API_KEYS: CLIENT_KEY, DASHBOARD: 'true', ZOOM_LIST_SESSIONS_PER_MINUTE: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100' },
      gateway: { rateWindowMs: WINDOW_MS },
    });
    browser = await startBrowser();
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => expect(browser.blocked).toEqual([]));

  it('tells the person to wait for the retryAfter the gateway gave, then asks again by itself', async () => {
    await signIn(page, stack, '#/sessions?from=2026-09-01&to=2026-09-30&type=PAST');
    await page.locator('[data-testid=session-row]').first().waitFor();
    expect(stack.zoom.calls()).toBe(1);

    await page.getByLabel('From').fill('2026-08-01');
    await page.getByLabel('To').fill('2026-08-31');
    await page.getByRole('button', { name: 'Show' }).click();
    const notice = page.locator('[data-testid=rate-limited]');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain("Zoom's rate limit for this account is used up for the moment.");
    const retryAfter = Number(await notice.locator('[data-testid=retry-after]').textContent());
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000) + 1);
    expect(stack.zoom.calls()).toBe(1);
    await screenshot(page, 'rate-limited');

    // No reload, no click: the countdown ends, the page asks again, and August arrives.
    await page.locator('[data-testid=session-row]').first().waitFor({ timeout: (retryAfter + 5) * 1000 });
    await expect(notice.count()).resolves.toBe(0);
    expect(stack.zoom.calls()).toBe(2);
  }, 45_000);

  it('shows the spent budget as a wait on the budget page', async () => {
    // Spends the window's one call if August's retry has already left it (else this one is refused).
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-07-01', to: '2026-07-31', first: 5 });
    await page.goto(`${origin(stack)}/dashboard/#/budget`);
    const spent = page.locator('[data-testid=budget-resource-intensive] [data-testid=budget-spent]');
    await spent.waitFor();
    await expect(spent.textContent()).resolves.toContain('Used up for now.');
    await screenshot(page, 'budget-spent');
  });
});

describe('the dashboard of a gateway without client keys (npm start on a laptop)', () => {
  it('opens straight on the sessions page, without asking for a key', async () => {
    await ensureDashboardBuilt();
    const stack = await startStack({ env: { DASHBOARD: 'true' } });
    const browser = await startBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${origin(stack)}/dashboard/#/sessions?from=2026-09-01&to=2026-09-30&type=PAST`);
      await page.locator('[data-testid=session-row]').first().waitFor();
      // A fresh gateway: the page waited for one List-sessions call to the simulator (no added latency).
      figures.sessionsFirstRenderColdMs = await firstRenderMs(page);
      await expect(page.getByLabel('API key').count()).resolves.toBe(0);
      await expect(page.locator('header.bar').textContent()).resolves.toContain('anonymous access');
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
      await stack.close();
    }
  });
});

describe('Live now, pushed over graphql-ws', () => {
  const SECRET = 'dashboard-e2e-zoom-webhook-secret-token';

  function freshSession(id: string, startMs: number): SimSession {
    return {
      id, session_name: 'Design review', start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 0,
      has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
      audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
    };
  }

  it('shows a session that a signed webhook starts, and its participant count moving as people join and leave, without reloading', async () => {
    await ensureDashboardBuilt();
    const stack = await startStack({ env: { GATEWAY_API_KEYS: CLIENT_KEY, DASHBOARD: 'true', ZOOM_WEBHOOK_SECRET_TOKEN: SECRET }, headers: { 'x-api-key': CLIENT_KEY } });
    const browser = await startBrowser();
    try {
      await until(() => stack.gateway.core.live.servesLive(), 10_000);
      const webhooks = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
      const post = async (body: Parameters<typeof postWebhook>[2]) => expect(await postWebhook(webhooks, SECRET, body, stack.clock.now())).toBe(200);
      const page = await browser.context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // The browser's "running for" follows the simulated clock that the gateway and Zoom share.
      await page.clock.install({ time: stack.clock.now() });
      // The socket authenticates with the key in connection_init: the gateway refuses it otherwise.
      await signIn(page, stack, '#/live');
      const status = page.locator('[data-testid=live-status]');
      await status.filter({ hasText: 'live session' }).waitFor();

      const today = new Date(stack.clock.now()).toISOString().slice(0, 10);
      const yesterday = new Date(stack.clock.now() - 86_400_000).toISOString().slice(0, 10);
      const answer = await stack.post({ query: `{ sessions(type: LIVE, from: "${yesterday}", to: "${today}", first: 100) { nodes { id: sessionId participantsNow } } }` });
      const live = (answer.body.data as { sessions: { nodes: { id: string; participantsNow: number | null }[] } }).sessions.nodes;
      expect(live.length).toBeGreaterThan(0);
      const rowsShown = () =>
        page.locator('[data-testid=live-row]').evaluateAll((elements) => elements.map((row) => {
          // "—" where the gateway has no count (a session it knows from Zoom's list alone).
          const text = row.querySelector('[data-testid=participants-now]')?.textContent;
          return { id: row.getAttribute('data-session-id') ?? '', participantsNow: text === '—' ? null : Number(text) };
        }));
      await expect(rowsShown().then((rows) => [...rows].sort((a, b) => a.id.localeCompare(b.id)))).resolves.toEqual([...live].sort((a, b) => a.id.localeCompare(b.id)));

      // Anything that reloaded the page would drop this mark.
      await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
      const session = freshSession('dashboard/e2e+live==', stack.clock.now());
      const count = page.locator(`[data-testid=live-row][data-session-id=${JSON.stringify(session.id)}] [data-testid=participants-now]`);
      await post(sessionEvent('session.started', session, stack.clock.now()));
      await count.filter({ hasText: /^0$/ }).waitFor();
      const ada = { id: 'ada-1', name: 'Ada', participant_uuid: 'uuid-ada-1' };
      const grace = { id: 'grace-2', name: 'Grace', participant_uuid: 'uuid-grace-2' };
      await post(userEvent('session.user_joined', session, ada, stack.clock.now()));
      await count.filter({ hasText: /^1$/ }).waitFor();
      await post(userEvent('session.user_joined', session, grace, stack.clock.now()));
      await count.filter({ hasText: /^2$/ }).waitFor();
      await expect(status.textContent()).resolves.toContain(`${live.length + 1} live sessions`);
      await screenshot(page, 'live');
      await post(userEvent('session.user_left', session, ada, stack.clock.now()));
      await count.filter({ hasText: /^1$/ }).waitFor();
      await page.locator('[data-testid=live-activity] li').filter({ hasText: 'Ada left Design review' }).waitFor();
      await post(sessionEvent('session.ended', session, stack.clock.now()));
      await count.waitFor({ state: 'detached' });
      await expect(page.evaluate(() => 'sameDocument' in globalThis)).resolves.toBe(true);

      // Another tab (its own browser session) with a key the gateway does not know: told so, not left "connecting".
      const stranger = await browser.context.newPage();
      stranger.on('pageerror', (error) => pageErrors.push(error.message));
      await stranger.goto(`${origin(stack)}/dashboard/#/live`);
      await stranger.getByLabel('API key').fill('not-a-key-this-gateway-knows-0123');
      await stranger.getByRole('button', { name: 'Open dashboard' }).click();
      await stranger.locator('[data-testid=unauthenticated]').waitFor();
      expect(pageErrors).toEqual([]);
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
      await stack.close();
    }
  }, 60_000);
});

describe('the dashboard on every screen, from a phone to a wide one', () => {
  const SECRET = 'dashboard-e2e-zoom-webhook-secret-token';
  /** A zone other than UTC, so that switching to the browser's zone shows. */
  const BROWSER_ZONE = 'Asia/Tokyo';
  const SCREENS = [
    { name: 'wide', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
    { name: 'small-phone', width: 360, height: 740 },
  ] as const;
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  /** A session of MONTH with a participant Zoom has a single QoS sample of. */
  let single: { sessionId: string; name: string; latencyMs: number };

  beforeAll(async () => {
    await ensureDashboardBuilt();
    stack = await startStack({ env: { GATEWAY_API_KEYS: CLIENT_KEY, DASHBOARD: 'true', ZOOM_WEBHOOK_SECRET_TOKEN: SECRET }, headers: { 'x-api-key': CLIENT_KEY } });
    await until(() => stack.gateway.core.live.servesLive(), 10_000);
    browser = await startBrowser({ timezoneId: BROWSER_ZONE });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    single = await findSingleSample();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => {
    expect(browser.blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function findSingleSample(): Promise<{ sessionId: string; name: string; latencyMs: number }> {
    const first = await stack.request(SessionsPageDocument, { type: 'PAST', ...MONTH, first: PAGE_SIZE });
    for (const edge of first.body.data?.sessions.edges ?? []) {
      const answer = await stack.request(DashboardSessionDocument, { id: edge.node.sessionId, type: 'PAST', first: PARTICIPANTS_PAGE_SIZE });
      for (const { node: user } of answer.body.data?.session?.users.edges ?? []) {
        const latencyMs = user.qos?.samples.length === 1 ? user.qos.samples[0].audioInput?.latencyMs : undefined;
        if (typeof latencyMs === 'number') return { sessionId: edge.node.sessionId, name: user.name, latencyMs };
      }
    }
    throw new Error(`no participant on the first page of ${MONTH.from} has a single QoS sample`);
  }

  const pages = (): { name: string; hash: string; ready: (page: Page) => Promise<void> }[] => [
    { name: 'sessions', hash: `#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`, ready: (page) => page.locator('[data-testid=session-row]').first().waitFor() },
    { name: 'live', hash: '#/live', ready: (page) => page.locator('[data-testid=live-row]').first().waitFor() },
    { name: 'session', hash: sessionHref(single.sessionId, 'PAST'), ready: (page) => page.locator('[data-testid=participant] figure').first().waitFor() },
    { name: 'usage', hash: `#/usage?from=${MONTH.from}&to=${MONTH.to}`, ready: (page) => page.locator('[data-testid=usage-minutes] path[data-series]').waitFor() },
    { name: 'budget', hash: '#/budget', ready: (page) => page.locator('[data-testid=budget-daily]').waitFor() },
  ];

  for (const screen of SCREENS) {
    it(`fits every page in ${screen.width}×${screen.height} without sideways scrolling, with legible charts and no serious accessibility violation`, async () => {
      await page.setViewportSize({ width: screen.width, height: screen.height });
      const overflow: Record<string, number> = {};
      for (const shown of pages()) {
        await open(page, stack, shown.hash);
        await shown.ready(page);
        // Every page link of the bar is on screen, however narrow.
        for (const box of await page.locator('header.bar nav a').evaluateAll((links) => links.map((link) => ({ left: link.getBoundingClientRect().left, right: link.getBoundingClientRect().right })))) {
          expect(box.left).toBeGreaterThanOrEqual(0);
          expect(box.right).toBeLessThanOrEqual(screen.width);
        }
        const { scrollWidth, clientWidth } = await page.evaluate<{ scrollWidth: number; clientWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })');
        overflow[shown.name] = scrollWidth - clientWidth;
        expect({ page: shown.name, scrollWidth }).toEqual({ page: shown.name, scrollWidth: Math.min(scrollWidth, clientWidth) });
        // A chart's labels at the size they are drawn on screen, not shrunk with the whole picture.
        const labelPx = await page.locator('figure.chart svg text').evaluateAll((texts) => texts.map((text) => text.getBoundingClientRect().height));
        expect(labelPx.filter((height) => height < 11)).toEqual([]);

        // Evaluated, not added as a <script>: the page's CSP refuses inline scripts, and is kept as served.
        await page.evaluate(axe.source);
        const violations = await page.evaluate(async () => {
          const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: unknown }[] }[] }> } }).axe.run();
          return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact ?? undefined, targets: violation.nodes.map((node) => JSON.stringify(node.target)).slice(0, 3) }));
        });
        expect({ page: shown.name, violations: violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical') }).toEqual({ page: shown.name, violations: [] });
        // Not copied to the README: these are for looking at each size after a change of layout.
        await page.screenshot({ path: join(ARTIFACTS, `screen-${shown.name}-${screen.name}.png`) });
      }
      figures[`overflowPx-${screen.name}`] = overflow;
    }, 90_000);
  }

  it("draws a participant's single QoS sample as a dot with its value", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, stack, sessionHref(single.sessionId, 'PAST'));
    const card = page.locator('[data-testid=participant]').filter({ has: page.locator('h2', { hasText: single.name }) }).first();
    const point = card.locator('g[data-point="audio in"]');
    await point.waitFor();
    const dot = await point.locator('circle').boundingBox();
    expect(dot?.width).toBeGreaterThanOrEqual(8);
    await expect(point.locator('text').textContent()).resolves.toBe(`${formatValue(single.latencyMs)} ms`);
    await card.screenshot({ path: join(ARTIFACTS, 'single-sample-phone.png') });
  });

  it('writes times in UTC until the person picks their browser\'s zone, and keeps the choice', async () => {
    await open(page, stack, sessionHref(single.sessionId, 'PAST'));
    const started = page.locator('dl.details dd').first();
    await expect(started.textContent()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await page.getByLabel('Times in').selectOption('local');
    await started.filter({ hasText: /GMT\+9$/ }).waitFor();
    await page.reload();
    await page.locator('dl.details dd').first().filter({ hasText: /GMT\+9$/ }).waitFor();
    await page.getByLabel('Times in').selectOption('utc');
    await started.filter({ hasText: / UTC$/ }).waitFor();
  });

  it('downloads the sessions loaded as CSV', async () => {
    await open(page, stack, `#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
    await page.locator('[data-testid=session-row]').nth(PAGE_SIZE - 1).waitFor();
    const answer = await stack.request(DashboardSessionsDocument, { type: 'PAST', ...MONTH, first: PAGE_SIZE });
    const expected = answer.body.data?.sessions.edges.map((edge) => edge.node);
    if (!expected) throw new Error(answer.text);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download CSV/ }).click()]);
    expect(download.suggestedFilename()).toBe(`sessions-PAST-${MONTH.from}-to-${MONTH.to}.csv`);
    expect(readFileSync(await download.path(), 'utf8')).toBe(sessionsCsv(expected));
  });
});
