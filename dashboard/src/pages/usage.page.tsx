import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { failureOf } from '../apollo-failure';
import { FailureNotice } from '../components/failure-notice';
import { LineChart } from '../components/line-chart';
import { isValidRange, lastMonth } from '../date-range';
import { DashboardDailyUsageDocument } from '../generated/graphql';
import { routeParams } from '../routes';

interface Range {
  readonly from: string;
  readonly to: string;
}

function rangeFromHash(hash: string, nowMs: number): Range {
  const params = routeParams(hash);
  const fallback = lastMonth(nowMs);
  const range = { from: params.get('from') ?? fallback.from, to: params.get('to') ?? fallback.to };
  return isValidRange(range) ? range : fallback;
}

const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Sessions, participants and minutes per day, as three charts (their scales differ by orders of magnitude). */
export function UsagePage() {
  const [range, setRange] = useState(() => rangeFromHash(window.location.hash, Date.now()));
  const change = (next: Range) => {
    setRange(next);
    // Linkable and kept on reload; replaceState fires no hashchange, so the page is not remounted.
    if (isValidRange(next)) window.history.replaceState(null, '', `#/usage?${new URLSearchParams({ from: next.from, to: next.to }).toString()}`);
  };
  const { data, error, refetch } = useQuery(DashboardDailyUsageDocument, { variables: range, skip: !isValidRange(range) });
  // A wait's countdown runs from when the failure arrived (from 0 it would retry at once, in a loop).
  const errorAt = useMemo(() => Date.now(), [error]);
  const days = data?.dailyUsage ?? [];
  const charts = [
    { name: 'Sessions', values: days.map((day) => ({ x: dayMs(day.date), y: day.sessions })) },
    { name: 'Participants', values: days.map((day) => ({ x: dayMs(day.date), y: day.users })) },
    { name: 'Minutes', values: days.map((day) => ({ x: dayMs(day.date), y: day.sessionMinutes })) },
  ];
  return (
    <section>
      <h1>Usage</h1>
      <div className="filters">
        <label>
          From
          <input type="date" value={range.from} onChange={(event) => change({ ...range, from: event.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={range.to} onChange={(event) => change({ ...range, to: event.target.value })} />
        </label>
      </div>
      {error ? <FailureNotice failure={failureOf(error)} startedAt={errorAt} onRetry={() => void refetch().catch(() => undefined)} /> : null}
      {data
        ? charts.map((chart) => (
            <article key={chart.name} className="card history" data-testid={`usage-${chart.name.toLowerCase()}`}>
              <h2>
                {chart.name} per day <span className="muted">· <span data-testid="total">{chart.values.reduce((sum, point) => sum + point.y, 0)}</span> over {days.length} days</span>
              </h2>
              <LineChart label={`${chart.name} per day`} unit={chart.name.toLowerCase()} formatX={(x) => new Date(x).toISOString().slice(0, 10)} series={[{ name: chart.name, points: chart.values }]} />
            </article>
          ))
        : error
          ? null
          : <p className="muted">Loading…</p>}
    </section>
  );
}
