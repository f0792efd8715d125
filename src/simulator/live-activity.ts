import { SimSession, isoSeconds } from './dataset';
import { Random, chance, mulberry32, randomInt } from './prng';
import type { ZoomSimulator } from './simulator';
import { ZoomWebhookBody, postWebhook, sessionEvent, userEvent } from './webhooks';

export interface LiveActivityOptions {
  readonly simulator: ZoomSimulator;
  /** The gateway's POST /webhooks/zoom. */
  readonly webhookUrl: string;
  readonly secretToken: string;
  /** How often the activity looks at the clock and posts what has happened since (default 3 s). */
  readonly intervalMs?: number;
  /** The activity's own seed (the participants come from the simulator's). */
  readonly seed?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
  /** Told what happened, at most once per `summaryEveryMs`, so that a log shows the activity without a line per event. */
  readonly onSummary?: (summary: LiveActivitySummary) => void;
  /** Default 10 minutes. */
  readonly summaryEveryMs?: number;
}

/** What the activity posted since the previous summary, and the live sessions now. */
export interface LiveActivitySummary {
  readonly started: number;
  readonly ended: number;
  readonly joined: number;
  readonly left: number;
  readonly live: number;
  readonly sinceMs: number;
}

export interface LiveActivity {
  /** Posts everything due by now, starting a session when one is due (tests drive it by hand, moving the clock). */
  step(): Promise<void>;
  /** Webhooks posted so far. */
  posted(): number;
  stop(): void;
}

const SESSION_NAMES = ['Team standup', 'Office hours', 'Telehealth visit', 'Tutoring', 'Support call', 'Customer onboarding', 'Yoga class'];
const SESSION_KEYS = ['standup-eng', 'office-hours', 'telehealth', 'tutoring', 'support', 'onboarding', 'yoga'];
const FEWEST_LIVE = 2;
const MOST_LIVE = 8;
const MINUTE_MS = 60_000;
/** A new session every 1–6 minutes while fewer than MOST_LIVE run. */
const START_GAP_MS = [MINUTE_MS, 6 * MINUTE_MS] as const;
/** Sessions run 4–45 minutes, a few up to 90, with 2–9 people joining and leaving along the way. */
const SHORT_MINUTES = [4, 45] as const;
const LONG_MINUTES = [45, 90] as const;
const PARTICIPANTS = [2, 9] as const;
/** Sessions the dataset had live at start-up end within this, so that none stays live for days. */
const INHERITED_END_MINUTES = [3, 40] as const;
const DEFAULT_SUMMARY_EVERY_MS = 10 * MINUTE_MS;
const DEFAULT_SEED = 42;

interface Due {
  readonly at: number;
  /** Ties keep the order they were planned in: a session starts before its host joins. */
  readonly order: number;
  readonly kind: 'started' | 'joined' | 'left' | 'ended';
  readonly body: ZoomWebhookBody;
  readonly session: SimSession;
  readonly endTime?: string;
}

function base64Id(random: Random): string {
  return Buffer.from(Array.from({ length: 16 }, () => randomInt(random, 0, 255))).toString('base64');
}

/**
 * A Zoom account at work, for `npm start` without credentials. Each session's whole course is drawn
 * when it starts (how long it runs, who joins and leaves when, from the simulator's own participants),
 * then played out on the clock: the simulator's lists and participants follow it, and each change is
 * posted to the gateway as a signed webhook when its time comes, as Zoom would.
 */
