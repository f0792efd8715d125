import type { MouseEvent } from 'react';
import type { DashboardSessionsQuery } from '../generated/graphql';
import { formatDateTime, formatDuration, worstQuality } from '../format';
import { sessionHref } from '../routes';

export type SessionListItem = DashboardSessionsQuery['sessions']['edges'][number]['node'];

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
    <td>
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
  return (
    <tr data-testid="session-row" data-session-id={session.sessionId} className="opens" onClick={opensSession(href)}>
      <SessionNameCell session={session} href={href} />
      <td>{formatDateTime(session.startTime)}</td>
      <td className="num">{session.endTime ? formatDuration(session.durationSeconds) : <span className="live">live</span>}</td>
      <td className="num">{session.userCount}</td>
      <td>
        <span className={`quality q-${quality}`} title={`audio ${session.audioQuality ?? '—'}, video ${session.videoQuality ?? '—'}, share ${session.screenShareQuality ?? '—'}`}>
          {quality}
        </span>
      </td>
      <td className="muted">
        {FEATURES.filter(([field]) => session[field] === true)
          .map(([, label]) => label)
          .join(' · ')}
      </td>
    </tr>
  );
}
