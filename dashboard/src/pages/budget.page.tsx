import { useCallback, useEffect, useState } from 'react';
import { useApiKey } from '../api-key-context';
import { BUDGET_PATH, type BudgetView, isSpent } from '../budget';
import { FailureNotice } from '../components/failure-notice';
import { LineChart } from '../components/line-chart';
import { Meter } from '../components/meter';
import { type Failure, describeFailure, errorsInBody } from '../failure';
import { formatDateTime, formatTimeOfDay, zoneLabel } from '../format';
import { useTimeZone } from '../hooks/time-zone';

/** The budget moves with every Zoom call: a few seconds is fresh enough and costs Zoom nothing. */
export const BUDGET_REFRESH_MS = 3000;
/** The history chart's one line: what the day's cap has counted. */
const DAILY_SERIES = 'Calls today';

/** Two minutes of samples: enough to see a burst and the window letting it go. */
export const BUDGET_HISTORY_SAMPLES = 40;

export interface BudgetSample {
  readonly at: number;
  readonly used: Readonly<Record<string, number>>;
}

function useBudget(apiKey: string | undefined): { view: BudgetView | undefined; history: readonly BudgetSample[]; failure: Failure | undefined; reload: () => void } {
  const [view, setView] = useState<BudgetView | undefined>();
  const [history, setHistory] = useState<readonly BudgetSample[]>([]);
  const [failure, setFailure] = useState<Failure | undefined>();
  const reload = useCallback(() => {
    fetch(BUDGET_PATH, { headers: apiKey ? { 'x-api-key': apiKey } : {}, cache: 'no-store' })
      .then(async (response) => {
        const text = await response.text();
        if (!response.ok) {
          setFailure(describeFailure(errorsInBody(text), response.status));
          return;
        }
        const next = JSON.parse(text) as BudgetView;
        setView(next);
        // Paced calls leave a window's count near 0 between calls; the day's count shows the spending over time.
        setHistory((samples) => [...samples, { at: Date.now(), used: next.daily ? { [DAILY_SERIES]: next.daily.used } : {} }].slice(-BUDGET_HISTORY_SAMPLES));
        setFailure(undefined);
      })
      .catch(() => setFailure(describeFailure([], undefined)));
  }, [apiKey]);
  useEffect(() => {
    reload();
    const timer = window.setInterval(reload, BUDGET_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  return { view, history, failure, reload };
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

export function BudgetPage() {
  const { apiKey } = useApiKey();
  const { view, history, failure, reload } = useBudget(apiKey);
  const { timeZone } = useTimeZone();
  return (
    <section>
      <h1>Zoom budget</h1>
      <p className="muted">What this gateway has spent of the Zoom account's rate limits. Other apps on the same account spend them too, and are not counted here.</p>
      {failure ? <FailureNotice failure={failure} startedAt={0} onRetry={reload} /> : null}
      {view === undefined && !failure ? <p>Loading…</p> : null}
      <div className="budget-grid">
        {view?.labels.map((budget) => (
          <article key={budget.label} className="card" data-testid={`budget-${budget.label}`}>
            <h2>{budget.spentBy}</h2>
            <p className="muted">
              Zoom label “{budget.label}”: {budget.limitPerWindow} call{budget.limitPerWindow === 1 ? '' : 's'} per {budget.windowSeconds === 60 ? 'minute' : `${budget.windowSeconds} s`}
            </p>
            <Meter used={budget.usedInWindow} limit={budget.limitPerWindow} label={budget.spentBy} />
            <p>
              <span data-testid="used">{budget.usedInWindow}</span> of {budget.limitPerWindow} used in the current window, {budget.left} left
              {budget.queued > 0 ? `, ${budget.queued} waiting` : ''}.
            </p>
            {isSpent(budget) ? (
              <div className="notice wait" role="status" data-testid="budget-spent">
                <strong>Used up for now.</strong>{' '}
                {budget.pausedForMs > 0 ? `Zoom asked the gateway to pause these calls for ${seconds(budget.pausedForMs)} s.` : 'It frees up as the window moves on, within a minute.'} Pages
                that need these calls will wait and retry by themselves.
              </div>
            ) : null}
          </article>
        ))}
        {view ? (
          <article className="card" data-testid="budget-daily">
            <h2>Daily cap</h2>
            {view.daily ? (
              <>
                <Meter used={view.daily.used} limit={view.daily.limit} label="Daily cap" />
                <p>
                  {view.daily.used} of {view.daily.limit} Heavy and Resource-intensive calls today; resets {formatDateTime(view.daily.resetsAt, timeZone)}.
                </p>
              </>
            ) : (
              <p className="muted">This gateway does not count Zoom's daily cap of Heavy and Resource-intensive calls yet.</p>
            )}
          </article>
        ) : null}
      </div>
      {view?.daily && history.length > 1 ? (
        <article className="card history" data-testid="budget-history">
          <h2>Heavy and Resource-intensive calls today, as this page watched</h2>
          <LineChart
            label="Zoom calls counted towards the daily cap over time"
            unit="calls today"
            note={`times in ${zoneLabel(timeZone, history[0]?.at ?? 0)}`}
            formatX={(at) => formatTimeOfDay(at, timeZone, true)}
            series={[{ name: DAILY_SERIES, points: history.map((sample) => ({ x: sample.at, y: sample.used[DAILY_SERIES] ?? null })) }]}
          />
        </article>
      ) : null}
      {view ? (
        <p className="muted">
          Zoom circuit breaker: <span data-testid="breaker">{view.breaker}</span>
        </p>
      ) : null}
    </section>
  );
}
