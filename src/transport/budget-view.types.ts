/**
 * The budget view's wire shape (GET /dashboard/budget.json): the gateway builds it in budget-view.ts
 * and the dashboard reads it (dashboard/src/budget.ts). Types only, importing nothing, so that the
 * dashboard's own compiler checks both sides against this one copy.
 */

export interface LabelBudgetView<Label extends string = string> {
  /** Zoom's rate-limit label, e.g. "resource-intensive". */
  readonly label: Label;
  /** The Zoom endpoints that spend it, in the words of the dashboard's users. */
  readonly spentBy: string;
  readonly limitPerWindow: number;
  readonly windowSeconds: number;
  readonly usedInWindow: number;
  readonly left: number;
  readonly queued: number;
  /** Zoom said 429: nothing of this label goes out for this long. */
  readonly pausedForMs: number;
}

export interface DailyBudgetView {
  readonly limit: number;
  readonly used: number;
  /** ISO 8601, UTC: Zoom resets its daily cap at midnight UTC (docs/zoom-contract.md §5). */
  readonly resetsAt: string;
}

/** The dashboard's budget page: counts only, nothing about credentials or clients. */
export interface BudgetView<Label extends string = string> {
  readonly labels: readonly LabelBudgetView<Label>[];
  /** Zoom's daily cap of Heavy and Resource-intensive calls; null when the gateway counts none. */
  readonly daily: DailyBudgetView | null;
  readonly breaker: string;
}
