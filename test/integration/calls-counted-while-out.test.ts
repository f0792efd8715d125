import net from 'node:net';
import { until } from '../contracts/event-bus.contract';
import { Stack, startStack } from '../harness';
import { encodeNodeId } from '../../src/sessions/node-id';
import { isLive } from '../../src/simulator/dataset';
import { realTimers } from '../../src/time/timers';

const LOOKUP = 'query Lookup($id: ID!) { node(id: $id) { ... on Session { sessionNumber } } }';

const sessionIds = (stack: Stack): string[] => stack.zoom.sessions.filter((session) => !isLive(session)).map((session) => encodeNodeId({ type: 'Session', sessionId: session.id }));

/** The governor's clock, moved by hand, so that no check depends on how fast the machine is; waits still pass in real time. */
class PacingClock {
  at = 1_000_000;
  readonly timers = { now: (): number => this.at, sleep: realTimers.sleep };
}

/**
 * Zoom counts a call at some moment between its leaving and its answer: a Heavy slot is held while the call
 * waits and while Zoom holds it, and counted for the window and its margin (1.017 s) from its answer; a call
 * that never left gives its slot back.
 */
describe('a Zoom call counts until its answer', () => {
  it('counts a call Zoom answers at once from its answer', async () => {
    const pacing = new PacingClock();
    const stack = await startStack({ env: { ZOOM_HEAVY_PER_SECOND: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100' }, gateway: { timers: pacing.timers } });
    try {
      const [first, second] = sessionIds(stack);
      expect((await stack.post({ query: LOOKUP, variables: { id: first } })).body.errors).toBeUndefined();
      // 117 ms from the slot's end, past what a call may wait here (75 ms of ZOOM_QUEUE_MAX_WAIT_MS): refused.
      pacing.at += 900;
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(1);
      const refused = await stack.post({ query: LOOKUP, variables: { id: second } });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'WINDOW' });
      pacing.at += 120;
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(0);
      expect((await stack.post({ query: LOOKUP, variables: { id: second } })).body.errors).toBeUndefined();
      expect(stack.zoom.calls()).toBe(2);
    } finally {
      await stack.close();
    }
  });

  it('holds the slot of a call Zoom keeps past the window, and counts it a window from its answer', async () => {
    const pacing = new PacingClock();
    const stack = await startStack({ simulator: { latencyMs: 3_000 }, env: { ZOOM_HEAVY_PER_SECOND: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100' }, gateway: { timers: pacing.timers } });
    try {
      const [first, second, third] = sessionIds(stack);
      const answer = stack.post({ query: LOOKUP, variables: { id: first } });
      await until(() => stack.zoom.calls() === 1);
      // The governor's clock moves past the window while Zoom holds the call: every third of a window the call is
      // held again, so its slot stays, and a second call is refused rather than sent.
      pacing.at += 2_000;
      await until(async () => (await stack.gateway.governor.snapshot('heavy')).used === 1, 3_000);
      const refused = await stack.post({ query: LOOKUP, variables: { id: second } });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'ZOOM_RATE_LIMITED', reason: 'WINDOW' });
      expect(stack.zoom.calls()).toBe(1);
      expect((await answer).body.errors).toBeUndefined();
      // Counted from its answer: still in the window 1 s later, out of it past the margin.
      pacing.at += 1_000;
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(1);
      pacing.at += 20;
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(0);
      expect((await stack.post({ query: LOOKUP, variables: { id: third } })).body.errors).toBeUndefined();
      expect(stack.zoom.callLog().map((call) => call.status)).toEqual([200, 200]);
    } finally {
      await stack.close();
    }
  }, 20_000);

  it('gives back the slot, and the day\'s count, of a call that never reached Zoom (connection refused)', async () => {
    const pacing = new PacingClock();
    const stack = await startStack({ env: { ZOOM_HEAVY_PER_SECOND: '1', ZOOM_QUEUE_MAX_WAIT_MS: '100', ZOOM_MAX_ATTEMPTS: '1' }, gateway: { timers: pacing.timers } });
    try {
      const [first, second] = sessionIds(stack);
      // Zoom's address answers nothing: the connection is refused, and no request leaves.
      await stack.zoom.close();
      const refused = await stack.post({ query: LOOKUP, variables: { id: first } });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('ZOOM_UNAVAILABLE');
      const heavy = await stack.gateway.governor.snapshot('heavy');
      expect([heavy.used, heavy.dailyUsed]).toEqual([0, 0]);
      // The slot is free at once: a second call is not refused for want of one.
      const again = await stack.post({ query: LOOKUP, variables: { id: second } });
      expect(again.body.errors?.[0]?.extensions?.code).toBe('ZOOM_UNAVAILABLE');
    } finally {
      await stack.gateway.close();
    }
  });

  it('holds the slot of a call that waits longer than a window for a free connection: Zoom never sees a burst', async () => {
    // Found by review: such a call's slot left the window while it waited, and the window was given again.
    const stack = await startStack({
      simulator: { latencyMs: 3_000, rateLimitPerMinute: 4, rateLimitWindowMs: 1_000 },
      env: { ZOOM_HEAVY_PER_SECOND: '4', ZOOM_MAX_IN_FLIGHT: '4', ZOOM_MAX_ATTEMPTS: '1', ZOOM_TIMEOUT_MS: '20000', ZOOM_QUEUE_MAX_WAIT_MS: '10000' },
    });
    try {
      const ids = sessionIds(stack);
      const answers: Promise<unknown>[] = [];
      // A lookup every 100 ms while Zoom takes 3 s, then Zoom speeds up and every call waiting for a connection goes.
      for (let index = 0; index < 30; index += 1) {
        answers.push(stack.post({ query: LOOKUP, variables: { id: ids[index] } }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (index === 28) stack.zoom.setLatency(0);
      }
      await Promise.all(answers);
      const arrivals = stack.zoom.callLog().map((call) => call.at);
      expect(stack.zoom.callLog().filter((call) => call.status === 429)).toEqual([]);
      expect(Math.max(...arrivals.map((at) => arrivals.filter((other) => other >= at && other < at + 1_000).length))).toBeLessThanOrEqual(4);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('gives back the slot of a call cut during its TLS handshake, and does not take it again', async () => {
    // Found by review: the request's write callback ran after the call was cut, and counted it as sent.
    const sockets: net.Socket[] = [];
    const hung = net.createServer((socket) => void sockets.push(socket.on('data', () => undefined)));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as net.AddressInfo;
    const stack = await startStack({ env: { ZOOM_API_BASE_URL: `https://127.0.0.1:${port}/v2`, ZOOM_HEAVY_PER_SECOND: '1', ZOOM_MAX_ATTEMPTS: '1', ZOOM_TIMEOUT_MS: '300', ZOOM_QUEUE_MAX_WAIT_MS: '100' } });
    try {
      const [id] = sessionIds(stack);
      const cut = await stack.post({ query: LOOKUP, variables: { id } });
      expect(cut.body.errors?.[0]?.extensions?.code).toBe('ZOOM_UNAVAILABLE');
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await stack.gateway.governor.snapshot('heavy')).used).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      hung.close();
      await stack.close();
    }
  });
});
