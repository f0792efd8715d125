import { useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { failureOf } from '../apollo-failure';
import { FailureNotice } from '../components/failure-notice';
import { LineChart } from '../components/line-chart';
import { formatDateTime, formatDuration, formatTimeOfDay, zoneLabel } from '../format';
import { DashboardSessionDocument, type SessionType } from '../generated/graphql';
import { useTimeZone } from '../hooks/time-zone';
import { QOS_METRICS, type QosMetric, qosSeries } from '../qos-series';

/** Participants per page: each brings its QoS samples, which the cost limit prices. */
export const PARTICIPANTS_PAGE_SIZE = 10;

export function SessionPage({ id, type }: { readonly id: string; readonly type: SessionType }) {
  const [metric, setMetric] = useState<QosMetric>('latencyMs');
  const { data, error, loading, fetchMore, refetch } = useQuery(DashboardSessionDocument, { variables: { id, type, first: PARTICIPANTS_PAGE_SIZE } });
  const [loadingMore, setLoadingMore] = useState(false);
  const { timeZone } = useTimeZone();
  // A wait's countdown runs from when the failure arrived (from 0 it would retry at once, in a loop).
  const errorAt = useMemo(() => Date.now(), [error]);
  const session = data?.session;
  const chosen = QOS_METRICS.find((item) => item.metric === metric) ?? QOS_METRICS[0];

  if (error && !data) return <FailureNotice failure={failureOf(error)} startedAt={errorAt} onRetry={() => void refetch().catch(() => undefined)} />;
  if (loading && !data) return <p>Loading…</p>;
  if (!session) return <p className="empty">Zoom has no session with this id.</p>;
  const users = session.users;
  return (
    <section>
      <h1>{session.sessionName}</h1>
      <dl className="details">
        <dt>Started</dt>
        <dd>{formatDateTime(session.startTime, timeZone)}</dd>
        <dt>Duration</dt>
        <dd>{session.endTime ? formatDuration(session.durationSeconds) : 'live'}</dd>
        <dt>Session number</dt>
        <dd>{session.sessionNumber ?? '—'}</dd>
        <dt>Participants</dt>
        <dd>{session.userCount}</dd>
        <dt>Minutes, all participants</dt>
        <dd>{session.totalMinutes ?? '—'}</dd>
        <dt>Quality (audio, video, share)</dt>
        <dd>{[session.audioQuality, session.videoQuality, session.screenShareQuality].map((quality) => quality || '—').join(', ')}</dd>
      </dl>
      <div className="filters">
        <label>
          Quality metric
          <select value={metric} onChange={(event) => setMetric(QOS_METRICS.find((item) => item.metric === event.target.value)?.metric ?? 'latencyMs')}>
            {QOS_METRICS.map((item) => (
              <option key={item.metric} value={item.metric}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="participants-shown">
          {users.edges.length} participant entr{users.edges.length === 1 ? 'y' : 'ies'} shown{users.pageInfo.hasNextPage ? ', more to load' : ''}
        </span>
      </div>
      {users.edges.map(({ node: user }) => (
        <article key={user.id} className="card participant" data-testid="participant">
          <h2>{user.name}</h2>
          <p className="muted">
            {[user.device, user.os, user.networkType].filter(Boolean).join(' · ')} — joined {formatDateTime(user.joinTime, timeZone)}
            {user.leaveTime ? `, left ${formatDateTime(user.leaveTime, timeZone)}` : ', still here'}
          </p>
          {user.qos && user.qos.samples.length > 0 ? (
            <LineChart
              label={`${chosen.label} of ${user.name}`}
              unit={chosen.unit}
              note={`times in ${zoneLabel(timeZone, Date.parse(session.startTime))}`}
              formatX={(at) => formatTimeOfDay(at, timeZone)}
              series={qosSeries(user.qos.samples, metric)}
            />
          ) : (
            <p className="muted">No quality samples from Zoom.</p>
          )}
        </article>
      ))}
      {users.pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={loadingMore}
          onClick={() => {
            setLoadingMore(true);
            fetchMore({ variables: { after: users.pageInfo.endCursor } })
              .catch(() => undefined)
              .finally(() => setLoadingMore(false));
          }}
        >
          {loadingMore ? 'Loading…' : 'More participants'}
        </button>
      ) : null}
    </section>
  );
}
