import { Stack, startStack } from '../harness';
import { until } from '../contracts/event-bus.contract';
import type { SimSession } from '../../src/simulator/dataset';
import { postWebhook, sessionEvent } from '../../src/simulator/webhooks';

const SECRET = 'zoom-webhook-secret-token-for-tests';

function simSession(id: string, startMs: number): SimSession {
  return {
    id, session_name: `Session ${id}`, start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '', end_time: '',
  };
}

describe('a live list of 5,000 sessions (Zoom pages of 300)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
    // The start-up reconciliation is over before Zoom lists anything.
    await until(() => stack.gateway.core.live.servesLive());
    const startMs = stack.clock.now() - 60 * 60_000;
    for (let n = 0; n < 5_000; n += 1) stack.zoom.startLiveSession(simSession(`live-${String(n).padStart(4, '0')}`, startMs + n * 100));
  });

  afterAll(async () => {
    await stack.close();
  });

  const listCalls = () => stack.zoom.callLog().filter((call) => call.path.endsWith('/videosdk/sessions')).length;

  it('reads the whole list, and never ends a webhook-announced session Zoom still lists', async () => {
    // The oldest sessions come last in Zoom's order (newest first): past page 10.
    const lastPage = simSession('live-0000', stack.clock.now() - 60 * 60_000);
    expect(await postWebhook(stack.url.replace(/\/graphql$/, '/webhooks/zoom'), SECRET, sessionEvent('session.started', lastPage, stack.clock.now() - 5 * 60_000), stack.clock.now())).toBe(200);
    const before = listCalls();
    await stack.gateway.core.live.reconcile();
    expect(listCalls() - before).toBe(17);
    expect((await stack.gateway.core.live.liveSessions()).length).toBe(5_000);
    // Past the grace, reconciled again: everything Zoom lists is still live.
    stack.clock.advance(120_000);
    await stack.gateway.core.live.reconcile();
    await until(() => stack.gateway.core.live.servesLive());
    const live = await stack.gateway.core.live.liveSessions();
    expect(live.length).toBe(5_000);
    expect(live.some((record) => record.id === 'live-0000')).toBe(true);
  });
});
