import type { GovernorStore, LabelUsage, SlotAnswer, SlotRequest } from './governor-store';
import { nextUtcMidnightMs } from '../time/calendar';
import { RateBudget, pacingOf } from './pacing';
import type { RateLabel } from './rate-governor';

interface LabelSlots {
  /** Theoretical arrival time of the next call (GCRA): the burst's end moves with it. */
  nextAt: number;
  pausedUntil: number;
}

/** The governor's slots in this process: one instance, or an instance cut off from Redis. */
export class MemoryGovernorStore implements GovernorStore {
  private readonly labels = new Map<RateLabel, LabelSlots>();
  private daily = { resetAt: 0, used: 0 };

  constructor(private readonly now: () => number) {}

  async reserve(request: SlotRequest): Promise<SlotAnswer> {
    return this.reserveNow(request);
  }

  /** Synchronous, so a fallback can count what the shared store granted. */
  reserveNow({ label, budget, maxWaitMs, dailyLimit }: SlotRequest): SlotAnswer {
    const now = this.now();
    const slots = this.slots(label);
    if (dailyLimit > 0) {
      if (now >= this.daily.resetAt) this.daily = { resetAt: nextUtcMidnightMs(now), used: 0 };
      if (this.daily.used >= dailyLimit) return { granted: false, waitMs: this.daily.resetAt - now, reason: 'daily' };
    }
    const { intervalMs, burst } = pacingOf(budget);
    const slot = Math.max(now, slots.nextAt - (burst - 1) * intervalMs, slots.pausedUntil);
    if (slot - now > maxWaitMs) return { granted: false, waitMs: slot - now, reason: slots.pausedUntil > now ? 'paused' : 'budget' };
    slots.nextAt = Math.max(slots.nextAt, slot) + intervalMs;
    if (dailyLimit > 0) this.daily.used += 1;
    return { granted: true, waitMs: slot - now };
  }

  async pause(label: RateLabel, forMs: number): Promise<void> {
    const slots = this.slots(label);
    slots.pausedUntil = Math.max(slots.pausedUntil, this.now() + forMs);
  }

  async pausedFor(label: RateLabel): Promise<number> {
    return Math.max(0, this.slots(label).pausedUntil - this.now());
  }

  async usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage> {
    const now = this.now();
    const slots = this.slots(label);
    const { intervalMs } = pacingOf(budget);
    return {
      committed: Math.max(0, Math.ceil((slots.nextAt - now) / intervalMs)),
      pausedForMs: Math.max(0, slots.pausedUntil - now),
      dailyUsed: now >= this.daily.resetAt ? 0 : this.daily.used,
    };
  }

  private slots(label: RateLabel): LabelSlots {
    let slots = this.labels.get(label);
    if (!slots) this.labels.set(label, (slots = { nextAt: 0, pausedUntil: 0 }));
    return slots;
  }
}