export function startLiveActivity(options: LiveActivityOptions): LiveActivity {
  const { simulator } = options;
  const now = options.now ?? Date.now;
  const random = mulberry32(options.seed ?? DEFAULT_SEED);
  const summaryEveryMs = options.summaryEveryMs ?? DEFAULT_SUMMARY_EVERY_MS;
  let queue: Due[] = [];
  let planned = 0;
  let posted = 0;
  let nextStartAt = now();
  let busy = false;
  const counts = { started: 0, ended: 0, joined: 0, left: 0 };
  let summarySince = now();

  const plan = (due: Omit<Due, 'order'>): void => {
    queue.push({ ...due, order: planned++ });
  };
  const liveSessions = (): SimSession[] => simulator.sessions.filter((session) => !session.end_time);

  /** The dataset's live sessions end in the next minutes; they were not drawn here, so only their end is posted. */
  for (const session of liveSessions()) {
    const at = now() + randomInt(random, INHERITED_END_MINUTES[0] * MINUTE_MS, INHERITED_END_MINUTES[1] * MINUTE_MS);
    plan({ at, kind: 'ended', session, endTime: isoSeconds(at), body: sessionEvent('session.ended', session, at, isoSeconds(at)) });
  }

  function start(startMs: number): void {
    const minutes = chance(random, 0.85) ? randomInt(random, SHORT_MINUTES[0], SHORT_MINUTES[1]) : randomInt(random, LONG_MINUTES[0], LONG_MINUTES[1]);
    const endMs = startMs + minutes * MINUTE_MS + randomInt(random, 0, 59) * 1000;
    const kind = randomInt(random, 0, SESSION_NAMES.length - 1);
    const session: SimSession = {
      id: base64Id(random),
      session_name: SESSION_NAMES[kind],
      start_time: isoSeconds(startMs),
      duration: '00:00',
      user_count: randomInt(random, PARTICIPANTS[0], PARTICIPANTS[1]),
      has_voip: true,
      has_video: chance(random, 0.8),
      has_screen_share: chance(random, 0.4),
      has_recording: chance(random, 0.2),
      has_pstn: false,
      has_session_summary: false,
      session_key: SESSION_KEYS[kind],
      audio_quality: 'good',
      video_quality: 'good',
      screen_share_quality: '',
    };
    const endTime = isoSeconds(endMs);
    simulator.startLiveSession(session, endTime);
    plan({ at: startMs, kind: 'started', session, body: sessionEvent('session.started', session, startMs) });
    // The simulator's participants for this session, as they will stand when it ends: the webhooks name the same people.
    const people = simulator.inside(session.id, Date.parse(endTime));
    for (const person of people?.participants ?? []) {
      const user = { id: person.id, name: person.name, participant_uuid: person.participant_uuid, ...(person.user_key ? { user_key: person.user_key } : {}) };
      const joinedAt = Date.parse(person.join_time);
      plan({ at: joinedAt, kind: 'joined', session, body: userEvent('session.user_joined', session, user, joinedAt) });
      const leftAt = Date.parse(person.leave_time ?? endTime);
      plan({ at: leftAt, kind: 'left', session, body: userEvent('session.user_left', session, user, leftAt) });
    }
    plan({ at: endMs, kind: 'ended', session, endTime, body: sessionEvent('session.ended', session, endMs, endTime) });
  }

  function summarize(at: number): void {
    if (at - summarySince < summaryEveryMs) return;
    options.onSummary?.({ ...counts, live: liveSessions().length, sinceMs: at - summarySince });
    counts.started = counts.ended = counts.joined = counts.left = 0;
    summarySince = at;
  }

  async function step(): Promise<void> {
    const at = now();
    const live = liveSessions().length;
    if ((at >= nextStartAt || live < FEWEST_LIVE) && live < MOST_LIVE) {
      start(at);
      nextStartAt = at + (live + 1 < FEWEST_LIVE ? 0 : randomInt(random, START_GAP_MS[0], START_GAP_MS[1]));
    }
    queue.sort((a, b) => a.at - b.at || a.order - b.order);
    const dueCount = queue.findIndex((due) => due.at > at);
    const due = dueCount < 0 ? queue : queue.slice(0, dueCount);
    queue = dueCount < 0 ? [] : queue.slice(dueCount);
    for (const event of due) {
      if (event.kind === 'ended') {
        simulator.endLiveSession(event.session.id, event.endTime ?? isoSeconds(event.at));
      }
      counts[event.kind] += 1;
      posted += 1;
      await postWebhook(options.webhookUrl, options.secretToken, event.body, now());
    }
    summarize(at);
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
    posted: () => posted,
    stop: () => clearInterval(timer),
  };
}
