import { LiveNowDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { until } from '../live/event-bus.spec';
import { startLiveActivity } from '../../src/simulator/live-activity';
import { addDays, todayUtc } from '../../src/zoom/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';

describe('the simulator\'s live activity (npm start without credentials)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
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
    for (let step = 0; step < 40; step += 1) await activity.step();
    activity.stop();
    expect(zoomLive()).not.toEqual(before);
    const taken = async () => ((await stack.gateway.metrics.registry.getSingleMetric('zoom_webhooks_total')!.get()).values.find((value) => value.labels.outcome === 'applied')?.value ?? 0);
    await until(async () => (await taken()) >= 40, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const calls = stack.zoom.calls();
    const answer = await stack.request(LiveNowDocument, { ...range, first: 300 });
    expect(stack.zoom.calls()).toBe(calls);
    expect(answer.body.data?.sessions.nodes.map((node) => node.sessionId).sort()).toEqual(zoomLive());
  });
});
