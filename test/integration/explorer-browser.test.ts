import type { Page } from 'playwright-core';
import { Stack, startStack } from '../harness';
import { TestBrowser, startBrowser } from '../services/browser';
import { until } from '../contracts/event-bus.contract';
import { SimSession, isoSeconds } from '../../src/simulator/dataset';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';

jest.setTimeout(90_000);

/**
 * What GraphiQL's result pane shows: the CodeMirror 5 instance it hangs on its wrapper element.
 * Page code is passed as text: the tests compile without the DOM's types.
 */
const RESULT_TEXT = "document.querySelector('.result-window .CodeMirror')?.CodeMirror?.getValue() ?? ''";

async function resultText(page: Page): Promise<string> {
  return page.evaluate<string>(RESULT_TEXT);
}

/** Replaces what the query editor holds with `text`, as a person would. */
async function typeQuery(page: Page, text: string): Promise<void> {
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText, not type: typing `{` would let the editor close the bracket itself.
  await page.keyboard.insertText(text);
}

/** The README's subscription, as a reader would paste it. */
const README_SUBSCRIPTION = 'subscription { sessionEvents(types: [SESSION_STARTED, SESSION_ENDED]) { type occurredAt sessionId session { sessionName userCount } user { name } } }';
const EXPLORER_KEY = 'explorer-client-key-0123456789';
const WEBHOOK_SECRET = 'zoom-webhook-secret-token-for-tests';

describe('GraphiQL in a real browser with no internet', () => {
  let stack: Stack;
  let browser: TestBrowser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await startBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('loads at /graphql, runs a sessions query typed into its editor, and shows the result, asking nothing of any other host', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(stack.url);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });

    const query = 'query ExplorerCheck { sessions(type: PAST, first: 3) { nodes { sessionId sessionName } } }';
    await typeQuery(page, query);
    stack.zoom.resetCalls();
    await page.click('.graphiql-execute-button');
    // A locator, not waitForFunction: that evaluates text in the page, which the page's policy forbids.
    await page.locator('.result-window').filter({ hasText: 'sessionName' }).waitFor({ timeout: 30_000 });

    const shown = JSON.parse(await resultText(page)) as unknown;
    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-28', to: '2026-11-27' }).slice(0, 3);
    expect(shown).toEqual({ data: { sessions: { nodes: expected.map((session) => ({ sessionId: session.id, sessionName: session.session_name })) } } });
    expect(stack.zoom.calls()).toBe(1);
    // Queries stay on HTTP: only a subscription opens the socket.
    expect(sockets).toEqual([]);
    expect(browser.blocked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('asks for the key a gateway requires, fetches the schema with it, runs the README\'s subscription over the same origin\'s WebSocket with that key, and shows the event a signed webhook caused', async () => {
    const live = await startStack({ env: { GATEWAY_API_KEYS: EXPLORER_KEY, ZOOM_WEBHOOK_SECRET_TOKEN: WEBHOOK_SECRET } });
    // Closed before the gateway, as in the Sandbox test: the gateway's shutdown waits for the browser's sockets.
    const own = await startBrowser();
    try {
      await until(() => live.gateway.core.live.servesLive(), 10_000);
      const page = await own.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      const initPayloads: unknown[] = [];
      page.on('websocket', (socket) => socket.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { type: string; payload?: unknown };
        if (message.type === 'connection_init') initPayloads.push(message.payload);
      }));
      const schemaFetches: { key: string | undefined; status: number }[] = [];
      page.on('response', (response) => {
        const request = response.request();
        if (request.method() === 'POST' && (request.postData() ?? '').includes('IntrospectionQuery')) schemaFetches.push({ key: request.headers()['x-api-key'], status: response.status() });
      });
      await page.goto(live.url);
      // The gateway asks for a key: the page asks for it before GraphiQL fetches the schema.
      await page.getByLabel('This gateway asks for an API key. Key:').fill(EXPLORER_KEY);
      await page.getByRole('button', { name: 'Use it' }).click();
      await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
      await until(async () => schemaFetches.some((fetched) => fetched.status === 200), 30_000).catch((error: unknown) => { throw new Error(`${String(error)} ${JSON.stringify(schemaFetches)} ${JSON.stringify(problems)}`); });
      expect(schemaFetches.filter((fetched) => fetched.status === 200).every((fetched) => fetched.key === EXPLORER_KEY)).toBe(true);
      // Run at once after pasting: GraphiQL's own parse of the editor lags 100 ms behind the text.
      await typeQuery(page, README_SUBSCRIPTION);
      await page.click('.graphiql-execute-button');
      await until(() => live.gateway.core.live.subscriberCount === 1, 30_000);

      const startMs = live.clock.now();
      // Just started: nobody has joined, whether the gateway counts from Zoom's list or from webhooks.
      const session: SimSession = {
        id: 'graphiql/watch+1==', session_name: 'Seen in GraphiQL', start_time: isoSeconds(startMs), duration: '00:00', user_count: 0,
        has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
        audio_quality: 'good', video_quality: '', screen_share_quality: '',
      };
      live.zoom.startLiveSession(session);
      expect(await postWebhook(live.url.replace(/\/graphql$/, '/webhooks/zoom'), WEBHOOK_SECRET, sessionEvent('session.started', session, startMs), startMs)).toBe(200);
      await page.locator('.result-window').filter({ hasText: 'Seen in GraphiQL' }).waitFor({ timeout: 30_000 });

      expect(JSON.parse(await resultText(page))).toEqual({
        data: { sessionEvents: { type: 'SESSION_STARTED', occurredAt: new Date(startMs).toISOString(), sessionId: session.id, session: { sessionName: 'Seen in GraphiQL', userCount: 0 }, user: null } },
      });
      expect(initPayloads).toEqual([{ 'x-api-key': EXPLORER_KEY }]);

      // The run button stops it, and the gateway lets the subscription go.
      await page.click('.graphiql-execute-button');
      await until(() => live.gateway.core.live.subscriberCount === 0, 10_000);
      expect(own.blocked).toEqual([]);
      // The only failure is the page's probe that learnt a key is needed (the browser reports its 401); no schema fetch failed.
      expect(problems.filter((problem) => !problem.includes('401 (Unauthorized)'))).toEqual([]);
      expect(problems.length).toBeLessThanOrEqual(1);
      expect(schemaFetches.filter((fetched) => fetched.status !== 200)).toEqual([]);
    } finally {
      await own.close();
      await live.close();
    }
  });

  it('shows why Sandbox is not the offline choice: its page asks Apollo\'s CDN for its code', async () => {
    const sandbox = await startStack({ env: { GRAPHQL_EXPLORER: 'sandbox' } });
    // A browser of its own, closed before the gateway: Chromium keeps sockets open to a page's
    // host after the page is gone, and the gateway's shutdown waits for them.
    const own = await startBrowser();
    try {
      const page = await own.context.newPage();
      await page.goto(sandbox.url, { waitUntil: 'domcontentloaded' });
      expect(own.blocked.some((url) => new URL(url).hostname.endsWith('.apollographql.com'))).toBe(true);
    } finally {
      await own.close();
      await sandbox.close();
    }
  });
});
