import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { failureOf } from '../../src/apollo-failure';
import { FailureNotice } from '../../src/components/failure-notice';
import { isoDay } from '../../src/date-range';
import { formatDateTime } from '../../src/format';
import { LiveNowDocument, LiveSessionEventsDocument } from '../generated/graphql';
import { type LiveSession, applySessionEvent, fromNode } from '../live-events';

/** The live set as of the page's load, then moved by each event, without reloading. */
export function LiveNowPage() {
  const today = isoDay(Date.now());
  const { data, error, refetch } = useQuery(LiveNowDocument, { variables: { from: today, to: today } });
  const [live, setLive] = useState<readonly LiveSession[]>([]);
  const [events, setEvents] = useState(0);
  useEffect(() => {
    if (data) setLive(data.sessions.edges.map((edge) => fromNode(edge.node)));
  }, [data]);
  const subscription = useSubscription(LiveSessionEventsDocument, {
    onData: ({ data: event }) => {
      const next = event.data?.sessionEvents;
      if (!next) return;
      setLive((current) => applySessionEvent(current, next));
      setEvents((count) => count + 1);
    },
  });
  return (
    <section>
      <h1>Live now</h1>
      <p className="muted" data-testid="live-status">
        {subscription.error ? 'Updates paused: reconnecting…' : `${live.length} live session${live.length === 1 ? '' : 's'}, ${events} update${events === 1 ? '' : 's'} received`}
      </p>
      {error ? <FailureNotice failure={failureOf(error)} startedAt={0} onRetry={() => void refetch().catch(() => undefined)} /> : null}
      <table className="sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Started</th>
            <th className="num">In the session now</th>
          </tr>
        </thead>
        <tbody>
          {live.map((session) => (
            <tr key={session.id} data-testid="live-row" data-session-id={session.id}>
              <td>
                <a href={`#/session/${encodeURIComponent(session.id)}?type=LIVE`}>{session.sessionName}</a>
              </td>
              <td>{formatDateTime(session.startTime)}</td>
              <td className="num" data-testid="participants-now">
                {session.participantsNow}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
