import { FileHandle, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../config';
import type { LiveEvent, LiveUser } from './live-event';
import type { DurableJournal, PendingEvent } from './event-journal';
import { JournalLock, LOCK_STALE_MS } from './journal-lock';
import { ENDED_RETENTION_MS } from './live-state';
import { SessionEventType } from './session-event-type.enum';

/**
 * The journal's events on disk: Zoom never sends again an event answered 200 (docs/zoom-contract.md §6),
 * so an event the gateway keeps while the shared state is away is written here, and synced, before
 * its 200; a gateway that dies before the state takes it applies it when it starts again. Only
 * kept events come here: while Redis answers, nothing is written.
 *
 * One JSON line per change: `{"kept": entry}` when an event is kept, `{"done": key}` when it left
 * the journal. The file is rewritten with what is still pending once the journal is empty, or once
 * this many lines were added: its size is bounded by the journal's own.
 */
export const JOURNAL_REWRITE_AFTER_LINES = 20_000;
const JOURNAL_FILE = 'webhook-journal.jsonl';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}
type Step = { readonly line: string; readonly synced?: Waiter } | { readonly rewrite: readonly PendingEvent[] };

const EVENT_TYPES = new Set<string>(Object.values(SessionEventType));

function textOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isUser(value: unknown): value is LiveUser | null {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  const user = value as Record<string, unknown>;
  return typeof user.id === 'string' && typeof user.name === 'string' && [user.userKey, user.participantUuid, user.joinTime, user.leaveTime, user.leaveReason].every(textOrNull);
}

/** An entry read back from the file, or null for a line a crash cut short or anything else it cannot be. */
function entryOf(value: unknown): PendingEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const { event, key, writer } = value as Record<string, unknown>;
  if (typeof key !== 'string' || typeof writer !== 'string' || typeof event !== 'object' || event === null) return null;
  const fields = event as Record<string, unknown>;
  const valid =
    typeof fields.type === 'string' && EVENT_TYPES.has(fields.type) && typeof fields.ts === 'number' && typeof fields.sessionId === 'string' &&
    [fields.otherSessionId, fields.sessionName, fields.sessionKey, fields.startTime, fields.endTime].every(textOrNull) && isUser(fields.user);
  // Read back, it may have been written to the state already (its write may have run): the state's marks and rules decide.
  return valid ? { event: event as LiveEvent, key, writer, uncertain: true } : null;
}

function lineOf(entry: PendingEvent): string {
  return `${JSON.stringify({ kept: { event: entry.event, key: entry.key, writer: entry.writer } })}\n`;
}

/** The events a journal file still holds, oldest first: kept, and not done since. */
function pendingIn(text: string, logger: Logger): PendingEvent[] {
  const pending = new Map<string, PendingEvent>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const record = JSON.parse(line) as { kept?: unknown; done?: unknown };
      if (typeof record.done === 'string') pending.delete(record.done);
      else {
        const entry = entryOf(record.kept);
        if (entry === null) unreadable += 1;
        else if (!pending.has(entry.key)) pending.set(entry.key, entry);
      }
    } catch {
      unreadable += 1;
    }
  }
  if (unreadable > 0) logger.warn({ unreadable }, 'webhook journal: lines that could not be read were skipped (a write cut short by a crash is never one that was acknowledged)');
  return [...pending.values()];
}

/** A journal file taken by this process, and the entries a previous one left pending in it. */
export interface OpenJournalFile {
  readonly file: JournalFile;
  readonly pending: readonly PendingEvent[];
}

/** The journal's file: appends synced before an acknowledgement, several webhooks' appends in one sync. */
export class JournalFile implements DurableJournal {
  private readonly steps: Step[] = [];
  /** The batch loop while it runs: a step pushed meanwhile is taken by it. */
  private writing: Promise<void> | undefined;
  private pumping = false;
  private linesSinceRewrite = 0;
  private closed = false;

  /** Why nothing can be acknowledged from this file any more: every keep is refused (503: Zoom sends it again). */
  private broken: Error | undefined;
  private lock: JournalLock | undefined;

