import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { TestBrowser, startBrowser } from '../services/browser';
import { DASHBOARD_BUILD, DashboardBuild, ensureDashboardBuilt } from '../services/dashboard-build';

const CLIENT_KEY = 'dashboard-e2e-client-key-0123456789';
const root = join(__dirname, '..', '..');
const ARTIFACTS = join(root, 'test-results', 'dashboard');
/** `UPDATE_SCREENSHOTS=1 npx jest test/e2e` refreshes the copies the README shows. */
const README_SCREENSHOTS = join(root, 'docs', 'screenshots');
/** The dashboard's page size (dashboard/src/pages/sessions.page.tsx). */
const PAGE_SIZE = 25;
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
    ids.push(...connection.edges.map((edge) => edge.node.id));
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

  it('shows how much of the per-minute budget the gateway has used', async () => {
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-06-01', to: '2026-06-30', first: 5 });
    await open(page, stack, '#/budget');
    const card = page.locator('[data-testid=budget-resource-intensive]');
    await card.waitFor();
    const used = stack.gateway.governor.snapshot('resource-intensive').used;
    expect(used).toBeGreaterThan(0);
    await expect(card.locator('[data-testid=used]').textContent()).resolves.toBe(String(used));
    await expect(page.locator('[data-testid=budget-daily]').textContent()).resolves.toContain('daily cap');
    await expect(page.locator('[data-testid=breaker]').textContent()).resolves.toBe('closed');
    // A month not asked before spends one more call, which the page's history chart shows as a rise.
    await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-07-01', to: '2026-07-31', first: 5 });
    await card.locator('[data-testid=used]').filter({ hasText: String(used + 1) }).waitFor();
    const line = page.locator('[data-testid=budget-history] path[data-series="List sessions"]');
    await line.waitFor();
    await expect(line.getAttribute('d')).resolves.toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+$/);
    await screenshot(page, 'budget');
  });
});

describe('the dashboard when Zoom\'s budget is spent', () => {
  /** Zoom's "minute", shrunk so that the page's own retry after the wait is seen within the test. */
  const WINDOW_MS = 4_000;
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
  }, 30_000);

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

describe('Live now (polled until sessionEvents exists, issue 12)', () => {
  it("lists the live sessions the API lists, with their participants, on the test's clock", async () => {
    const stack = await startStack({ env: { DASHBOARD: 'true' } });
    const browser = await startBrowser();
    try {
      const page = await browser.context.newPage();
      // The browser's "today" and "running for" follow the simulated clock that the gateway and Zoom share.
      await page.clock.install({ time: stack.clock.now() });
      await page.goto(`${origin(stack)}/dashboard/#/live`);
      const today = new Date(stack.clock.now()).toISOString().slice(0, 10);
      const yesterday = new Date(stack.clock.now() - 86_400_000).toISOString().slice(0, 10);
      const answer = await stack.post({ query: `{ sessions(type: LIVE, from: "${yesterday}", to: "${today}", first: 100) { nodes { id userCount } } }` });
      const live = (answer.body.data as { sessions: { nodes: { id: string; userCount: number }[] } }).sessions.nodes;
      expect(live.length).toBeGreaterThan(0);
      await page.locator('[data-testid=live-row]').first().waitFor();
      const rows = await page.locator('[data-testid=live-row]').evaluateAll((elements) =>
        elements.map((row) => ({ id: row.getAttribute('data-session-id') ?? '', userCount: Number(row.querySelectorAll('td')[3]?.textContent) })),
      );
      expect(rows).toEqual(live);
      await expect(page.locator('[data-testid=live-status]').textContent()).resolves.toContain(`${live.length} live session`);
      await screenshot(page, 'live');
      expect(browser.blocked).toEqual([]);
    } finally {
      await browser.close();
      await stack.close();
    }
  });
});
