import { readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';

/**
 * One process writes a journal directory: another one rewriting the file (as each does once its
 * journal is empty) would drop the events the first acknowledged. The owner renews its lock this
 * often; a lock not renewed for LOCK_STALE_MS belongs to a process that is gone (on another host,
 * where its pid cannot be asked: a replica rescheduled onto the same volume).
 */
export const LOCK_RENEW_MS = 5_000;
export const LOCK_STALE_MS = 3 * LOCK_RENEW_MS;
const LOCK_FILE = 'webhook-journal.lock';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** A process killed whose parent never reaped it still answers signal 0: Linux says it is a zombie. */
async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return /\) [ZX] /.test(stat);
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as somebody else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !(await isZombie(pid));
}

async function ownerOf(path: string): Promise<LockOwner | null> {
  try {
    const owner: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof owner === 'object' && owner !== null && 'pid' in owner && 'host' in owner && typeof owner.pid === 'number' && typeof owner.host === 'string') return { pid: owner.pid, host: owner.host };
    return null;
  } catch {
    return null;
  }
}

/** The lock this process holds on a journal directory, renewed until released. */
export class JournalLock {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly path: string,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => void this.renew(), LOCK_RENEW_MS);
    this.timer.unref();
  }

  /** Takes the directory's lock, or fails naming the process that holds it. */
  static async take(dir: string, now: () => number): Promise<JournalLock> {
    const path = join(dir, LOCK_FILE);
    const me: LockOwner = { pid: process.pid, host: hostname() };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await writeFile(path, JSON.stringify(me), { flag: 'wx' });
        const lock = new JournalLock(path, now);
        await lock.renew();
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await ownerOf(path);
      const renewedAgoMs = await stat(path).then((info) => now() - info.mtimeMs, () => 0);
      const gone = owner === null || (owner.host === me.host ? owner.pid === me.pid || !(await isAlive(owner.pid)) : renewedAgoMs > LOCK_STALE_MS);
      if (!gone) {
        throw new ConfigError([
          `WEBHOOK_JOURNAL_DIR ${dir} is in use by process ${owner.pid} on ${owner.host} (its lock was renewed ${Math.max(0, Math.round(renewedAgoMs / 1_000))} s ago): ` +
            'give each gateway instance a directory of its own',
        ]);
      }
      // Whoever unlinks and then creates it first holds it; the other finds it taken on its second attempt.
      await unlink(path).catch(() => undefined);
    }
    throw new ConfigError([`WEBHOOK_JOURNAL_DIR ${dir} is in use: another process took its lock as this one started`]);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    const owner = await ownerOf(this.path);
    if (owner?.pid === process.pid && owner.host === hostname()) await unlink(this.path).catch(() => undefined);
  }

  /** Renews with the gateway's clock, which the staleness check reads too. */
  private async renew(): Promise<void> {
    const at = new Date(this.now());
    await utimes(this.path, at, at).catch(() => undefined);
  }
}
