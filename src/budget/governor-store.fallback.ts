import type { DailyCount, GovernorStore, LabelUsage, SlotAnswer, SlotRequest, WindowEntry } from './governor-store';
import type { MemoryGovernorStore } from './governor-store.memory';
import { type RateBudget, type RateLabel, countedSpanMs } from './rate-label';
import { sharedOr } from '../redis/shared-or';

export interface SharedGovernorMetrics {
  /** A slot granted by the shared (Redis) store, or by the local one. */
  governorSlot(label: RateLabel, scope: 'shared' | 'local'): void;
  redisFallback(seam: string): void;
}

/**
 * The shared store while Redis answers, and otherwise this process's own store holding only
 * `localShare` of each budget: N isolated instances with a share of 1/N together stay within
 * Zoom's budget. Every slot the shared store grants is also counted locally, so an instance that
 * loses Redis mid-window does not start its local window empty, and the shared daily count is
 * never let fall below what this instance spent today, nor below the shared count it last read
 * (a Redis that restarted empty: together, the instances know what the account spent). Windows
 * likewise: when the shared window is new (its epoch changed) or this instance granted calls alone,
 * it puts its own calls of the window back before the store decides, so the instances together
 * restore what was spent as they ask.
 */
export class SharedGovernorStore implements GovernorStore {
  /** The highest shared daily count read, for the day it belongs to. */
  private dailySeen: DailyCount = { used: 0, resetAt: 0 };
  /** Each label's shared window epoch as last read. */
  private readonly epochs = new Map<RateLabel, string>();
  /** Labels whose window holds calls this instance granted alone, unknown to the shared store. */
  private readonly grantedAlone = new Set<RateLabel>();
  /**
   * Each label's calls of other instances in the shared window as last read: when each leaves the span Zoom may
   * count it in (this host's clock), soonest first.
   */
  private readonly othersUntil = new Map<RateLabel, number[]>();
  /** Tickets of this instance's reservations the shared store is deciding: its own, whatever the window says. */
  private readonly inFlight = new Set<string>();
  /** This instance's own daily count when `dailySeen` was read (what it spent alone since comes on top), and its day then. */
  private ownDailyAtSeen = { used: 0, resetAt: 0 };

  constructor(
    private readonly shared: GovernorStore & {
      isAvailable(): boolean;
      restore(label: RateLabel, budget: RateBudget, entries: readonly WindowEntry[]): Promise<string>;
    },
    private readonly local: MemoryGovernorStore,
    private readonly localShare: number,
    private readonly metrics: SharedGovernorMetrics,
  ) {}

  async reserve(request: SlotRequest): Promise<SlotAnswer> {
    const localRequest = this.localRequest(request);
    if (this.shared.isAvailable()) {
      // Its own until counted locally: a read of the window meanwhile (the watch) must not take it for another's.
      const ownInFlight = this.inFlight.size;
      this.inFlight.add(request.ticket);
      try {
        // This instance's own count carries the day it was counted in (this host's clock); a floor the caller gives is its today.
        const own = this.local.dailyCount();
        const floor = (request.dailyFloor ?? 0) > own.used ? { dailyFloor: request.dailyFloor } : { dailyFloor: own.used, dailyFloorResetAt: own.resetAt };
        const answer = await this.reserveShared({ ...request, ...floor, dailySeen: this.dailySeen }, ownInFlight);
        if (answer.granted) {
          this.metrics.governorSlot(request.label, 'shared');
          // Counted, never refused: the shared store already decided.
          this.local.record(localRequest, answer.waitMs);
        }
        this.noteDaily(answer.daily);
        return answer;
      } catch {
        this.metrics.redisFallback('governor');
      } finally {
        this.inFlight.delete(request.ticket);
      }
    } else {
      this.metrics.redisFallback('governor');
    }
    const answer = this.heldByOthers(request) ?? this.local.reserveNow(localRequest);
    if (answer.granted) {
      this.metrics.governorSlot(request.label, 'local');
      this.grantedAlone.add(request.label);
    }
    return answer;
  }

