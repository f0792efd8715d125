import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';

let stack: Stack;
afterEach(() => stack.close());

// One week: a single Zoom page (no next token), so it may be kept stale for the whole hour.
const october = { type: 'PAST' as const, from: '2026-10-05', to: '2026-10-11', first: 5 };

describe('stale if error', () => {
  it('serves the last good page when Zoom fails, saying in extensions that it is stale and how old', async () => {
    stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1' } });
    const fresh = await stack.request(SessionsPageDocument, october);
    expect(fresh.body.errors).toBeUndefined();
    expect(fresh.text).not.toContain('"stale"');
    // Past the page's hour of freshness, within its hour of staleness.
    stack.clock.advance(3_600_000 + 120_000);
    stack.zoom.failNext({ kind: 'status', status: 500 });
    const stale = await stack.request(SessionsPageDocument, october);
    expect(stale.body.errors).toBeUndefined();
    expect(stale.body.data).toEqual(fresh.body.data);
    const extensions = (stale.body as { extensions?: { stale?: { ageSeconds: number } } }).extensions;
    expect(extensions?.stale?.ageSeconds).toBeGreaterThanOrEqual(3_720);
    expect(extensions?.stale?.ageSeconds).toBeLessThan(3_760);
    // Zoom is back: the page is refreshed and no longer stale.
    const refreshed = await stack.request(SessionsPageDocument, october);
    expect(refreshed.text).not.toContain('"stale"');
    expect(stack.zoom.calls()).toBe(3);
  });

  it('answers the error when no good page is kept', async () => {
    stack = await startStack({ env: { ZOOM_MAX_ATTEMPTS: '1', CACHE_STALE_MAX_SECONDS: '0' } });
    await stack.request(SessionsPageDocument, october);
    stack.clock.advance(3_600_000 + 120_000);
    stack.zoom.failNext({ kind: 'status', status: 500 });
    const answer = await stack.request(SessionsPageDocument, october);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('ZOOM_UNAVAILABLE');
  });
});
