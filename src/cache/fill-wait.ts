import type { FillLock, PageStore } from './page-store';

/**
 * How long an instance that lost the fill race waits for the winner's entry before calling Zoom
 * itself: a Zoom call rarely takes longer, and a lost lock costs a second call, never a wrong answer.
 */
export const FILL_LOCK_MS = 3_000;
/** How often a waiting instance looks for the filled entry when no notice can wake it. */
export const FILL_POLL_MS = 20;
/** With notices, a waiter looks again after this long without one anyway (a notice lost while Redis restarts). */
export const FILL_NOTICE_BOUND_MS = 250;

/**
 * Single flight across instances: takes the fill lock, or waits for the instance holding it to
 * store its entry. Undefined when this instance should call Zoom: it got the lock, or the wait ran out.
 */
export async function filledElsewhere<V>(lock: FillLock, store: PageStore<V>, key: string, isFresh: (value: V) => boolean): Promise<V | undefined> {
  if (await lock.tryLock(key, FILL_LOCK_MS)) return undefined;
  const read = () => (store.getShared ? store.getShared(key) : store.get(key)).catch(() => undefined);
  // A wait in real time, as the lock's own expiry in Redis: measured on the monotonic clock.
  const deadline = performance.now() + FILL_LOCK_MS;
  for (let left = FILL_LOCK_MS; left > 0; left = deadline - performance.now()) {
    // Listening before looking: an entry that lands between the two still wakes this waiter.
    const woken = lock.waitForFill(key, Math.min(left, FILL_NOTICE_BOUND_MS));
    const value = await read();
    if (value !== undefined && isFresh(value)) return value;
    await woken;
  }
  return undefined;
}
