/** The gateway's budget view (GET /dashboard/budget.json), as src/http/dashboard.routes.ts sends it. */
export interface LabelBudget {
  /** Zoom's rate-limit label, e.g. "resource-intensive". */
  readonly label: string;
  /** The Zoom endpoints that spend it, in the users' words. */
  readonly spentBy: string;
  readonly limitPerWindow: number;
  readonly windowSeconds: number;
  readonly usedInWindow: number;
  readonly left: number;
  readonly queued: number;
  /** Zoom said 429: nothing of this label goes out for this long. */
  readonly pausedForMs: number;
}

export interface DailyBudget {
  readonly limit: number;
  readonly used: number;
  readonly resetsAt: string;
}

export interface BudgetView {
  readonly labels: readonly LabelBudget[];
  /** Zoom's daily cap of Heavy and Resource-intensive calls, once the gateway counts it; null until then. */
  readonly daily: DailyBudget | null;
  readonly breaker: string;
}

export const BUDGET_PATH = '/dashboard/budget.json';

/** Whether nothing of this label can go out now: the friendly "wait" case. */
export function isSpent(budget: LabelBudget): boolean {
  return budget.left <= 0 || budget.pausedForMs > 0;
}

/** Share used, 0..1, for the meter. */
export function usedShare(used: number, limit: number): number {
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, used / limit));
}
