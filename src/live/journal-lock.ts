import { randomUUID } from 'node:crypto';
import { link, readFile, readlink, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { realTimers } from '../time/timers';

/**
 * One process writes a journal directory: another one rewriting the file (as each does once its
 * journal is empty) would drop the events the first acknowledged. The owner renews its lock this
 * often; an owner on another machine (or in another pid namespace), whose pid cannot be asked, is
 * taken for gone once its lock has not changed for LOCK_STALE_MS (watched with this process's own
 * timer: the two machines' clocks are never compared).
 */
export const LOCK_RENEW_MS = 5_000;
export const LOCK_STALE_MS = 3 * LOCK_RENEW_MS;
const LOCK_FILE = 'webhook-journal.lock';

interface LockOwner {
  readonly token: string;
  readonly pid: number;
  /** The process's start, in clock ticks since boot: a pid reused by another process after a reboot or a wrap is not the owner. */
  readonly started: string;
  /** Host name, boot id and pid namespace: where the pid means the same process as here. */
  readonly machine: string;
  readonly renewals: number;
}

async function procText(path: string): Promise<string> {
  return readFile(path, 'utf8').then((text) => text.trim(), () => '');
}

/** The 22nd field of /proc/<pid>/stat (after the command's parentheses): when the process started; '' where there is no /proc. */
async function startOf(pid: number): Promise<string> {
  const stat = await procText(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

async function thisMachine(): Promise<string> {
  const pidNamespace = await readlink('/proc/self/ns/pid').catch(() => '');
  return `${hostname()} ${await procText('/proc/sys/kernel/random/boot_id')} ${pidNamespace}`;
}

/** Alive: it answers signal 0, is no zombie (killed, and not reaped by its parent), and started when the lock says. */
async function isRunning(owner: LockOwner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it runs, as somebody else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = await procText(`/proc/${owner.pid}/stat`);
  if (/\) [ZX] /.test(stat)) return false;
  return owner.started === '' || (await startOf(owner.pid)) === owner.started;
}

/** The lock's owner; null for a lock that names none (not written by this code); 'missing' when there is no lock. */
async function ownerAt(path: string): Promise<LockOwner | null | 'missing'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    const { token, pid, started, machine, renewals } = owner;
    if (typeof token === 'string' && typeof pid === 'number' && typeof started === 'string' && typeof machine === 'string' && typeof renewals === 'number') return { token, pid, started, machine, renewals };
    return null;
  } catch {
    return null;
  }
}

/** The lock this process holds on a journal directory, renewed until released. */
export class JournalLock {
  private readonly timer: NodeJS.Timeout;
  private renewals = 0;
  private lost = false;

  private constructor(
    private readonly path: string,
    private readonly me: LockOwner,
    private readonly onLost: () => void,
  ) {
    this.timer = setInterval(() => void this.renew(), LOCK_RENEW_MS);
    this.timer.unref();
  }

  /** Takes the directory's lock, or fails naming the process that holds it. `onLost`: another process took it since. */
  static async take(dir: string, onLost: () => void, staleMs = LOCK_STALE_MS): Promise<JournalLock> {
    const path = join(dir, LOCK_FILE);
    const me: LockOwner = { token: randomUUID(), pid: process.pid, started: await startOf(process.pid), machine: await thisMachine(), renewals: 0 };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      // Written whole beside it, then linked into place: a reader never sees a lock half written, and only one link succeeds.
      const draft = `${path}.${me.token}`;
      await writeFile(draft, JSON.stringify(me));
      const linked = await link(draft, path).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          throw error;
        },
      );
      await unlink(draft).catch(() => undefined);
      if (linked) return new JournalLock(path, me, onLost);
      const owner = await ownerAt(path);
      // Moved aside by another starting process this instant: try again.
      if (owner === 'missing') continue;
      if (owner !== null && !(await JournalLock.gone(path, owner, me, staleMs))) {
        throw new ConfigError([`WEBHOOK_JOURNAL_DIR ${dir} is in use by process ${owner.pid} on ${owner.machine.split(' ')[0]}: give each gateway instance a directory of its own`]);
      }
      // Moved aside, then checked: had another process put a fresh lock there meanwhile, it is put back and this start refused.
      const aside = `${path}.${me.token}.stale`;
      if (!(await rename(path, aside).then(() => true, () => false))) continue;
      const moved = await ownerAt(aside);
      const tokenOf = (lock: LockOwner | null | 'missing') => (lock === null || lock === 'missing' ? null : lock.token);
      if (tokenOf(moved) !== tokenOf(owner)) {
        await link(aside, path).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        throw new ConfigError([`WEBHOOK_JOURNAL_DIR ${dir} is in use: another process took its lock as this one started`]);
      }
      await unlink(aside).catch(() => undefined);
    }
    throw new ConfigError([`WEBHOOK_JOURNAL_DIR ${dir} is in use: other processes keep taking its lock`]);
  }

  /** Whether the owner named in the lock is gone: asked on this machine, watched for a renewal elsewhere. */
  private static async gone(path: string, owner: LockOwner, me: LockOwner, staleMs: number): Promise<boolean> {
    // This pid on this machine: a predecessor that died (a container's pid 1 comes back as pid 1), or this very process.
    if (owner.machine === me.machine) return owner.pid === me.pid || !(await isRunning(owner));
    await realTimers.sleep(staleMs);
    const later = await ownerAt(path);
    return later !== null && later !== 'missing' && later.token === owner.token && later.renewals === owner.renewals;
  }

  /** Whether the lock was still this process's at its last renewal. */
  get held(): boolean {
    return !this.lost;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    const owner = await ownerAt(this.path).catch(() => null);
    if (owner !== null && owner !== 'missing' && owner.token === this.me.token) await unlink(this.path).catch(() => undefined);
  }

  /** Rewrites the lock with one more renewal, if it is still this process's; otherwise says it was lost, once. */
  private async renew(): Promise<void> {
    if (this.lost) return;
    let owner = await ownerAt(this.path).catch(() => null);
    // Missing for an instant while a starting process moves it aside to look at it, and puts it back.
    if (owner === 'missing') owner = await realTimers.sleep(200).then(() => ownerAt(this.path).catch(() => null));
    if (owner === null || owner === 'missing' || owner.token !== this.me.token) {
      this.lost = true;
      clearInterval(this.timer);
      this.onLost();
      return;
    }
    this.renewals += 1;
    const draft = `${this.path}.${this.me.token}`;
    await writeFile(draft, JSON.stringify({ ...this.me, renewals: this.renewals }))
      .then(() => rename(draft, this.path))
      .catch(() => undefined);
  }
}
