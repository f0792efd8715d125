/** What an address past its rate of upgrades is told (with Retry-After). */
export const UPGRADE_RATE_REFUSAL = {
  status: 429,
  code: 'TOO_MANY_REQUESTS',
  message: 'Too many subscription sockets opened from this address without authenticating; retry after Retry-After seconds.',
} as const;

/**
 * Token buckets per client address, for the rate of subscription sockets it opens. A socket takes
 * a token when it arrives and gives it back once it authenticates, so what drains a bucket is
 * sockets that never authenticate: dashboards reconnecting all at once through one proxy keep
 * theirs. Buckets are forgotten once full again; past `maxAddresses` the least recently used goes.
 */
export class UpgradeRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly maxAddresses: number,
    private readonly now: () => number,
  ) {}

  private level(address: string, at: number): number {
    const bucket = this.buckets.get(address);
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.perSecond);
  }

  private set(address: string, tokens: number, at: number): void {
    this.buckets.delete(address);
    if (tokens >= this.burst) return;
    this.buckets.set(address, { tokens, at });
    if (this.buckets.size > this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value as string);
  }

  /** Takes a token; false when the address has none left. */
  take(address: string): boolean {
    const at = this.now();
    const tokens = this.level(address, at);
    if (tokens < 1) return false;
    this.set(address, tokens - 1, at);
    return true;
  }

  giveBack(address: string): void {
    const at = this.now();
    this.set(address, this.level(address, at) + 1, at);
  }

  /** Seconds until the address has a token again. */
  retryAfterSeconds(address: string): number {
    const missing = 1 - this.level(address, this.now());
    return Math.max(1, Math.ceil(missing / this.perSecond));
  }
}
