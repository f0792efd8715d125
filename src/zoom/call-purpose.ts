import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether the Zoom call under way refreshes a page clients are using (it has a stale copy), so
 * that the governor can keep a share of the budget for it. Carried through the call's async
 * path instead of through every signature between the page cache and the governor.
 */
const refreshing = new AsyncLocalStorage<true>();

export function asRefresh<T>(call: () => Promise<T>): Promise<T> {
  return refreshing.run(true, call);
}

export function isRefresh(): boolean {
  return refreshing.getStore() === true;
}
