import type { MouseEvent } from 'react';
import { formatDateTime, formatDuration, worstQuality } from '../format';
import type { DashboardSessionRowFragment } from '../generated/graphql';
import { useTimeZone } from '../hooks/time-zone';
import { sessionHref } from '../routes';

/** A row of the sessions page or of Live now: the same fragment feeds both. */
export type SessionListItem = DashboardSessionRowFragment;

const FEATURES: readonly [keyof SessionListItem, string][] = [
  ['hasVideo', 'video'],
  ['hasScreenShare', 'share'],
  ['hasRecording', 'rec'],
  ['hasPstn', 'phone'],
];

/** The whole row opens the session; the name is its link, for keyboards and "open in a new tab". */
export function opensSession(href: string): (event: MouseEvent<HTMLTableRowElement>) => void {
  return (event) => {
    if (!(event.target instanceof Element && event.target.closest('a'))) window.location.hash = href;
  };
}

export function SessionNameCell({ session, href }: { readonly session: { readonly sessionName: string; readonly sessionKey?: string | null }; readonly href: string }) {
  return (
    <td className="session-name">
      <a className="name" href={href}>
        {session.sessionName}
      </a>
      {session.sessionKey ? <div className="muted">{session.sessionKey}</div> : null}
    </td>
  );
}

export function SessionRow({ session }: { readonly session: SessionListItem }) {
  const quality = worstQuality(session.audioQuality, session.videoQuality, session.screenShareQuality);
  const href = sessionHref(session.sessionId, session.endTime ? 'PAST' : 'LIVE');
  const { timeZone } = useTimeZone();
  return (
    <tr data-testid="session-row" data-session-id={session.sessionId} className="opens" onClick={opensSession(href)}>
      <SessionNameCell session={session} href={href} />
      <td data-label="Started">{formatDateTime(session.startTime, timeZone)}</td>
      <td className="num" data-label="Duration">{session.endTime ? formatDuration(session.durationSeconds) : <span className="live">live</span>}</td>
      <td className="num" data-label="Participants">
        {session.userCount}
      </td>
      <td data-label="Quality">
        <span className={`quality q-${quality}`} title={`audio ${session.audioQuality ?? '—'}, video ${session.videoQuality ?? '—'}, share ${session.screenShareQuality ?? '—'}`}>
          {quality}
        </span>
      </td>
      <td className="muted" data-label="Used">
        {FEATURES.filter(([field]) => session[field] === true)
          .map(([, label]) => label)
          .join(' · ')}
      </td>
    </tr>
  );
}
