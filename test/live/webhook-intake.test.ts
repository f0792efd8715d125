import pino from 'pino';
import { Registry } from 'prom-client';
import { EventJournal } from '../../src/live/event-journal';
import type { LiveChange } from '../../src/live/live-change';
import { LiveEvent, deduplicationKey, parseZoomEvent } from '../../src/live/live-event';
import { LiveMetrics } from '../../src/live/live-metrics';
import type { ApplyOutcome, LiveState } from '../../src/live/live-state';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { WebhookIntake } from '../../src/live/webhook-intake';
import type { Claim } from '../../src/live/webhook-dedup';
import { CLAIM_TTL_MS } from '../../src/live/webhook-dedup';
import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import type { SimSession } from '../../src/simulator/dataset';
import { sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { until } from '../contracts/event-bus.contract';

const AT = Date.parse('2026-11-20T10:00:00Z');
const SESSION: SimSession = {
  id: 'stalled/one==', session_name: 'Stalled', start_time: '2026-11-20T09:00:00Z', duration: '00:00', user_count: 1,
  has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
  audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
};
const JOIN = userEvent('session.user_joined', SESSION, { id: 'u1', name: 'User one', participant_uuid: 'uuid-u1' }, AT);

/**
 * One instance's connection to a shared state, as the webhook path meets a stalled Redis: while `stalled`, a
 * write runs (the state takes it) but its answer is lost, as a command that timed out and ran all the same.
 */
class StalledView implements LiveState {
  stalled = false;

  constructor(private readonly shared: LiveState) {}

  async apply(event: LiveEvent, writer?: string): Promise<ApplyOutcome> {
    const outcome = await this.shared.apply(event, writer);
    return this.stalled ? { applied: false, session: null, failed: true } : outcome;
  }

  markListed(...args: Parameters<LiveState['markListed']>): Promise<ApplyOutcome> {
    return this.shared.markListed(...args);
  }

  markMissing(...args: Parameters<LiveState['markMissing']>): Promise<ApplyOutcome> {
    return this.shared.markMissing(...args);
  }

  liveSessions(): ReturnType<LiveState['liveSessions']> {
    return this.shared.liveSessions();
  }

  session(sessionId: string): ReturnType<LiveState['session']> {
    return this.shared.session(sessionId);
  }

  participants(sessionId: string): ReturnType<LiveState['participants']> {
    return this.shared.participants(sessionId);
  }

  lostWrites(): Promise<boolean> {
    return this.shared.lostWrites();
  }

  async close(): Promise<void> {}
}

/** A shared state that cannot be reached (every write fails, none runs) until `takes`. */
class NeverTakes extends MemoryLiveState {
  takes = false;

  constructor(now: () => number = () => AT) {
    super(now);
  }

  override async apply(event: LiveEvent, writer?: string): Promise<ApplyOutcome> {
    return this.takes ? super.apply(event, writer) : { applied: false, session: null, failed: true };
  }
}

/** A dedup that fails open while told to (a Redis one wrapped by its fallback: every key free). */
class OpenWhenStalled extends MemoryWebhookDedup {
  constructor(private readonly state: StalledView) {
    super(() => AT);
  }

  override async claim(key: string, writer: string): Promise<Claim> {
    return this.state.stalled ? 'claimed' : super.claim(key, writer);
  }
}

const failOnError = (error: unknown) => {
  throw error;
};

/** One instance's intake on the shared state and dedup, and what it published. */
function instance(state: LiveState, dedup: MemoryWebhookDedup): { intake: WebhookIntake; published: LiveChange[] } {
  const published: LiveChange[] = [];
  const intake = new WebhookIntake({
    state,
    dedup,
    journal: new EventJournal(() => AT),
    publish: async (change) => void published.push(change),
    announced: () => false,
    metrics: new LiveMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
  });
  return { intake, published };
}

describe('webhook intake, when a write to the shared state times out and runs all the same', () => {
  const intakes: WebhookIntake[] = [];
  afterEach(async () => {
    await Promise.all(intakes.splice(0).map((intake) => intake.close()));
  });
  const open = (state: LiveState, dedup: MemoryWebhookDedup) => {
    const made = instance(state, dedup);
    intakes.push(made.intake);
    return made;
  };

  it('publishes the event once, when the retry finds its own write in the state', async () => {
    const state = new StalledView(new MemoryLiveState(() => AT));
    const { intake, published } = open(state, new MemoryWebhookDedup(() => AT));
    state.stalled = true;
    expect(await intake.receive(JOIN)).toBe('kept');
    expect(published).toEqual([]);
    state.stalled = false;
    await until(() => intake.pending === 0);
    expect(published.map((change) => change.type)).toEqual(['USER_JOINED']);
  });

  it('does not publish again a resend of an event it published, taken during the stall', async () => {
    const state = new StalledView(new MemoryLiveState(() => AT));
    const { intake, published } = open(state, new OpenWhenStalled(state));
    expect(await intake.receive(JOIN)).toBe('applied');
    state.stalled = true;
    expect(await intake.receive(JOIN)).toBe('kept');
    state.stalled = false;
    await until(() => intake.pending === 0);
    expect(published).toHaveLength(1);
  });

  it('publishes it once when another instance took a resend of it meanwhile and found this one\'s write', async () => {
    const shared = new MemoryLiveState(() => AT);
    const dedup = new MemoryWebhookDedup(() => AT);
    // B's connection to the state stalls; A's does not.
    const bView = new StalledView(shared);
    const b = open(bView, dedup);
    bView.stalled = true;
    expect(await b.intake.receive(JOIN)).toBe('kept');
    // Between B's retries (250 ms apart, its key let go after each), the same event reaches A: A claims the key
    // and finds B's write.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const a = open(new StalledView(shared), dedup);
    expect(await a.intake.receive(JOIN)).toBe('stale');
    bView.stalled = false;
    await until(() => b.intake.pending === 0);
    expect(a.published).toEqual([]);
    expect(b.published.map((change) => change.type)).toEqual(['USER_JOINED']);
  });
});

describe('webhook intake, when the instance that claimed an event died before writing it', () => {
  it('applies and publishes Zoom\'s resend on another instance, once: the claim alone is no proof the event was taken', async () => {
    const shared = new MemoryLiveState(() => AT);
    const dedup = new MemoryWebhookDedup(() => AT);
    // An instance claimed the event's key and was killed (kill -9) before its write: it answered Zoom nothing.
    const parsed = parseZoomEvent(JOIN);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await dedup.claim(deduplicationKey(parsed), 'killed delivery')).toBe('claimed');
    // Zoom sends it again; it reaches the survivor.
    const survivor = instance(shared, dedup);
    expect(await survivor.intake.receive(JOIN)).toBe('applied');
    expect(await shared.participants(SESSION.id)).toHaveLength(1);
    expect(survivor.published.map((change) => change.type)).toEqual(['USER_JOINED']);
    // A further resend is what the claim says it is: taken already, and not shown twice.
    expect(await survivor.intake.receive(JOIN)).toBe('duplicate');
    expect(survivor.published).toHaveLength(1);
    await survivor.intake.close();
  });

  it('shows a resend past the state\'s 10-minute mark once only, whatever its kind: a recording completed is no news twice', async () => {
    let now = AT;
    const shared = new MemoryLiveState(() => now);
    const dedup = new MemoryWebhookDedup(() => now);
    const { intake, published } = instance(shared, dedup);
    const completed = { ...sessionEvent('session.started', SESSION, AT), event: 'session.recording_completed' };
    expect(await intake.receive(completed)).toBe('applied');
    expect(await intake.receive(JOIN)).toBe('applied');
    // Zoom's retries come at +5, +20 and +60 minutes; the state's marks last 10, a taken event's key 3 hours.
    now += 20 * 60_000;
    expect(await intake.receive(completed)).toBe('duplicate');
    expect(await intake.receive(JOIN)).toBe('duplicate');
    expect(published.map((change) => change.type)).toEqual(['RECORDING_COMPLETED', 'USER_JOINED']);
    await intake.close();
  });
});

