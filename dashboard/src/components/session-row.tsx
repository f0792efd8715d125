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

export function SessionRow({ session }: { readonly session: SessionListItem }) {
  const quality = worstQuality(session.audioQuality, session.videoQuality, session.screenShareQuality);
  const href = sessionHref(session.id, session.endTime ? 'PAST' : 'LIVE');
  return (
    // The whole row opens the session; the name is its link for keyboards and "open in a new tab".
    <tr data-testid="session-row" data-session-id={session.id} className="opens" onClick={(event) => {
      if (!(event.target instanceof Element && event.target.closest('a'))) window.location.hash = href;
    }}>
      <td>
        <a className="name" href={href}>
          {session.sessionName}
        </a>
        {session.sessionKey ? <div className="muted">{session.sessionKey}</div> : null}
      </td>
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
