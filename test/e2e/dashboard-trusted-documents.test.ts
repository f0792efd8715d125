import type { Page, Request } from 'playwright-core';
import dashboardManifest from '../../dashboard/src/generated/persisted-documents.json';
import { Stack, startStack } from '../harness';
import { TestBrowser, startBrowser } from '../services/browser';
import { ensureDashboardBuilt } from '../services/dashboard-build';

const CLIENT_KEY = 'dashboard-trusted-client-key-0123456789';
const MONTH = { from: '2026-10-01', to: '2026-10-31' };

/** The subscribe messages the page sent over its WebSocket. */
function subscribeMessages(page: Page): Record<string, unknown>[] {
  const messages: Record<string, unknown>[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => {
      const message = JSON.parse(String(frame.payload)) as { type?: string; payload?: Record<string, unknown> };
      if (message.type === 'subscribe' && message.payload) messages.push(message.payload);
    });
  });
  return messages;
}

/** The bodies the page POSTed to /graphql. */
function graphqlBodies(page: Page): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') bodies.push(request.postDataJSON() as Record<string, unknown>);
  });
  return bodies;
}

describe('the production dashboard against a gateway that enforces trusted documents', () => {
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;
  let bodies: Record<string, unknown>[];
  let subscribes: Record<string, unknown>[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    stack = await startStack({ env: { GATEWAY_API_KEYS: CLIENT_KEY, DASHBOARD: 'true', TRUSTED_DOCUMENTS: 'enforce' } });
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    bodies = graphqlBodies(page);
    subscribes = subscribeMessages(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('sends each operation as its documentId, never its text, and shows the sessions and usage they answer', async () => {
    const origin = stack.url.replace(/\/graphql$/, '');
    await page.goto(`${origin}/dashboard/#/sessions?from=${MONTH.from}&to=${MONTH.to}&type=PAST`);
    await page.getByLabel('API key').fill(CLIENT_KEY);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await page.locator('[data-testid=session-row]').first().waitFor();
    await page.goto(`${origin}/dashboard/#/usage?from=${MONTH.from}&to=${MONTH.to}`);
    await page.locator('[data-testid=usage-sessions] [data-testid=total]').waitFor();
    expect(Number(await page.locator('[data-testid=usage-sessions] [data-testid=total]').textContent())).toBeGreaterThan(0);

    expect(bodies.map((body) => body.operationName).sort()).toEqual(['DashboardDailyUsage', 'DashboardSessions']);
    for (const body of bodies) {
      expect(body).not.toHaveProperty('query');
      expect(Object.keys(dashboardManifest)).toContain(body.documentId);
    }
    expect(pageErrors).toEqual([]);
    expect(browser.blocked).toEqual([]);
  });

  it('subscribes to Live now by documentId too, with the empty query graphql-ws requires, and shows the live sessions', async () => {
    const origin = stack.url.replace(/\/graphql$/, '');
    await page.goto(`${origin}/dashboard/#/live`);
    await page.locator('[data-testid=live-row]').first().waitFor();
    expect(subscribes.map((payload) => payload.operationName).sort()).toEqual(['DashboardLiveSessions', 'DashboardSessionEvents']);
    for (const payload of subscribes) {
      expect(payload.query).toBe('');
      expect(Object.keys(dashboardManifest)).toContain(payload.documentId);
    }
    expect(pageErrors).toEqual([]);
  });
});
