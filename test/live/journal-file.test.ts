import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { ConfigError } from '../../src/config';
import { DurableJournal, EventJournal, PendingEvent } from '../../src/live/event-journal';
import { JOURNAL_REWRITE_AFTER_LINES, JournalFile } from '../../src/live/journal-file';
import type { LiveChange } from '../../src/live/live-change';
import { LiveEvent, deduplicationKey, parseZoomEvent } from '../../src/live/live-event';
import { LiveMetrics } from '../../src/live/live-metrics';
import type { ApplyOutcome, LiveState } from '../../src/live/live-state';
import { ENDED_RETENTION_MS } from '../../src/live/live-state';
import { MemoryLiveState } from '../../src/live/live-state.memory';
import { MemoryWebhookDedup } from '../../src/live/webhook-dedup.memory';
import { WebhookIntake } from '../../src/live/webhook-intake';
import type { SimSession } from '../../src/simulator/dataset';
import { userEvent } from '../../src/simulator/webhooks';
import { until } from '../contracts/event-bus.contract';

const AT = Date.parse('2026-11-20T10:00:00Z');
const now = () => AT;
const silent = pino({ level: 'silent' });
const SESSION: SimSession = {
  id: 'journalled/one==', session_name: 'Journalled', start_time: '2026-11-20T09:00:00Z', duration: '00:00', user_count: 1,
  has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
  audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
};

function joinOf(n: number): LiveEvent {
  const event = parseZoomEvent(userEvent('session.user_joined', SESSION, { id: `u${n}`, name: `User ${n}`, participant_uuid: `uuid-${n}` }, AT + n));
  if (typeof event === 'string') throw new Error(event);
  return event;
}

function entryOf(n: number): PendingEvent {
  const event = joinOf(n);
  return { event, key: deduplicationKey(event), writer: `writer-${n}` };
}

const fileIn = (dir: string) => join(dir, 'webhook-journal.jsonl');

