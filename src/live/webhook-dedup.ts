/**
 * Zoom retries an unacknowledged event at +5, +20 and +60 minutes (docs/zoom-contract.md §6, H):
 * an event's key is remembered past the last retry.
 */
export const DEDUP_TTL_MS = 3 * 60 * 60_000;

/** Remembers which webhook events were already taken, by their de-duplication key. */
export interface WebhookDedup {
  /** True the first time a key is seen within the TTL, false after. */
  firstSeen(key: string): Promise<boolean>;
  /**
   * Lets a key be seen anew: the event that claimed it could not be applied and is kept to be
   * applied later, so it must not pass for a duplicate then. Throws when the key could not be let
   * go (the caller then knows the key is still its own).
   */
  forget(key: string): Promise<void>;
}
