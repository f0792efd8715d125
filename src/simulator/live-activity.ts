import { SimSession, formatDuration, isoSeconds } from './dataset';
import { Random, chance, mulberry32, pick, randomInt } from './prng';
import type { ZoomSimulator } from './simulator';
import { SimParticipant, ZoomWebhookBody, postWebhook, sessionEvent, userEvent } from './webhooks';

export interface LiveActivityOptions {
  readonly simulator: ZoomSimulator;
  /** The gateway's POST /webhooks/zoom. */
  readonly webhookUrl: string;
  readonly secretToken: string;
  /** How often something happens (default 3 s). */
  readonly intervalMs?: number;
  readonly seed?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export interface LiveActivity {
  /** Runs one step now (tests drive it by hand). */
  step(): Promise<void>;
  stop(): void;
}

const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Tim', 'Radia'];
const SESSION_NAMES = ['Team standup', 'Office hours', 'Telehealth visit', 'Tutoring', 'Support call'];
const FEWEST_LIVE = 2;
const MOST_LIVE = 8;

function base64Id(random: Random): string {
  return Buffer.from(Array.from({ length: 16 }, () => randomInt(random, 0, 255))).toString('base64');
}

/**
 * A Zoom account at work, for `npm start` without credentials: sessions start and end,
 * participants join and leave; the simulator's live list changes with them, and each change is
 * posted to the gateway as a signed webhook, as Zoom would.
 */
export function startLiveActivity(options: LiveActivityOptions): LiveActivity {
  const { simulator } = options;
  const now = options.now ?? Date.now;
  const random = mulberry32(options.seed ?? 7);
  const participants = new Map<string, SimParticipant[]>();
  let busy = false;

  const post = (body: ZoomWebhookBody): Promise<number> => postWebhook(options.webhookUrl, options.secretToken, body, now());
  const liveSessions = (): SimSession[] => simulator.sessions.filter((session) => !session.end_time);

  async function join(session: SimSession): Promise<void> {
    const name = pick(random, NAMES);
    const user: SimParticipant = { id: String(randomInt(random, 10_000_000, 99_999_999)), name, participant_uuid: base64Id(random) };
    participants.set(session.id, [...(participants.get(session.id) ?? []), user]);
    await post(userEvent('session.user_joined', session, user, now()));
  }

  async function start(): Promise<void> {
    const startMs = now();
    const session: SimSession = {
      id: base64Id(random), session_name: pick(random, SESSION_NAMES), start_time: isoSeconds(startMs), duration: formatDuration(0), user_count: 1,
      has_voip: true, has_video: chance(random, 0.8), has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
      audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
    };
    simulator.startLiveSession(session);
    await post(sessionEvent('session.started', session, startMs));
    await join(session);
  }

  async function end(session: SimSession): Promise<void> {
    for (const user of participants.get(session.id) ?? []) await post(userEvent('session.user_left', session, user, now()));
    participants.delete(session.id);
    const endMs = now();
    simulator.endLiveSession(session.id, isoSeconds(endMs));
    await post(sessionEvent('session.ended', session, endMs, isoSeconds(endMs)));
  }

  async function step(): Promise<void> {
    const live = liveSessions();
    const roll = random();
    if (live.length < FEWEST_LIVE || (roll < 0.2 && live.length < MOST_LIVE)) return start();
    if (roll < 0.55) return join(pick(random, live));
    if (roll < 0.85) {
      const crowded = live.filter((session) => (participants.get(session.id)?.length ?? 0) > 1);
      if (crowded.length === 0) return join(pick(random, live));
      const session = pick(random, crowded);
      const people = participants.get(session.id) ?? [];
      const user = people.splice(randomInt(random, 0, people.length - 1), 1)[0];
      await post(userEvent('session.user_left', session, user, now()));
      return;
    }
    return end(pick(random, live));
  }

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    step()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs ?? 3_000);
  timer.unref();

  return {
    step,
    stop: () => clearInterval(timer),
  };
}
