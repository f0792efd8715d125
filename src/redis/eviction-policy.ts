/**
 * What Redis does when it is full. Every key the gateway writes has a TTL, so any policy but
 * `noeviction` (allkeys-* and volatile-* alike) may drop live sessions, de-duplication keys,
 * quotas or the shared rate windows without a trace. Under `noeviction` a full Redis refuses
 * writes instead, and each seam falls back as it does when Redis is away (the webhook journal
 * keeps what was acknowledged).
 */
export interface EvictionPolicy {
  readonly policy: string;
  /** Bytes; 0: no limit, so nothing is ever evicted whatever the policy. */
  readonly maxmemory: number;
}

/** The policy in `INFO memory`'s text, or undefined when it does not say (an old or restricted server). */
export function evictionPolicyOf(info: string): EvictionPolicy | undefined {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const policy = field('maxmemory_policy');
  const maxmemory = Number(field('maxmemory'));
  if (policy === undefined || !Number.isFinite(maxmemory)) return undefined;
  return { policy, maxmemory };
}

/** Whether Redis may drop the gateway's keys when full. */
export function mayEvict(eviction: EvictionPolicy): boolean {
  return eviction.maxmemory > 0 && eviction.policy !== 'noeviction';
}
