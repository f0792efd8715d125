import type { Page } from 'playwright-core';
import { Stack, startStack } from '../harness';
import { TestBrowser, startBrowser } from '../services/browser';

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
    expect(browser.blocked).toEqual([]);
    expect(problems).toEqual([]);
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
