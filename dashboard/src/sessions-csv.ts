import { type CsvCell, toCsv } from './csv';
import type { DashboardSessionRowFragment } from './generated/graphql';

/**
 * The rows a session list has loaded, one line each. Times stay as the gateway sent them (ISO 8601,
 * UTC): a file outlives the page's time-zone switch and spreadsheets parse them as they are.
 */
const COLUMNS: readonly (readonly [string, (session: DashboardSessionRowFragment) => CsvCell])[] = [
  ['sessionId', (session) => session.sessionId],
  ['sessionName', (session) => session.sessionName],
  ['sessionKey', (session) => session.sessionKey],
  ['startTime', (session) => session.startTime],
  ['endTime', (session) => session.endTime],
  ['durationSeconds', (session) => session.durationSeconds],
  ['participants', (session) => session.userCount],
  ['participantsNow', (session) => session.participantsNow],
  ['audioQuality', (session) => session.audioQuality],
  ['videoQuality', (session) => session.videoQuality],
  ['screenShareQuality', (session) => session.screenShareQuality],
  ['hasVideo', (session) => session.hasVideo],
  ['hasScreenShare', (session) => session.hasScreenShare],
  ['hasRecording', (session) => session.hasRecording],
  ['hasPstn', (session) => session.hasPstn],
];

export function sessionsCsv(sessions: readonly DashboardSessionRowFragment[]): string {
  return toCsv(
    COLUMNS.map(([name]) => name),
    sessions.map((session) => COLUMNS.map(([, value]) => value(session))),
  );
}

/** e.g. sessions-PAST-2026-10-01-to-2026-10-31.csv */
export function sessionsCsvName(filters: { readonly type: string; readonly from: string; readonly to: string }): string {
  return `sessions-${filters.type}-${filters.from}-to-${filters.to}.csv`;
}