describe('the webhook journal on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zoomgw-journal-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the next process what was kept and not done, oldest first, each as a write that may have run', async () => {
    const first = await JournalFile.open(dir, now, silent);
    expect(first.pending).toEqual([]);
    await Promise.all([1, 2, 3].map((n) => first.file.keep(entryOf(n))));
    first.file.done(entryOf(2).key, [entryOf(1), entryOf(3)]);
    await first.file.close();

    const second = await JournalFile.open(dir, now, silent);
    expect(second.pending.map((entry) => entry.event)).toEqual([joinOf(1), joinOf(3)]);
    expect(second.pending.map((entry) => entry.writer)).toEqual(['writer-1', 'writer-3']);
    // After a restart the state decides whether the write ran.
    expect(second.pending.every((entry) => entry.uncertain === true)).toBe(true);
    await second.file.close();
  });

  it('skips a line a crash cut short, and rewrites the file without it', async () => {
    const first = await JournalFile.open(dir, now, silent);
    await first.file.keep(entryOf(1));
    await first.file.close();
    appendFileSync(fileIn(dir), '{"kept":{"event":{"type":"USER_JOI');

    const second = await JournalFile.open(dir, now, silent);
    expect(second.pending.map((entry) => entry.key)).toEqual([entryOf(1).key]);
    expect(readFileSync(fileIn(dir), 'utf8').trim().split('\n')).toHaveLength(1);
    await second.file.close();
  });

  it('is emptied once the journal is, and rewritten with what is pending after JOURNAL_REWRITE_AFTER_LINES', async () => {
    const { file } = await JournalFile.open(dir, now, silent);
    const journal = new EventJournal(now, 10, 10, file);
    await journal.keep(entryOf(1));
    await journal.keep(entryOf(2));
    journal.done();
    journal.done();
    await until(() => readFileSync(fileIn(dir), 'utf8') === '', 2_000);

    // One entry stays pending while many others come and go: the file keeps its size.
    await file.keep(entryOf(0));
    const kept: Promise<void>[] = [];
    for (let n = 1; n <= JOURNAL_REWRITE_AFTER_LINES; n += 1) {
      kept.push(file.keep(entryOf(n)));
      file.done(entryOf(n).key, [entryOf(0)]);
    }
    await Promise.all(kept);
    await file.close();
    const lines = readFileSync(fileIn(dir), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(JOURNAL_REWRITE_AFTER_LINES);
    const reopened = await JournalFile.open(dir, now, silent);
    expect(reopened.pending.map((entry) => entry.key)).toEqual([entryOf(0).key]);
    await reopened.file.close();
  });

  it('is refused while a process elsewhere renews its lock, and taken once that lock stayed unchanged for the stale time', async () => {
    const lock = join(dir, 'webhook-journal.lock');
    const foreign = { token: 'foreign', pid: 4242, started: '1', machine: 'another-host boot pidns', renewals: 0 };
    writeFileSync(lock, JSON.stringify(foreign));
    const renewing = setTimeout(() => writeFileSync(lock, JSON.stringify({ ...foreign, renewals: 1 })), 100);
    const refused = JournalFile.open(dir, now, silent, 400);
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/in use by process 4242 on another-host/);
    clearTimeout(renewing);

    const taken = await JournalFile.open(dir, now, silent, 400);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await taken.file.close();
    expect(existsSync(lock)).toBe(false);
  });

  it('is refused while a process on this machine that holds it runs, and taken at once from one that died', async () => {
    const lock = join(dir, 'webhook-journal.lock');
    const { file } = await JournalFile.open(dir, now, silent);
    const mine = JSON.parse(readFileSync(lock, 'utf8')) as { machine: string };
    await file.close();
    // The parent of this test process runs on this machine, in this pid namespace.
    const parentStart = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    writeFileSync(lock, JSON.stringify({ token: 'parent', pid: process.ppid, started: parentStart, machine: mine.machine, renewals: 0 }));
    await expect(JournalFile.open(dir, now, silent)).rejects.toThrow(/in use by process/);
    // The same pid, started at another time: that process is gone, and the pid was given to another one.
    writeFileSync(lock, JSON.stringify({ token: 'reused', pid: process.ppid, started: `${parentStart}0`, machine: mine.machine, renewals: 0 }));
    const taken = await JournalFile.open(dir, now, silent);
    await taken.file.close();
  });

  it('answers a repeat of a kept event only once the first delivery is on disk, and writes it again when the disk refused it', async () => {
    let refusals = 1;
    const writes: string[] = [];
    const disk: DurableJournal = {
      keep: async (entry) => {
        writes.push(entry.key);
        if (refusals-- > 0) throw new Error('ENOSPC');
      },
      done: () => undefined,
      close: async () => undefined,
    };
    const journal = new EventJournal(now, 10, 10, disk);
    await expect(journal.keep(entryOf(1))).rejects.toThrow('ENOSPC');
    // Zoom's resend of it: written again, and only then answered.
    await expect(journal.whenKept(entryOf(1).key)).resolves.toBeUndefined();
    expect(writes).toEqual([entryOf(1).key, entryOf(1).key]);
    await expect(journal.whenKept(entryOf(1).key)).resolves.toBeUndefined();
    expect(writes).toHaveLength(2);
  });

  it('drops, on reading, events older than the state remembers how sessions went', async () => {
    const first = await JournalFile.open(dir, now, silent);
    await first.file.keep(entryOf(1));
    await first.file.close();
    const muchLater = await JournalFile.open(dir, () => AT + ENDED_RETENTION_MS + 60_000, silent);
    expect(muchLater.pending).toEqual([]);
    await muchLater.file.close();
  });

  it('lets the next process publish, once, a join whose write ran although its answer was lost', async () => {
    const shared = new MemoryLiveState(now);
    // The first process: every write runs, no answer comes back (Redis answered too late), and the process dies.
    const lostAnswers: LiveState = Object.assign(Object.create(shared) as LiveState, {
      apply: async (event: LiveEvent, writer?: string): Promise<ApplyOutcome> => {
        await shared.apply(event, writer);
        return { applied: false, session: null, failed: true };
      },
    });
    const dedup = new MemoryWebhookDedup(now);
    const process = (state: LiveState, journal: EventJournal) => {
      const published: LiveChange[] = [];
      const intake = new WebhookIntake({ state, dedup, journal, publish: async (change) => void published.push(change), announced: () => false, metrics: new LiveMetrics(new Registry()), logger: silent });
      return { intake, published };
    };
    const first = await JournalFile.open(dir, now, silent);
    const dying = process(lostAnswers, new EventJournal(now, 10, 10, first.file));
    expect(await dying.intake.receive(userEvent('session.user_joined', SESSION, { id: 'u1', name: 'User 1', participant_uuid: 'uuid-1' }, AT))).toBe('kept');
    expect(dying.published).toEqual([]);
    await dying.intake.close();

    const second = await JournalFile.open(dir, now, silent);
    const journal = new EventJournal(now, 10, 10, second.file);
    journal.restore(second.pending);
    const next = process(shared, journal);
    next.intake.resume();
    await until(() => journal.pendingCount === 0, 5_000);
    expect(next.published.map((change) => change.user?.user.name)).toEqual(['User 1']);
    await next.intake.close();
  });

  it('closes, on a graceful stop, only after the step in flight wrote its done line: the next process shows subscribers nothing twice', async () => {
    const shared = new MemoryLiveState(now);
    let reachable = false;
    const flaky: LiveState = Object.assign(Object.create(shared) as LiveState, {
      apply: async (event: LiveEvent, writer?: string): Promise<ApplyOutcome> => (reachable ? shared.apply(event, writer) : { applied: false, session: null, failed: true }),
    });
    const published: LiveChange[] = [];
    const opened = await JournalFile.open(dir, now, silent);
    const intake = new WebhookIntake({
      state: flaky, dedup: new MemoryWebhookDedup(now), journal: new EventJournal(now, 10, 10, opened.file), announced: () => false, metrics: new LiveMetrics(new Registry()), logger: silent,
      // A slow hand-over to the bus: the stop comes while it runs.
      publish: async (change) => {
        published.push(change);
        await new Promise((resolve) => setTimeout(resolve, 100));
      },
    });
    expect(await intake.receive(userEvent('session.user_joined', SESSION, { id: 'u1', name: 'User 1', participant_uuid: 'uuid-1' }, AT))).toBe('kept');
    reachable = true;
    await until(() => published.length === 1, 5_000);
    await intake.close();
    const reopened = await JournalFile.open(dir, now, silent);
    expect(reopened.pending).toEqual([]);
    await reopened.file.close();
  });
});