describe('webhook intake, for the kinds only the key can tell apart (recording, sharing, alerts)', () => {
  const completed = { ...sessionEvent('session.started', SESSION, AT), event: 'session.recording_completed' };

  it('takes Zoom\'s resend as a duplicate after the state\'s mark is gone, when the event was applied from the journal', async () => {
    let now = AT;
    const state = new NeverTakes(() => now);
    const dedup = new MemoryWebhookDedup(() => now);
    const published: LiveChange[] = [];
    const intake = new WebhookIntake({
      state, dedup, journal: new EventJournal(() => now), publish: async (change) => void published.push(change),
      announced: () => false, metrics: new LiveMetrics(new Registry()), logger: pino({ level: 'silent' }),
    });
    // Redis away: answered 503, applied once it is back.
    expect(await intake.accept(completed, failOnError)).toBe(false);
    state.takes = true;
    await until(() => intake.pending === 0);
    expect(published.map((change) => change.type)).toEqual(['RECORDING_COMPLETED']);
    // Zoom's resend at +20 minutes, past the state's 10-minute mark.
    now += 20 * 60_000;
    expect(await intake.accept(completed, failOnError)).toBe(true);
    expect(published).toHaveLength(1);
    await intake.close();
  });

  it('applies Zoom\'s resend once the claim of an instance that died before its write has run out', async () => {
    let now = AT;
    const dedup = new MemoryWebhookDedup(() => now);
    const parsed = parseZoomEvent(completed);
    if (typeof parsed === 'string') throw new Error(parsed);
    // An instance claimed the key and was killed before its write: it answered Zoom nothing.
    expect(await dedup.claim(deduplicationKey(parsed), 'killed delivery')).toBe('claimed');
    const { intake, published } = instance(new MemoryLiveState(() => now), dedup);
    // The resend is not taken for a duplicate of an event that never landed, nor held ahead of later events: it is
    // not acknowledged (Zoom sends it again), and a join behind it is taken at once.
    expect(await intake.accept(completed, failOnError)).toBe(false);
    expect(intake.pending).toBe(0);
    expect(await intake.receive(JOIN)).toBe('applied');
    now += CLAIM_TTL_MS + 1;
    // Zoom's next resend finds the dead claim run out.
    expect(await intake.accept(completed, failOnError)).toBe(true);
    expect(published.map((change) => change.type)).toEqual(['USER_JOINED', 'RECORDING_COMPLETED']);
    await intake.close();
  });
});