  /** The journal's file in `dir`. */
  private readonly path: string;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private readonly logger: Logger,
  ) {
    this.path = join(dir, JOURNAL_FILE);
  }

  /**
   * Takes the directory (one process at a time), and reads what a previous process left pending.
   * Entries older than ENDED_RETENTION_MS are dropped: the state has forgotten how their sessions went.
   */
  static async open(dir: string, now: () => number, logger: Logger, lockStaleMs = LOCK_STALE_MS): Promise<OpenJournalFile> {
    try {
      return await JournalFile.take(dir, now, logger, lockStaleMs);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError([`WEBHOOK_JOURNAL_DIR ${dir} cannot be used: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }

  private static async take(dir: string, now: () => number, logger: Logger, lockStaleMs: number): Promise<OpenJournalFile> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, JOURNAL_FILE);
    let file: JournalFile | undefined;
    const lock = await JournalLock.take(dir, () => file?.fail(new Error('another process took the journal directory\'s lock')), lockStaleMs);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const read = pendingIn(text, logger);
    const pending = read.filter((entry) => entry.event.ts >= now() - ENDED_RETENTION_MS);
    if (pending.length < read.length) logger.warn({ dropped: read.length - pending.length }, 'webhook journal: events older than the state remembers sessions were dropped');
    file = new JournalFile(dir, await open(path, 'a'), logger);
    file.lock = lock;
    // Rewritten at once: what a crash cut short, and what was done, are not read again at the next start.
    await file.rewrite(pending);
    return { file, pending };
  }

  /** Resolves once the entry is on disk; rejects when the disk refused it, or the file can no longer be trusted. */
  keep(entry: PendingEvent): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => this.push({ line: lineOf(entry), synced: { resolve, reject } }));
  }

  /**
   * The entry with this key left the journal. Not synced: a line lost to a crash only offers the
   * event once more, which the state finds is nothing new. `pending` is what the journal still holds.
   */
  done(key: string, pending: readonly PendingEvent[]): void {
    this.push({ line: `${JSON.stringify({ done: key })}\n` });
    if (pending.length === 0 || this.linesSinceRewrite >= JOURNAL_REWRITE_AFTER_LINES) {
      this.linesSinceRewrite = 0;
      this.push({ rewrite: [...pending] });
    }
  }

  /** Writes what is queued, lets the directory go. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    await this.handle.close();
    await this.lock?.release();
  }

  private push(step: Step): void {
    if (this.closed) {
      // Only a drain that outlived the close comes here: the entry stays on disk as pending, to be offered again.
      if ('line' in step) step.synced?.reject(new Error('the webhook journal is closed'));
      return;
    }
    this.steps.push(step);
    if ('line' in step) this.linesSinceRewrite += 1;
    if (!this.pumping) {
      this.pumping = true;
      this.writing = this.write();
    }
  }

  /** Takes the queue in batches: every line waiting goes out in one write and one sync. */
  private async write(): Promise<void> {
    for (;;) {
      if (this.steps.length === 0) {
        // In the same turn as this last look at the queue: a step pushed after it starts a new loop.
        this.pumping = false;
        return;
      }
      let lines = '';
      let waiting: Waiter[] = [];
      for (const step of this.steps.splice(0)) {
        if ('line' in step) {
          lines += step.line;
          if (step.synced) waiting.push(step.synced);
          continue;
        }
        await this.append(lines, waiting);
        lines = '';
        waiting = [];
        await this.rewrite(step.rewrite).catch((error: unknown) => this.logger.error({ err: error }, 'webhook journal: the file could not be rewritten; it is appended to still'));
      }
      await this.append(lines, waiting);
    }
  }

  /**
   * One write for these lines, one sync if anyone waits for it; never throws (the waiters hear of a
   * failure). Before a waiter hears it is kept, the file is checked to be still the journal's and the
   * lock still this process's: an acknowledgement never rests on a file another process replaced.
   */
  private async append(lines: string, waiting: readonly Waiter[]): Promise<void> {
    try {
      if (this.broken) throw this.broken;
      if (lines !== '') await this.handle.write(lines);
      if (waiting.length > 0) {
        await this.handle.datasync();
        const [mine, named] = await Promise.all([this.handle.stat(), stat(this.path)]);
        if (mine.ino !== named.ino) this.fail(new Error('the journal file was replaced by another process'));
        if (this.lock?.held === false) this.fail(new Error('another process took the journal directory\'s lock'));
        if (this.broken) throw this.broken;
      }
      for (const waiter of waiting) waiter.resolve();
    } catch (error) {
      this.logger.error({ err: error }, 'webhook journal: an event could not be kept on disk (answered 503: Zoom sends it again)');
      for (const waiter of waiting) waiter.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** From now on nothing is acknowledged from this file; said once. */
  private fail(reason: Error): void {
    if (this.broken) return;
    this.broken = reason;
    this.logger.error({ err: reason }, 'webhook journal: no longer trusted; webhooks that cannot reach the shared state are answered 503 until the gateway restarts');
  }

  /** Replaces the file with these entries alone: written beside it, synced, renamed over it. */
  private async rewrite(pending: readonly PendingEvent[]): Promise<void> {
    const next = `${this.path}.next`;
    const handle = await open(next, 'w');
    try {
      await handle.write(pending.map(lineOf).join(''));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(next, this.path);
    // From the rename on, appends must go to the new file: one that cannot be opened leaves nothing to append to.
    const previous = this.handle;
    try {
      this.handle = await open(this.path, 'a');
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await previous.close().catch(() => undefined);
    // The rename itself is on disk only once the directory is.
    const dir = await open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
  }
}
