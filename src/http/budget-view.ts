import type { CircuitBreaker } from '../zoom/circuit-breaker';
import type { RateGovernor, RateLabel } from '../zoom/rate-governor';

/** Zoom's labels are budgets per minute (../shared/zoom-api.md §5). */
export const ZOOM_RATE_WINDOW_SECONDS = 60;

/** What each label is spent on, in the words of the dashboard's users. */
const SPENT_BY: Readonly<Partial<Record<RateLabel, string>>> = {
  'resource-intensive': 'List sessions',
  heavy: 'Session details, participants, QoS, daily usage',
};

export interface LabelBudgetView {
  readonly label: RateLabel;
  readonly spentBy: string;
  readonly limitPerWindow: number;
  readonly windowSeconds: number;
  readonly usedInWindow: number;
  readonly left: number;
  readonly queued: number;
  readonly pausedForMs: number;
}

/** The dashboard's budget page: counts only, nothing about credentials or clients. */
export interface BudgetView {
  readonly labels: readonly LabelBudgetView[];
  /** Zoom's daily cap of Heavy and Resource-intensive calls; null while the gateway does not count it. */
  readonly daily: null;
  readonly breaker: string;
}

export function budgetView(governor: RateGovernor, breaker: CircuitBreaker): BudgetView {
  const labels = (Object.keys(SPENT_BY) as RateLabel[]).map((label) => {
    const state = governor.snapshot(label);
    return {
      label,
      spentBy: SPENT_BY[label] ?? label,
      limitPerWindow: state.limit,
      windowSeconds: ZOOM_RATE_WINDOW_SECONDS,
      usedInWindow: state.used,
      left: Math.max(0, state.limit - state.used),
      queued: state.queued,
      pausedForMs: state.pausedForMs,
    };
  });
  return { labels, daily: null, breaker: breaker.state() };
}
