import type { ReconcileLease } from './reconcile-lease';

/** Within one process: the lease is a holder and an expiry on the caller's clock. */
export class MemoryReconcileLease implements ReconcileLease {
  private holder: string | null = null;
  private expiresAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    if (this.holder !== null && this.holder !== holder && this.expiresAt > now) return false;
    this.holder = holder;
    this.expiresAt = now + ttlMs;
    return true;
  }

  async release(holder: string): Promise<void> {
    if (this.holder === holder) this.holder = null;
  }
}
