import { CursorHead, CursorProblem, FLAG_NEXT_TOKEN, headBytes, openCursor, queryFingerprint, readHead, sealCursors, textBytes, writeHead, writeText } from './cursor';

/**
 * Cursors over a session's participants, sealed by the same codec as session cursors (kind byte,
 * tag) so that neither can pass for the other. Stateless: the page a participant came from (its
 * index in the walk and Zoom's token for it), the offset within it, and the participant's id,
 * which re-finds the position when Zoom's token has expired.
 * `[kind 3][session fingerprint: 6][page index: uint16][offset: uint16][flags: next token 1, QoS list 2][page token: uint16
 * length + UTF-8][next page token, if flagged: same][user id: same][tag]`.
 */
export const USER_CURSOR_KIND = 3;
/** The position is in the session's QoS list (pages of 10), not its participants list (pages of 300). */
const FLAG_QOS_LIST = 2;
const KNOWN_FLAGS = FLAG_NEXT_TOKEN | FLAG_QOS_LIST;

export interface UserCursorPosition {
  /** The session and type the cursor belongs to (see userCursorScope). */
  readonly scope: string;
  readonly pageIndex: number;
  /** Zoom's token of that page; "" for the first. */
  readonly pageToken: string;
  readonly offset: number;
  readonly userId: string;
  /** On the last edge of a page: the next page's token ("" when the list ends). */
  readonly nextPageToken?: string;
  /** Which of Zoom's two lists of the session's participants the page belongs to; absent: the participants list. */
  readonly list?: 'qos';
}

/** Binds cursors to one session and type: a cursor of another session is refused, not followed. */
export function userCursorScope(sessionId: string, type: string): string {
  return queryFingerprint(['users', sessionId, type]);
}

function message(position: UserCursorPosition): Buffer {
  const head: CursorHead = {
    kind: USER_CURSOR_KIND,
    fingerprint: position.scope,
    numbers: [position.pageIndex, position.offset],
    flags: position.list === 'qos' ? FLAG_QOS_LIST : 0,
    pageToken: position.pageToken,
    nextPageToken: position.nextPageToken,
  };
  const bytes = Buffer.allocUnsafe(headBytes(head) + textBytes(position.userId));
  writeText(bytes, writeHead(bytes, head), position.userId);
  return bytes;
}

export function encodeUserCursors(positions: readonly UserCursorPosition[], key: Buffer): string[] {
  return sealCursors(positions.map(message), key);
}

function parseMessage(bytes: Buffer): UserCursorPosition | undefined {
  const read = readHead(bytes, 2);
  if (read === undefined) return undefined;
  const { head, reader } = read;
  const userId = reader.text();
  if (userId === undefined || reader.at !== bytes.length || (head.flags & ~KNOWN_FLAGS) !== 0) return undefined;
  const [pageIndex, offset] = head.numbers;
  return {
    scope: head.fingerprint, pageIndex, pageToken: head.pageToken, offset, userId,
    ...(head.nextPageToken === undefined ? {} : { nextPageToken: head.nextPageToken }),
    ...(head.flags & FLAG_QOS_LIST ? { list: 'qos' as const } : {}),
  };
}

/** The position in a participant cursor, or why it cannot be trusted. Never throws. */
export function decodeUserCursor(cursor: string, key: Buffer): UserCursorPosition | CursorProblem {
  const body = openCursor(cursor, key, USER_CURSOR_KIND);
  return typeof body === 'string' ? body : (parseMessage(body) ?? 'malformed');
}
