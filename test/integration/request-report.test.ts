import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, StackOptions, onlyError, startStack } from '../harness';

const october = { type: 'PAST', from: '2026-10-01', to: '2026-10-31' } as const;

/** A stack whose log lines a test reads: the `request` line of each GraphQL request, in order. */
async function loggedStack(options: StackOptions): Promise<{ stack: Stack; requestLines: () => Record<string, unknown>[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const stack = await startStack({ ...options, logger: createLogger('info', 'json', stream) });
  const requestLines = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');
  return { stack, requestLines };
}

async function outcomes(stack: Stack): Promise<Record<string, number>> {
  const { values } = await stack.gateway.metrics.graphqlRequests.get();
  return Object.fromEntries(values.map((entry) => [String(entry.labels.outcome), entry.value]));
}

describe('request logs and graphql_requests_total say what clients received and what Zoom served', () => {
  it('records the mapped code of a Zoom failure, and every attempt that reached Zoom', async () => {
    const { stack, requestLines } = await loggedStack({ env: { ZOOM_MAX_ATTEMPTS: '3' } });
    try {
      stack.zoom.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
      expect(onlyError(await stack.request(SessionsPageDocument, { ...october, first: 1 })).code).toBe('ZOOM_UNAVAILABLE');
      expect(stack.zoom.calls()).toBe(3);
      const [line] = requestLines();
      expect(line).toMatchObject({ errorCodes: ['ZOOM_UNAVAILABLE'], zoomCalls: 3 });
      expect(line.zoomTrackingIds).toHaveLength(3);
      expect(await outcomes(stack)).toEqual({ ZOOM_UNAVAILABLE: 1 });
    } finally {
      await stack.close();
    }
  });

  it('does not count a call the governor refused as a Zoom call', async () => {
    const { stack, requestLines } = await loggedStack({ env: { ZOOM_LIST_SESSIONS_PER_MINUTE: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100' } });
    try {
      await stack.request(SessionsPageDocument, { ...october, first: 1 });
      expect(onlyError(await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-09-01', to: '2026-09-30', first: 1 })).code).toBe('ZOOM_RATE_LIMITED');
      expect(stack.zoom.calls()).toBe(1);
      expect(requestLines().map((line) => [line.zoomCalls, line.errorCodes])).toEqual([[1, undefined], [0, ['ZOOM_RATE_LIMITED']]]);
      expect(await outcomes(stack)).toEqual({ ok: 1, ZOOM_RATE_LIMITED: 1 });
      const { metrics } = stack.gateway;
      expect(await metrics.value(metrics.zoomCalls)).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it('counts the calls a cursor recovery made', async () => {
    const { stack, requestLines } = await loggedStack({ simulator: { maxPageSize: 10 } });
    try {
      const first = await stack.request(SessionsPageDocument, { ...october, first: 15 });
      const after = first.body.data!.sessions.pageInfo.endCursor;
      // Zoom's tokens live 15 minutes; the cached pages that hold them go with them.
      stack.clock.advance(16 * 60_000);
      const before = stack.zoom.calls();
      const next = await stack.request(SessionsPageDocument, { ...october, first: 5, after });
      expect(next.body.errors).toBeUndefined();
      const made = stack.zoom.calls() - before;
      expect(made).toBeGreaterThanOrEqual(2);
      const lines = requestLines();
      expect(lines[lines.length - 1].zoomCalls).toBe(made);
      expect(await stack.gateway.metrics.value(stack.gateway.metrics.cursorRecoveries, { outcome: 'recovered' })).toBe(1);
    } finally {
      await stack.close();
    }
  });
});
