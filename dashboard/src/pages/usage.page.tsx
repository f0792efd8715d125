import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { failureOf } from '../apollo-failure';
import { FailureNotice } from '../components/failure-notice';
import { LineChart } from '../components/line-chart';
import { isValidRange, lastMonth } from '../date-range';
import { DashboardDailyUsageDocument } from '../generated/graphql';

/** Sessions, participants and minutes per day, as three charts (their scales differ by orders of magnitude). */
export function UsagePage() {
  const [range, setRange] = useState(() => lastMonth(Date.now()));
  const { data, error, refetch } = useQuery(DashboardDailyUsageDocument, { variables: range, skip: !isValidRange(range) });
  const days = data?.dailyUsage ?? [];
  const at = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const charts = [
    { name: 'Sessions', values: days.map((day) => ({ x: at(day.date), y: day.sessions })) },
    { name: 'Participants', values: days.map((day) => ({ x: at(day.date), y: day.users })) },
    { name: 'Minutes', values: days.map((day) => ({ x: at(day.date), y: day.sessionMinutes })) },
  ];
  return (
    <section>
      <h1>Usage</h1>
      <div className="filters">
        <label>
          From
          <input type="date" value={range.from} onChange={(event) => setRange({ ...range, from: event.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={range.to} onChange={(event) => setRange({ ...range, to: event.target.value })} />
        </label>
      </div>
      {error ? <FailureNotice failure={failureOf(error)} startedAt={0} onRetry={() => void refetch().catch(() => undefined)} /> : null}
      {charts.map((chart) => (
        <article key={chart.name} className="card history" data-testid={`usage-${chart.name.toLowerCase()}`}>
          <h2>{chart.name} per day</h2>
          <LineChart label={`${chart.name} per day`} unit={chart.name.toLowerCase()} formatX={(x) => new Date(x).toISOString().slice(0, 10)} series={[{ name: chart.name, points: chart.values }]} />
        </article>
      ))}
    </section>
  );
}
