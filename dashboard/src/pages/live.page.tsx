import { useSubscription } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { FailureNotice } from '../components/failure-notice';
import { SessionNameCell, opensSession } from '../components/session-row';
import { formatDateTime, formatDuration, worstQuality } from '../format';
import { DashboardLiveSessionsDocument, DashboardSessionEventsDocument, type DashboardSessionEventsSubscription } from '../generated/graphql';
import { useNow } from '../hooks/now';
import { useTimeZone } from '../hooks/time-zone';
import { liveFailureOf } from '../live-socket';
import { sessionHref } from '../routes';

type SessionEvent = DashboardSessionEventsSubscription['sessionEvents'];

/** Enough to see what just moved a count; the page keeps no more however long it stays open. */
export const ACTIVITY_SHOWN = 8;

/** How often "running for" moves between pushes: the table re-renders, nothing is asked of the gateway. */
const RUNNING_FOR_TICK_MS = 5_000;

const HAPPENED: Record<string, string> = {
  SESSION_STARTED: 'started',
  SESSION_ENDED: 'ended',
  USER_JOINED: 'joined',
  USER_LEFT: 'left',
};

function describe(event: SessionEvent): string {
  const session = event.session?.sessionName ?? event.sessionId;
  return event.user ? `${event.user.name} ${HAPPENED[event.type] ?? event.type} ${session}` : `${session} ${HAPPENED[event.type] ?? event.type}`;
}

/** Why a live session has no count of who is in it now: only the gateway's webhooks give one. */
const NOT_COUNTED = 'Not known: the gateway counts who is in a session from Zoom\'s webhooks, and has none for this one yet.';

/**
 * The live set as the gateway pushes it (`liveSessions`: whole on subscribe, again after each change,
 * coalesced), so counts move without reloading or polling; `sessionEvents` says what moved them.
 */
export function LivePage() {
  const live = useSubscription(DashboardLiveSessionsDocument);
  const [activity, setActivity] = useState<readonly SessionEvent[]>([]);
  useSubscription(DashboardSessionEventsDocument, {
    onData: ({ data }) => {
      const event = data.data?.sessionEvents;
      if (event) setActivity((shown) => [event, ...shown].slice(0, ACTIVITY_SHOWN));
    },
  });
  const errorAt = useMemo(() => Date.now(), [live.error]);
  const sessions = live.data?.liveSessions;
  const inSessions = (sessions ?? []).reduce((sum, session) => sum + (session.participantsNow ?? 0), 0);
  const nowMs = useNow(RUNNING_FOR_TICK_MS);
  const { timeZone } = useTimeZone();
  return (
    <section>
      <h1>Live now</h1>
      <p className="muted" data-testid="live-status">
        {live.error
          ? 'Live updates stopped.'
          : sessions
            ? `${sessions.length} live session${sessions.length === 1 ? '' : 's'}, ${inSessions} participant${inSessions === 1 ? '' : 's'} in them now · pushed by the gateway as they change`
            : 'Connecting…'}
      </p>
      {live.error ? <FailureNotice failure={liveFailureOf(live.error)} startedAt={errorAt} onRetry={() => undefined} /> : null}
      <table className="sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Started</th>
            <th className="num">Running for</th>
            <th className="num">In it now</th>
            <th className="num">Joined</th>
            <th>Quality</th>
          </tr>
        </thead>
        <tbody>
          {(sessions ?? []).map((session) => {
            const quality = worstQuality(session.audioQuality, session.videoQuality, session.screenShareQuality);
            const href = sessionHref(session.sessionId, 'LIVE');
            return (
              <tr key={session.id} data-testid="live-row" data-session-id={session.sessionId} className="opens" onClick={opensSession(href)}>
                <SessionNameCell session={session} href={href} />
                <td data-label="Started">{formatDateTime(session.startTime, timeZone)}</td>
                <td className="num" data-label="Running for">
                  {formatDuration(Math.max(0, Math.round((nowMs - Date.parse(session.startTime)) / 1000)))}
                </td>
                <td className="num" data-label="In it now" data-testid="participants-now" title={session.participantsNow === null ? NOT_COUNTED : undefined}>
                  {session.participantsNow ?? '—'}
                </td>
                <td className="num" data-label="Joined">
                  {session.userCount}
                </td>
                <td data-label="Quality">
                  <span className={`quality q-${quality}`}>{quality}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sessions && sessions.length === 0 ? <p className="empty">No session is live right now.</p> : null}
      {activity.length > 0 ? (
        <ul className="activity" data-testid="live-activity" aria-label="Latest activity">
          {activity.map((event) => (
            <li key={`${event.type}|${event.occurredAt}|${event.sessionId}|${event.user?.id ?? ''}`}>
              <span className="muted">{formatDateTime(event.occurredAt, timeZone)}</span> {describe(event)}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