describe('webhook intake answering the route, with no journal file', () => {
  const intakes: WebhookIntake[] = [];
  afterEach(async () => {
    await Promise.all(intakes.splice(0).map((intake) => intake.close()));
  });
  const open = (state: LiveState, journal: EventJournal = new EventJournal(() => AT)) => {
    const published: LiveChange[] = [];
    const intake = new WebhookIntake({
      state, dedup: new MemoryWebhookDedup(() => AT), journal, publish: async (change) => void published.push(change),
      announced: () => false, metrics: new LiveMetrics(new Registry()), logger: pino({ level: 'silent' }),
    });
    intakes.push(intake);
    return { intake, published };
  };

  it('does not acknowledge an event held only in memory, applies it once the state answers, and takes the resend as nothing new', async () => {
    const state = new NeverTakes();
    const { intake, published } = open(state);
    // Waited UNJOURNALLED_WAIT_MS for the state, then refused: Zoom sends it again.
    expect(await intake.accept(JOIN, failOnError)).toBe(false);
    expect(intake.pending).toBe(1);
    // A resend while the state is still away is refused too (its first delivery is only in memory).
    expect(await intake.accept(JOIN, failOnError)).toBe(false);
    state.takes = true;
    await until(() => intake.pending === 0);
    expect(published.map((change) => change.type)).toEqual(['USER_JOINED']);
    expect(await intake.accept(JOIN, failOnError)).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('acknowledges an event the state takes within the wait, once it is taken', async () => {
    const state = new NeverTakes();
    const { intake, published } = open(state);
    setTimeout(() => {
      state.takes = true;
    }, 300);
    expect(await intake.accept(JOIN, failOnError)).toBe(true);
    expect(intake.pending).toBe(0);
    expect(published.map((change) => change.type)).toEqual(['USER_JOINED']);
  });

  it('acknowledges at once what a journal file holds', async () => {
    const written: string[] = [];
    const disk = { keep: async (entry: { key: string }) => void written.push(entry.key), done: () => undefined, close: async () => undefined };
    const { intake } = open(new NeverTakes(), new EventJournal(() => AT, 10, 10, disk));
    expect(await intake.accept(JOIN, failOnError)).toBe(true);
    expect(written).toHaveLength(1);
    expect(intake.pending).toBe(1);
  });
});
