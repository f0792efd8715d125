import { nextUtcMidnightMs } from '../time/calendar';
import type { CircuitBreaker } from '../zoom/circuit-breaker';
import type { RateGovernor, RateLabel } from '../budget/rate-governor';
import type { BudgetView } from './budget-view.types';

/** What each label is spent on, in the words of the dashboard's users. */
const SPENT_BY: Readonly<Partial<Record<RateLabel, string>>> = {
  'resource-intensive': 'List sessions',
  heavy: 'Session details, participants, QoS, daily usage',
};

/** The daily cap resets at the next midnight UTC on the clock it is counted on: the governor's real time, not the gateway's `now`. */
export async function budgetView(governor: RateGovernor, breaker: CircuitBreaker): Promise<BudgetView<RateLabel>> {
  const labels = await Promise.all(
    (Object.keys(SPENT_BY) as RateLabel[]).map(async (label) => {
      const state = await governor.snapshot(label);
      return {
        label,
        spentBy: SPENT_BY[label] ?? label,
        limitPerWindow: state.limit,
        windowSeconds: governor.budgetOf(label).windowMs / 1000,
        usedInWindow: state.used,
        left: Math.max(0, state.limit - state.used),
        queued: state.queued,
        pausedForMs: state.pausedForMs,
        dailyUsed: state.dailyUsed,
      };
    }),
  );
  const daily = governor.dailyLimit > 0 ? { limit: governor.dailyLimit, used: labels[0]?.dailyUsed ?? 0, resetsAt: new Date(nextUtcMidnightMs(governor.now())).toISOString() } : null;
  return { labels: labels.map(({ dailyUsed: _shared, ...label }) => label), daily, breaker: breaker.state() };
}
