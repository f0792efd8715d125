import { nextUtcMidnightMs } from '../time/calendar';
import type { GovernorStore, LabelUsage, SlotAnswer, SlotRequest, WindowEntry } from './governor-store';
import { countedSpanMs } from './rate-label';
import type { RateBudget, RateLabel } from './rate-label';
import { inWindow, nextSlot } from './window';
import { MAX_RETRY_AFTER_MS } from '../zoom/retry-after';

interface Entry {
  at: number;
  ticket: string;
  /** Slotted ahead and not yet gone (confirm lets it go): not a call Zoom may have counted. */
  queued?: boolean;
  /** The reset of the day the call was counted in towards the daily cap, if it was. */
  countedDay?: number;
}

interface LabelWindow {
  /** The calls counted, by send time ascending; slots of queued calls lie ahead of now. */
  log: Entry[];
  pausedUntil: number;
}

function times(window: LabelWindow): number[] {
  return window.log.map((entry) => entry.at);
}

/** Drops the calls no longer counted: the log then holds at most what one span allows. */
function prune(window: LabelWindow, now: number, budget: RateBudget): void {
  const since = now - countedSpanMs(budget);
  let first = 0;
  while (first < window.log.length && window.log[first].at <= since) first += 1;
  if (first > 0) window.log = window.log.slice(first);
}

/** The governor's windows in this process: one instance, or an instance cut off from Redis. */
export class MemoryGovernorStore implements GovernorStore {
  private readonly labels = new Map<RateLabel, LabelWindow>();
  /**
   * Today's count: `used` only grows (floors and shared counts are compared with it), `returned` counts the
   * calls granted and then never sent (refused while queued, or no socket), which Zoom never saw.
   */
  private daily = { resetAt: 0, used: 0, returned: 0 };

  constructor(readonly now: () => number) {}

  async reserve(request: SlotRequest): Promise<SlotAnswer> {
    return this.reserveNow(request);
  }

  /** Synchronous, so a fallback can count what the shared store granted. */
  reserveNow({ label, budget, ticket, maxWaitMs, dailyLimit, dailyFloor }: SlotRequest): SlotAnswer {
    const now = this.now();
    const window = this.window(label);
    const today = this.today(now);
    if (dailyFloor !== undefined) today.used = Math.max(today.used, dailyFloor);
    if (dailyLimit > 0 && today.used - today.returned >= dailyLimit) return { granted: false, waitMs: today.resetAt - now, reason: 'daily' };
    prune(window, now, budget);
    const slot = nextSlot(times(window), now, budget, window.pausedUntil);
    if (slot.at - now > maxWaitMs) return { granted: false, waitMs: slot.at - now, reason: slot.wait === 'none' ? 'window' : slot.wait };
    this.count(window, { at: slot.at, ticket, queued: slot.at > now }, dailyLimit > 0);
    return { granted: true, waitMs: slot.at - now };
  }

  /** Counts a call another store granted, `waitMs` from now, whatever this store's own budget says. */
  record({ label, budget, ticket, dailyLimit }: SlotRequest, waitMs: number): void {
    const now = this.now();
    const window = this.window(label);
    prune(window, now, budget);
    this.today(now);
    this.count(window, { at: now + waitMs, ticket, queued: waitMs > 0 }, dailyLimit > 0);
  }

  async confirm(label: RateLabel, budget: RateBudget, ticket: string): Promise<number> {
    const now = this.now();
    const window = this.window(label);
    prune(window, now, budget);
    const sent = window.log.filter((entry) => entry.ticket !== ticket && entry.at <= now && entry.queued !== true).map((entry) => entry.at);
    const slot = nextSlot(sent, now, budget, window.pausedUntil);
    if (slot.at > now) return slot.at - now;
    const countedDay = window.log.find((entry) => entry.ticket === ticket)?.countedDay;
    window.log = window.log.filter((entry) => entry.ticket !== ticket);
    this.insert(window, { at: now, ticket, countedDay });
    return 0;
  }

  async hold(label: RateLabel, budget: RateBudget, ticket: string): Promise<void> {
    await this.settle(label, budget, ticket, true);
  }

  async settle(label: RateLabel, _budget: RateBudget, ticket: string, sent: boolean): Promise<void> {
    const window = this.window(label);
    // A call settles soon after its slot was taken, so its entry is among the last: search from the end.
    let index = window.log.length - 1;
    while (index >= 0 && window.log[index].ticket !== ticket) index -= 1;
    // Its slot left the span before the call was held (a process that woke late): it is counted from now all the same.
    if (index < 0) {
      if (sent) this.insert(window, { at: this.now(), ticket });
      return;
    }
    const [entry] = window.log.splice(index, 1);
    if (sent) this.insert(window, { at: Math.max(entry.at, this.now()), ticket, countedDay: entry.countedDay });
    // Zoom never saw it: the daily cap gets it back, on the day it was counted in.
    else if (entry.countedDay !== undefined && entry.countedDay === this.today(this.now()).resetAt) this.daily.returned += 1;
  }

  /** How many calls the label's window counts now. */
  countIn(label: RateLabel, budget: RateBudget): number {
    return inWindow(times(this.window(label)), this.now(), budget).length;
  }

  /** The calls counted in the label's window now, for a shared store that lost them or never saw them. */
  entries(label: RateLabel, budget: RateBudget): WindowEntry[] {
    const now = this.now();
    const window = this.window(label);
    prune(window, now, budget);
    return window.log.map((entry) => ({ ticket: entry.ticket, ageMs: now - entry.at }));
  }

  /** Calls counted today towards the daily cap. */
  dailyUsed(): number {
    const today = this.today(this.now());
    return today.used - today.returned;
  }

  /**
   * Today's count with the moment it resets, so that a store on another clock applies it to the same day only:
   * every call granted today, the ones given back included (a floor for a shared count that only grows).
   */
  dailyCount(): { used: number; resetAt: number } {
    const { used, resetAt } = this.today(this.now());
    return { used, resetAt };
  }

  async pause(label: RateLabel, forMs: number): Promise<void> {
    const window = this.window(label);
    window.pausedUntil = Math.max(window.pausedUntil, this.now() + Math.min(MAX_RETRY_AFTER_MS, forMs));
  }

  async pausedFor(label: RateLabel): Promise<number> {
    return Math.max(0, this.window(label).pausedUntil - this.now());
  }

  async usage(label: RateLabel, budget: RateBudget): Promise<LabelUsage> {
    const now = this.now();
    const window = this.window(label);
    return {
      inWindow: this.countIn(label, budget),
      pausedForMs: Math.max(0, window.pausedUntil - now),
      dailyUsed: this.dailyUsed(),
    };
  }

  private count(window: LabelWindow, entry: Entry, daily: boolean): void {
    this.insert(window, daily ? { ...entry, countedDay: this.daily.resetAt } : entry);
    if (daily) this.daily.used += 1;
  }

  private insert(window: LabelWindow, entry: Entry): void {
    // Kept ascending: a slot granted elsewhere, or a call settled, may lie before one queued here.
    let index = window.log.length;
    while (index > 0 && window.log[index - 1].at > entry.at) index -= 1;
    window.log.splice(index, 0, entry);
  }

  private today(now: number): { resetAt: number; used: number; returned: number } {
    if (now >= this.daily.resetAt) this.daily = { resetAt: nextUtcMidnightMs(now), used: 0, returned: 0 };
    return this.daily;
  }

  private window(label: RateLabel): LabelWindow {
    let window = this.labels.get(label);
    if (!window) this.labels.set(label, (window = { log: [], pausedUntil: 0 }));
    return window;
  }
}
