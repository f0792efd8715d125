import { badUserInput, heavyCapReached } from '../errors';
import { Day, addMonths, dayFromMs, firstOfMonth, historyStart, todayUtc } from '../time/calendar';
import type { ZoomClient } from '../zoom/client';
import type { WireDailyReport } from '../zoom/wire-inside';
import type { ZoomCallObserver, ZoomCaller } from '../budget/zoom-caller';
import { CallBudget, CallCapReached } from './call-budget';
import type { SharedCache } from '../cache/shared-cache';
import { DailyUsage, toDailyUsage } from './daily-usage.type';
import type { InsideFreshness } from './session-ref';

/** The report answers one calendar month per call (`year`, `month`), for the last six months only (docs/zoom-contract.md §2). */
export type DailyReportSource = (year: number, month: number, observer?: ZoomCallObserver) => Promise<WireDailyReport>;

export function zoomDailyReport(client: ZoomClient, caller: ZoomCaller): DailyReportSource {
  return (year, month, observer) => caller.call('getDailyReport', (onWire) => client.getDailyReport(year, month, onWire), observer);
}

export interface DailyUsageRange {
  readonly from: Day;
  readonly to: Day;
  /** First days of the months to ask for, in order. */
  readonly months: readonly Day[];
}

/** Checks the range before any Zoom call; a `to` after today is cut to today. */
export function parseDailyUsageRange(from: Date, to: Date, today: Day): DailyUsageRange {
  const fromDay = dayFromMs(from.getTime());
  const toDay = dayFromMs(to.getTime()) > today ? today : dayFromMs(to.getTime());
  if (fromDay > dayFromMs(to.getTime())) throw badUserInput(`\`from\` (${fromDay}) is after \`to\` (${dayFromMs(to.getTime())}).`, 'from');
  const earliest = historyStart(today);
  if (fromDay < earliest) throw badUserInput(`\`from\` (${fromDay}) is before ${earliest}: Zoom reports the last six months only.`, 'from');
  const months: Day[] = [];
  if (fromDay <= toDay) for (let month = firstOfMonth(fromDay); month <= toDay; month = addMonths(month, 1)) months.push(month);
  return { from: fromDay, to: toDay, months };
}

export interface DailyUsageDeps {
  readonly source: DailyReportSource;
  readonly cache: SharedCache<WireDailyReport>;
  readonly policy: InsideFreshness;
  readonly now: () => number;
}

/** One call per month of the range (cached: a past month for long, this month for seconds), one entry per reported day. */
export async function dailyUsage(range: DailyUsageRange, deps: DailyUsageDeps, budget: CallBudget): Promise<DailyUsage[]> {
  const thisMonth = firstOfMonth(todayUtc(deps.now()));
  const reports = await Promise.all(
    range.months.map((month) =>
      deps.cache.load(JSON.stringify(['daily', month]), (observer) => deps.source(Number(month.slice(0, 4)), Number(month.slice(5, 7)), observer), budget, {
        ttlMs: () => (month < thisMonth ? deps.policy.endedTtlMs : deps.policy.liveTtlMs),
        bytes: (report) => report.bytes,
      }).catch((error: unknown) => {
        throw error instanceof CallCapReached ? heavyCapReached(error.cap) : error;
      }),
    ),
  );
  const seen = new Set<string>();
  return reports
    .flatMap((report) => report.dates)
    .filter((day) => day.date >= range.from && day.date <= range.to && !seen.has(day.date) && seen.add(day.date) !== undefined)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map(toDailyUsage);
}
