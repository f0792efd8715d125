import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { failureOf } from '../apollo-failure';
import { FailureNotice } from '../components/failure-notice';
import { StaleBanner } from '../components/stale-banner';
import { isValidRange, liveRange } from '../date-range';
import { formatDateTime, formatDuration, worstQuality } from '../format';
import { DashboardLiveSessionsDocument } from '../generated/graphql';
import { routeParams } from '../routes';

/**
 * The gateway keeps a live page 30 s (CACHE_TTL_LIVE_SECONDS): polling faster would show the same
 * answer, and every dashboard polling at this pace shares one Zoom call per period.
 */
export const LIVE_POLL_MS = 30_000;

function rangeFromHash(hash: string, nowMs: number) {
  const params = routeParams(hash);
  const fallback = liveRange(nowMs);
  const range = { from: params.get('from') ?? fallback.from, to: params.get('to') ?? fallback.to };
  return isValidRange(range) ? range : fallback;
}

export function LivePage() {
  const variables = useMemo(() => rangeFromHash(window.location.hash, Date.now()), []);
  const { data, error, refetch } = useQuery(DashboardLiveSessionsDocument, { variables, pollInterval: LIVE_POLL_MS, notifyOnNetworkStatusChange: false });
  const updatedAt = useMemo(() => (data ? new Date() : undefined), [data]);
  const errorAt = useMemo(() => Date.now(), [error]);
  const edges = data?.sessions.edges ?? [];
  const inSessions = edges.reduce((sum, edge) => sum + edge.node.userCount, 0);
  return (
    <section>
      <h1>Live now</h1>
      <p className="muted" data-testid="live-status">
        {data
          ? `${edges.length} live session${edges.length === 1 ? '' : 's'}, ${inSessions} participant${inSessions === 1 ? '' : 's'} · updated ${updatedAt?.toISOString().slice(11, 19)} UTC, every ${LIVE_POLL_MS / 1000} s`
          : 'Loading…'}
      </p>
      <StaleBanner operationName="DashboardLiveSessions" />
      {error ? <FailureNotice failure={failureOf(error)} startedAt={errorAt} onRetry={() => void refetch().catch(() => undefined)} /> : null}
      <table className="sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Started</th>
            <th className="num">Running for</th>
            <th className="num">Participants</th>
            <th>Quality</th>
          </tr>
        </thead>
        <tbody>
          {edges.map(({ node: session }) => {
            const quality = worstQuality(session.audioQuality, session.videoQuality, session.screenShareQuality);
            const runningSeconds = updatedAt ? Math.max(0, Math.round((updatedAt.getTime() - Date.parse(session.startTime)) / 1000)) : null;
            return (
              <tr key={session.id} data-testid="live-row" data-session-id={session.id}>
                <td>
                  <div className="name">{session.sessionName}</div>
                  {session.sessionKey ? <div className="muted">{session.sessionKey}</div> : null}
                </td>
                <td>{formatDateTime(session.startTime)}</td>
                <td className="num">{formatDuration(runningSeconds)}</td>
                <td className="num">{session.userCount}</td>
                <td>
                  <span className={`quality q-${quality}`}>{quality}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data && edges.length === 0 ? <p className="empty">No session is live right now.</p> : null}
    </section>
  );
}
