import type { LabelBudgetView } from '../../src/transport/budget-view.types';

/** The gateway's budget view (GET /dashboard/budget.json), typed by the one copy the gateway builds it with. */
export type { BudgetView, DailyBudgetView, LabelBudgetView } from '../../src/transport/budget-view.types';

export const BUDGET_PATH = '/dashboard/budget.json';

/** Whether nothing of this label can go out now: the friendly "wait" case. */
export function isSpent(budget: LabelBudgetView): boolean {
  return budget.left <= 0 || budget.pausedForMs > 0;
}

/** Share used, 0..1, for the meter. */
export function usedShare(used: number, limit: number): number {
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, used / limit));
}
