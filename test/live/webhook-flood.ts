import type { Stack } from '../harness';
import type { SimSession } from '../../src/simulator/dataset';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';

/** A live session as Zoom's list reports it, started at `startMs`. */
export function simSession(id: string, startMs: number): SimSession {
  return {
    id, session_name: `Session ${id}`, start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

/**
 * Starts `id` as a live session and posts `count` joins to it, each participant named at the longest a
 * webhook may name one (1 KB), so that each join's event grows by a kilobyte per participant so far.
 * The names start with the join's number, padded to 4 digits.
 */
export async function floodOfJoins(stack: Stack, secret: string, id: string, count: number): Promise<void> {
  const webhooks = stack.url.replace(/\/graphql$/, '/webhooks/zoom');
  const now = stack.clock.now();
  const session = simSession(id, now);
  stack.zoom.startLiveSession(session);
  expect(await postWebhook(webhooks, secret, sessionEvent('session.started', session, now), now)).toBe(200);
  for (let n = 0; n < count; n += 1) {
    const user = { id: `u${n}`, name: `${String(n).padStart(4, '0')} ${'x'.repeat(1_000)}`, participant_uuid: `p-${n}` };
    expect(await postWebhook(webhooks, secret, userEvent('session.user_joined', session, user, now + 1 + n), now)).toBe(200);
  }
}
