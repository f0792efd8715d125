/**
 * Zoom retries an unacknowledged event at +5, +20 and +60 minutes (docs/zoom-contract.md §6, H):
 * the key of an event taken is remembered past the last retry.
 */
export const DEDUP_TTL_MS = 3 * 60 * 60_000;
/**
 * How long a delivery's claim on a key lasts until the event is taken: an instance killed between
 * its claim and its write answered Zoom nothing, and Zoom's resend, minutes later, must find the key
 * free. Far above one write (REDIS_COMMAND_TIMEOUT_MS is at most 5 s), far below Zoom's first retry.
 */
export const CLAIM_TTL_MS = 60_000;

/**
 * What a delivery finds of its event's key: `claimed`, free (now this delivery's) or already its
 * own; `busy`, another delivery's claim, not yet taken; `taken`, an event the state has.
 */
export type Claim = 'claimed' | 'busy' | 'taken';

/**
 * Remembers which webhook events were taken, by their de-duplication key, so that a repeat is
 * recognised on any instance. A delivery claims the key for a short while (CLAIM_TTL_MS), and the
 * key is held for DEDUP_TTL_MS only once the event is in the state: a claim of a process that died
 * before its write runs out, and does not make Zoom's resend pass for a duplicate.
 */
export interface WebhookDedup {
  /** Claims the key for `writer` (one delivery) unless another delivery's claim or a taken event holds it. */
  claim(key: string, writer: string): Promise<Claim>;
  /** The event is in the state (taken now, or found there): its key is held DEDUP_TTL_MS, whoever claimed it. */
  confirm(key: string): Promise<void>;
  /**
   * Lets `writer`'s claim go: the event could not be applied and is kept to be applied later, so it
   * must not pass for a duplicate then. Leaves another delivery's claim or a taken event alone.
   * Throws when the claim could not be let go (the caller then knows the key is still its own).
   */
  forget(key: string, writer: string): Promise<void>;
}
