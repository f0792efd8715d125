import { CursorProblem, MessageReader, openCursor, queryFingerprint, sealCursors } from './cursor';

/**
 * Cursors over a session's participants, sealed by the same codec as session cursors (kind byte,
 * tag) so that neither can pass for the other. Stateless: the page a participant came from (its
 * index in the walk and Zoom's token for it), the offset within it, and the participant's id,
 * which re-finds the position when Zoom's token has expired.
 * `[kind 3][session fingerprint: 6][page index: uint16][offset: uint16][flags: next token 1, QoS list 2][page token: uint16
 * length + UTF-8][next page token, if flagged: same][user id: same][tag]`.
 */
export const USER_CURSOR_KIND = 3;
const FINGERPRINT_BYTES = 6;
const FLAG_NEXT_TOKEN = 1;
/** The position is in the session's QoS list (pages of 10), not its participants list (pages of 300). */
const FLAG_QOS_LIST = 2;
const KNOWN_FLAGS = FLAG_NEXT_TOKEN | FLAG_QOS_LIST;
const HEADER_BYTES = 1 + FINGERPRINT_BYTES + 2 + 2 + 1;
const LENGTH_BYTES = 2;

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

function uint16(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`a cursor ${name} is 0 to 65535, not ${value}`);
  return value;
}

function message(position: UserCursorPosition): Buffer {
  const texts = [position.pageToken, ...(position.nextPageToken === undefined ? [] : [position.nextPageToken]), position.userId];
  const lengths = texts.map((text) => uint16(Buffer.byteLength(text), 'text length'));
  const bytes = Buffer.allocUnsafe(HEADER_BYTES + lengths.reduce((sum, length) => sum + LENGTH_BYTES + length, 0));
  bytes[0] = USER_CURSOR_KIND;
  bytes.write(position.scope, 1, FINGERPRINT_BYTES, 'base64url');
  let at = 1 + FINGERPRINT_BYTES;
  at = bytes.writeUInt16BE(uint16(position.pageIndex, 'page index'), at);
  at = bytes.writeUInt16BE(uint16(position.offset, 'offset'), at);
  at = bytes.writeUInt8((position.nextPageToken === undefined ? 0 : FLAG_NEXT_TOKEN) | (position.list === 'qos' ? FLAG_QOS_LIST : 0), at);
  texts.forEach((text, index) => {
    at = bytes.writeUInt16BE(lengths[index], at);
    at += bytes.write(text, at, 'utf8');
  });
  return bytes;
}

export function encodeUserCursors(positions: readonly UserCursorPosition[], key: Buffer): string[] {
  return sealCursors(positions.map(message), key);
}

function parseMessage(bytes: Buffer): UserCursorPosition | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  const scope = bytes.subarray(1, 1 + FINGERPRINT_BYTES).toString('base64url');
  let at = 1 + FINGERPRINT_BYTES;
  const pageIndex = bytes.readUInt16BE(at);
  const offset = bytes.readUInt16BE(at + 2);
  const flags = bytes[at + 4];
  at += 5;
  const reader = new MessageReader(bytes, at);
  const pageToken = reader.text();
  const nextPageToken = flags & FLAG_NEXT_TOKEN ? reader.text() : undefined;
  const userId = reader.text();
  if (pageToken === undefined || userId === undefined || reader.at !== bytes.length || (flags & ~KNOWN_FLAGS) !== 0) return undefined;
  if (flags & FLAG_NEXT_TOKEN && nextPageToken === undefined) return undefined;
  return {
    scope, pageIndex, pageToken, offset, userId,
    ...(nextPageToken === undefined ? {} : { nextPageToken }),
    ...(flags & FLAG_QOS_LIST ? { list: 'qos' as const } : {}),
  };
}

/** The position in a participant cursor, or why it cannot be trusted. Never throws. */
export function decodeUserCursor(cursor: string, key: Buffer): UserCursorPosition | CursorProblem {
  const body = openCursor(cursor, key, USER_CURSOR_KIND);
  return typeof body === 'string' ? body : (parseMessage(body) ?? 'malformed');
}