  /**
   * The shared store's answer, given first, when its window lacks them (lost in an empty restart, or
   * granted here alone), this instance's calls in it: so the instances together restore what was spent.
   * What an instance that has not asked yet spent is not there: the first to ask after a loss may be
   * granted calls the window would refuse once that instance has put its own back (Zoom's 429 then
   * pauses the label for all). No instance is held to less than the shared window allows: a refusal
   * while the account's budget is unused would be the gateway's own.
   */
  private async reserveShared(request: SlotRequest, ownInFlight: number): Promise<SlotAnswer> {
    const { label, budget } = request;
    const ownCalls = this.local.countIn(label, budget);
    // Calls granted alone that have left the window are nothing to put back.
    if (ownCalls === 0) this.grantedAlone.delete(label);
    const answer = await this.reserveWindow(request, ownCalls);
    // This instance's other reservations in flight may be in the window already: they are not another instance's.
    if (answer.windowCalls !== undefined) this.noteOthersCount(label, budget, answer.windowCalls - ownCalls - ownInFlight);
    return answer;
  }

  private async reserveWindow(request: SlotRequest, ownCalls: number): Promise<SlotAnswer> {
    const { label, budget } = request;
    let answer = await this.shared.reserve({ ...request, windowCheck: { epoch: this.epochs.get(label), ownCalls, grantedAlone: this.grantedAlone.has(label) } });
    if (answer.restoreFirst) {
      this.epochs.set(label, await this.shared.restore(label, budget, this.local.entries(label, budget)));
      this.grantedAlone.delete(label);
      answer = await this.shared.reserve({ ...request, windowCheck: { epoch: this.epochs.get(label), ownCalls, grantedAlone: false } });
      // Lost again in between (another restart): decided without them rather than asked a third time.
      if (answer.restoreFirst) answer = await this.shared.reserve(request);
    }
    if (answer.epoch !== undefined) this.epochs.set(label, answer.epoch);
    return answer;
  }

  /** The others' calls as a count (a reservation's answer): those beyond the ones already known are new, and count for a whole span. */
  private noteOthersCount(label: RateLabel, budget: RateBudget, calls: number): void {
    const now = this.local.now();
    const known = (this.othersUntil.get(label) ?? []).filter((until) => until > now);
    for (let added = known.length; added < calls; added += 1) known.push(now + countedSpanMs(budget));
    this.othersUntil.set(label, known.sort((a, b) => a - b));
  }

  /** The others' calls one by one (the window's entries, this instance's own left out): each counts until it leaves the span. */
  private noteOthersEntries(label: RateLabel, budget: RateBudget, entries: readonly WindowEntry[]): void {
    const now = this.local.now();
    const own = new Set([...this.local.entries(label, budget).map((entry) => entry.ticket), ...this.inFlight]);
    const until = entries.filter((entry) => !own.has(entry.ticket)).map((entry) => now - entry.ageMs + countedSpanMs(budget));
    this.othersUntil.set(label, until.filter((at) => at > now).sort((a, b) => a - b));
  }

  /**
   * Deciding alone, this instance's share goes only on top of what Zoom counted already: the calls of other
   * instances the shared window held when this instance last read it (until a span after), and the day's count it
   * last read with what it spent since. A Redis that stalls or goes away right after another instance spent the
   * window would otherwise see a whole local share more sent within it (Zoom answers those 429).
   */
  private heldByOthers({ label, budget, dailyLimit }: SlotRequest): SlotAnswer | undefined {
    const now = this.local.now();
    const others = (this.othersUntil.get(label) ?? []).filter((until) => until > now);
    const over = this.local.countIn(label, budget) + others.length - budget.limit;
    // Full until enough of the others' calls have left the span: the soonest `over + 1` of them.
    if (others.length > 0 && over >= 0) return { granted: false, waitMs: Math.max(1, (others[Math.min(over, others.length - 1)] ?? now) - now), reason: 'window' };
    if (dailyLimit <= 0) return undefined;
    const own = this.local.dailyCount();
    // Days compared on this host's clock alone: the shared count's day is Redis's, whose midnight need not be this host's.
    if (this.ownDailyAtSeen.resetAt === own.resetAt && this.dailySeen.used + own.used - this.ownDailyAtSeen.used >= dailyLimit) {
      return { granted: false, waitMs: own.resetAt - now, reason: 'daily' };
    }
    return undefined;
  }

