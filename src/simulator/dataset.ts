import { Day, addDays, addMonths, firstOfMonth, parseDay, todayUtc } from '../time/calendar';
import type { WireSession } from '../zoom/wire';
import { Random, chance, mulberry32, pick, randomInt } from './prng';

export type Quality = 'good' | 'fair' | 'poor' | 'bad' | '';

/**
 * One session exactly as List sessions sends it (docs/zoom-contract.md §1): the wire shape the gateway accepts, with
 * what Zoom always fills filled. Live sessions have no `end_time`, or "".
 */
export interface SimSession extends Omit<WireSession, 'end_time' | 'duration' | 'session_key' | 'audio_quality' | 'video_quality' | 'screen_share_quality'> {
  end_time?: string;
  duration: string;
  session_key?: string;
  audio_quality: Quality;
  video_quality: Quality;
  screen_share_quality: Quality;
}

/** Zoom leaves `end_time` absent or empty while a session runs (docs/zoom-contract.md §1, L). */
export function isLive(session: SimSession): boolean {
  return !session.end_time;
}

/** The UTC day a session belongs to when filtering by `from`/`to`. */
export function sessionDay(session: SimSession): Day {
  return session.start_time.slice(0, 10);
}

/** Newest first, ties by id: stable, so a token walk never skips or repeats a session. */
export function compareSessions(a: SimSession, b: SimSession): number {
  if (a.start_time !== b.start_time) return a.start_time < b.start_time ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** About seven months: most of it inside Zoom's six-month horizon, some weeks beyond it to test the cut-off. */
const HISTORY_DAYS = 213;
const QUIET_DAY_SESSIONS = [4, 8] as const;
/** The calendar month before today's gets at least 11 × 28 = 308 sessions: more than one 300-session page. */
const BUSY_MONTH_DAY_SESSIONS = [11, 14] as const;
const BUSY_DAYS = 5;
const BUSY_DAY_SESSIONS = [40, 90] as const;
const LIVE_SESSIONS = [5, 10] as const;
const MS_PER_SECOND = 1000;

const SESSION_KINDS: readonly { name: string; key: string }[] = [
  { name: 'Team standup', key: 'standup-eng' },
  { name: 'Team standup', key: 'standup-sales' },
  { name: 'Customer onboarding', key: 'onboarding' },
  { name: 'Office hours', key: 'office-hours' },
  { name: 'Telehealth visit', key: 'telehealth' },
  { name: 'Telehealth visit', key: 'telehealth-followup' },
  { name: 'Yoga class', key: 'yoga' },
  { name: 'Tutoring', key: 'tutoring' },
  { name: 'Support call', key: 'support' },
  { name: 'Webinar rehearsal', key: 'webinar' },
  { name: 'My session', key: 'my_session_key' },
];
const QUALITIES: readonly Quality[] = ['good', 'good', 'good', 'good', 'fair', 'fair', 'poor', 'bad'];

/**
 * A repeatable Zoom account: the same seed and the same clock give the same sessions.
 * Past sessions fill the last ~7 months (a busier previous month, a few crowded days);
 * a handful of live sessions started in the last hours.
 */
export function generateSessions(seed: number, nowMs: number): SimSession[] {
  const random = mulberry32(seed);
  const today = todayUtc(nowMs);
  const busyMonth = firstOfMonth(addMonths(firstOfMonth(today), -1));
  const busyDays = new Set(Array.from({ length: BUSY_DAYS }, () => addDays(today, -randomInt(random, 1, HISTORY_DAYS))));
  const ids = new SessionIds(random);
  const sessions: SimSession[] = [];

  for (let daysAgo = HISTORY_DAYS; daysAgo >= 0; daysAgo--) {
    const day = addDays(today, -daysAgo);
    const [min, max] = busyDays.has(day)
      ? BUSY_DAY_SESSIONS
      : firstOfMonth(day) === busyMonth
        ? BUSY_MONTH_DAY_SESSIONS
        : QUIET_DAY_SESSIONS;
    const count = randomInt(random, min, max);
    const dayStart = parseDay(day) as number;
    let previousStart: number | undefined;
    for (let i = 0; i < count; i++) {
      // Some sessions share a start second, so the tie-break on id is exercised.
      const start =
        previousStart !== undefined && chance(random, 0.05)
          ? previousStart
          : dayStart + randomInt(random, 0, 86_399) * MS_PER_SECOND;
      previousStart = start;
      const seconds = pastDurationSeconds(random);
      const session = makeSession(random, ids.next(), start, seconds);
      // Draw everything first, then drop what has not ended yet: today's data stays tied to the seed.
      if (start + seconds * MS_PER_SECOND <= nowMs) {
        sessions.push({ ...session, end_time: isoSeconds(start + seconds * MS_PER_SECOND) });
      }
    }
  }

  const liveCount = randomInt(random, LIVE_SESSIONS[0], LIVE_SESSIONS[1]);
  for (let i = 0; i < liveCount; i++) {
    const elapsed = randomInt(random, 2 * 60, 5 * 3600);
    const session = makeSession(random, ids.next(i === 0 ? 'leading-slash' : undefined), nowMs - elapsed * MS_PER_SECOND, elapsed);
    // Zoom's docs allow both shapes for a live session, so both appear.
    sessions.push(i % 2 === 0 ? session : { ...session, end_time: '' });
  }

  return crowdSessions(sessions.sort(compareSessions), seed);
}

/** Sessions that get hundreds of participants: every this-many-th ended session (a few per dataset). */
const CROWDED_EVERY = 150;
const CROWDED_USERS = [300, 480] as const;

/**
 * A few ended sessions get hundreds of participants, drawn from a stream of their own so that
 * everything else stays what the seed has always made.
 */
function crowdSessions(sessions: SimSession[], seed: number): SimSession[] {
  const random = mulberry32(seed ^ 0x5eed);
  let ended = 0;
  return sessions.map((session) => {
    if (isLive(session) || ended++ % CROWDED_EVERY !== CROWDED_EVERY - 1) return session;
    return { ...session, user_count: randomInt(random, CROWDED_USERS[0], CROWDED_USERS[1]) };
  });
}

function pastDurationSeconds(random: Random): number {
  const roll = random();
  if (roll < 0.05) return randomInt(random, 10, 120);
  if (roll < 0.85) return randomInt(random, 120, 3599);
  return randomInt(random, 3600, 3 * 3600);
}

function makeSession(random: Random, id: string, startMs: number, seconds: number): SimSession {
  const kind = pick(random, SESSION_KINDS);
  const keyRoll = random();
  const hasVoip = chance(random, 0.9);
  const hasVideo = chance(random, 0.8);
  const hasScreenShare = chance(random, 0.4);
  const session: SimSession = {
    id,
    session_name: kind.name,
    start_time: isoSeconds(startMs),
    duration: formatDuration(seconds),
    user_count: 1 + Math.floor(random() ** 2 * 24),
    has_voip: hasVoip,
    has_video: hasVideo,
    has_screen_share: hasScreenShare,
    has_recording: chance(random, 0.25),
    has_pstn: chance(random, 0.1),
    has_session_summary: chance(random, 0.15),
    session_key: keyRoll < 0.75 ? kind.key : '',
    audio_quality: hasVoip ? pick(random, QUALITIES) : '',
    video_quality: hasVideo ? pick(random, QUALITIES) : '',
    screen_share_quality: hasScreenShare ? pick(random, QUALITIES) : '',
  };
  // A few sessions carry no key at all, as clients may have never set one.
  if (keyRoll > 0.95) delete session.session_key;
  return session;
}

/**
 * Session IDs as Zoom makes them: base64 of 16 bytes. Natural IDs already contain `/`, `+`, `=`;
 * some are forced to start with `/` or hold `//`, the cases that need double encoding in paths (docs/zoom-contract.md §2).
 */
class SessionIds {
  private readonly seen = new Set<string>();
  private count = 0;

  constructor(private readonly random: Random) {}

  next(force?: 'leading-slash' | 'double-slash'): string {
    const n = this.count++;
    const shape = force ?? (n % 211 === 13 ? 'double-slash' : n % 97 === 7 ? 'leading-slash' : undefined);
    for (;;) {
      const bytes = Buffer.from(Array.from({ length: 16 }, () => randomInt(this.random, 0, 255)));
      // In base64, `/` is 63: six set bits at the start of a character.
      if (shape === 'leading-slash') bytes[0] |= 0xfc;
      if (shape === 'double-slash') {
        bytes[3] = 0xff;
        bytes[4] |= 0xf0;
      }
      const id = bytes.toString('base64');
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/** ISO-8601 UTC without milliseconds, as Zoom writes times. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND).toISOString().replace('.000Z', 'Z');
}

/** Zoom's `duration` string: `mm:ss` under an hour, `hh:mm:ss` from an hour (docs/zoom-contract.md §1, H). */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  return hours > 0 ? `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** Used by tests and docs: how many past sessions each month holds. */
export function pastSessionsPerMonth(sessions: readonly SimSession[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const session of sessions) {
    if (isLive(session)) continue;
    const month = sessionDay(session).slice(0, 7);
    counts[month] = (counts[month] ?? 0) + 1;
  }
  return counts;
}
