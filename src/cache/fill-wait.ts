import { setTimeout as sleep } from 'node:timers/promises';
import type { FillLock, PageStore } from './page-store';

/**
 * How long an instance that lost the fill race waits for the winner's entry before calling Zoom
 * itself: a Zoom call rarely takes longer, and a lost lock costs a second call, never a wrong answer.
 */
export const FILL_LOCK_MS = 3_000;
/** How often a waiting instance looks for the filled entry. */
export const FILL_POLL_MS = 20;

/**
 * Single flight across instances: takes the fill lock, or waits for the instance holding it to
 * store its entry. Undefined when this instance should call Zoom: it got the lock, or the wait ran out.
 */
export async function filledElsewhere<V>(lock: FillLock, store: PageStore<V>, key: string, isFresh: (value: V) => boolean): Promise<V | undefined> {
  if (await lock.tryLock(key, FILL_LOCK_MS)) return undefined;
  for (let waited = 0; waited < FILL_LOCK_MS; waited += FILL_POLL_MS) {
    await sleep(FILL_POLL_MS);
    const value = await (store.getShared ? store.getShared(key) : store.get(key)).catch(() => undefined);
    if (value !== undefined && isFresh(value)) return value;
  }
  return undefined;
}
