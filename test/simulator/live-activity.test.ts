import { LiveNowDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import { startLiveActivity } from '../../src/simulator/live-activity';
import { addDays, todayUtc } from '../../src/time/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';

describe('the simulator\'s live activity (npm start without credentials)', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Webhooks alone keep the live set here: a reconciliation while the clock runs ahead (a loaded machine applies
    // webhooks later) could end a session before its own session.ended arrives, which is then rightly stale.
    stack = await startStack({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_LIVE_RECONCILE_SECONDS: '86400' } });
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await stack.close();
  });

  it('changes the simulator\'s live list and posts signed webhooks that keep the gateway\'s live set equal to it', async () => {
    const activity = startLiveActivity({
      simulator: stack.zoom,
      webhookUrl: stack.url.replace(/\/graphql$/, '/webhooks/zoom'),
      secretToken: SECRET,
      intervalMs: 3_600_000,
      now: stack.clock.now,
    });
    const range = { from: addDays(todayUtc(stack.clock.now()), -7), to: todayUtc(stack.clock.now()) };
    const zoomLive = () => stack.zoom.expectedSessions({ type: 'live', ...range }).map((session) => session.id).sort();
    const before = zoomLive();
    const known = new Set(stack.zoom.sessions.map((session) => session.id));
    // Half a minute a step: 100 steps are 50 minutes of an account at work.
    for (let step = 0; step < 100; step += 1) {
      await activity.step();
      stack.clock.advance(30_000);
    }
    activity.stop();
    expect(zoomLive()).not.toEqual(before);
    expect(activity.posted()).toBeGreaterThan(40);
    // Sessions it started look like real ones: several people, and those that ended ran for minutes.
    const ownSessions = stack.zoom.sessions.filter((session) => !known.has(session.id));
    expect(ownSessions.length).toBeGreaterThan(1);
    expect(ownSessions.every((session) => session.user_count >= 2)).toBe(true);
    const endedHere = ownSessions.filter((session) => session.end_time);
    expect(endedHere.length).toBeGreaterThan(0);
    expect(endedHere.every((session) => Date.parse(session.end_time!) - Date.parse(session.start_time) >= 4 * 60_000 && session.duration !== '00:00')).toBe(true);
    const outcomes = async () => {
      const values = (await stack.gateway.metrics.registry.getSingleMetric('zoom_webhooks_total')!.get()).values;
      return Object.fromEntries(values.map((value) => [String(value.labels.outcome), value.value]));
    };
    const counted = async () => Object.values(await outcomes()).reduce((sum, value) => sum + value, 0);
    // Every post is counted once its outcome is known; on a busy machine that can take a while, so wait for all of them.
    await until(async () => (await counted()) >= activity.posted(), 20_000);
    expect(await outcomes()).toEqual({ applied: activity.posted() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const calls = stack.zoom.calls();
    const answer = await stack.request(LiveNowDocument, { ...range, first: 300 });
    expect(stack.zoom.calls()).toBe(calls);
    expect(answer.body.data?.sessions.nodes.map((node) => node.sessionId).sort()).toEqual(zoomLive());
  });
});
