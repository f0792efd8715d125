/**
 * Where each client's Zoom calls are counted (its minute and its day): in this process, or in
 * Redis for every instance, so that N instances do not give a client N times its quota.
 * Contract (test/contracts/client-quota-store.contract.ts): a client is granted a call while it
 * has made fewer than `perMinute` in the last minute and fewer than `perDay` today (UTC); a
 * refusal says which period and the wait until it frees; one client's calls never count for another; a
 * call given back (it never reached Zoom) frees its place in the minute it was taken in, and its count in
 * that day, never a place in a later one.
 */

export interface QuotaLimits {
  /** Calls per rolling minute; 0: no such quota. */
  readonly perMinute: number;
  /** Calls per UTC day; 0: no such quota. */
  readonly perDay: number;
}

export type QuotaAnswer =
  | {
      readonly granted: true;
      /** Uncounts this call: the governor refused it, or the answer came from elsewhere, so Zoom never saw it. */
      readonly giveBack: () => Promise<void>;
    }
  | { readonly granted: false; readonly period: 'minute' | 'day'; readonly retryAfterMs: number };

export const CLIENT_QUOTA_WINDOW_MS = 60_000;
/** Clients an instance remembers at once; the least recent is forgotten first (it has spent nothing lately). */
export const CLIENT_QUOTA_MAX_CLIENTS = 10_000;

export interface ClientQuotaStore {
  /**
   * Counts one call for `client` if its quota allows, else says why not. `dayFloor`: calls the caller knows the
   * client made today; a shared count found lower (a Redis that restarted empty) is raised to it.
   */
  take(client: string, limits: QuotaLimits, dayFloor?: number): Promise<QuotaAnswer>;
}