  async confirm(label: RateLabel, budget: RateBudget, ticket: string): Promise<number> {
    const local = await this.local.confirm(label, this.localBudget(budget), ticket);
    // The shared count decides while Redis answers; the local one only keeps up.
    return this.sharedOrLocal(() => this.shared.confirm(label, budget, ticket), () => local);
  }

  async hold(label: RateLabel, budget: RateBudget, ticket: string): Promise<void> {
    await this.local.hold(label, budget, ticket);
    await this.sharedOrLocal(() => this.shared.hold(label, budget, ticket), () => undefined);
  }

  async settle(label: RateLabel, budget: RateBudget, ticket: string, sent: boolean): Promise<void> {
    await this.local.settle(label, budget, ticket, sent);
    await this.sharedOrLocal(() => this.shared.settle(label, budget, ticket, sent), () => undefined);
  }

  async pause(label: RateLabel, forMs: number): Promise<void> {
    await this.local.pause(label, forMs);
    await this.sharedOrLocal(() => this.shared.pause(label, forMs), () => undefined);
  }

  async pausedFor(label: RateLabel): Promise<number> {
    const local = await this.local.pausedFor(label);
    return this.sharedOrLocal(async () => Math.max(local, await this.shared.pausedFor(label)), () => local);
  }

  /**
   * What the label's window and the day hold. Read from the shared store, it is noted as a reservation's answer is:
   * an instance that only reads (RateGovernor.watch) knows what the others spent should Redis go away.
   */
  usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage> {
    return this.sharedOrLocal(
      async () => {
        const usage = await this.shared.usage(label, budget);
        if (usage.entries !== undefined) this.noteOthersEntries(label, budget, usage.entries);
        // Only a count of this host's own day: near midnight Redis's day and this host's need not be the same.
        if (usage.dailyResetAt !== undefined && usage.dailyResetAt === this.local.dailyCount().resetAt) this.noteDaily({ used: usage.dailyUsed, resetAt: usage.dailyResetAt });
        return usage;
      },
      () => this.local.usage(label, this.localBudget(budget)),
    );
  }

  /** The shared store's answer while Redis answers; the local one when Redis is down or fails the call. */
  private sharedOrLocal<T>(shared: () => Promise<T>, local: () => T | Promise<T>): Promise<T> {
    if (!this.shared.isAvailable()) return Promise.resolve(local());
    return sharedOr(shared, () => this.metrics.redisFallback('governor'), local);
  }

  private noteDaily(daily: DailyCount | undefined): void {
    if (daily === undefined) return;
    const seen = this.dailySeen;
    if (daily.resetAt > seen.resetAt || (daily.resetAt === seen.resetAt && daily.used > seen.used)) {
      this.dailySeen = daily;
      this.ownDailyAtSeen = this.local.dailyCount();
    }
  }

  private localRequest(request: SlotRequest): SlotRequest {
    return {
      ...request,
      budget: this.localBudget(request.budget),
      dailyLimit: request.dailyLimit > 0 ? Math.max(1, Math.floor(request.dailyLimit * this.localShare)) : 0,
    };
  }

  private localBudget(budget: RateBudget): RateBudget {
    return { ...budget, limit: Math.max(1, Math.floor(budget.limit * this.localShare)) };
  }
}
