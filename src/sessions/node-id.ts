import type { ZoomSessionType } from '../zoom/client';
import { isLookupableId } from './session-lookup';
import { isWellFormedText } from '../well-formed-text';

/**
 * Relay's global object ids (https://relay.dev/graphql/objectidentification.htm): opaque,
 * unique across types, and enough on their own to find the object again. Like graphql-relay's
 * `toGlobalId`, the type name and its key in base64url, here as a JSON array with a format
 * version, so a Zoom id holding `:` or `/` never splits wrongly and a later format can be told apart.
 *
 *   Session      ["Session", 1, sessionId]
 *   SessionUser  ["SessionUser", 1, "past" | "live", sessionId, userId, joinTime]
 *
 * A session's id is its Zoom id alone: it stays the same when a live session ends (Relay's store
 * keeps one record), and resolving it asks Zoom for `past`, then `live`. A participant's carries
 * the session's type, which every call inside a session needs (docs/zoom-contract.md §2), and its
 * join time, since Zoom's participant id is valid within one session only and a rejoin is a
 * second entry with the same id.
 */
export const NODE_ID_VERSION = 1;

/** Far above any real id (two 24-character Zoom ids and a timestamp): longer input is refused before it is decoded. */
export const MAX_NODE_ID_LENGTH = 2048;

export type NodeKey =
  | { readonly type: 'Session'; readonly sessionId: string }
  | { readonly type: 'SessionUser'; readonly session: { readonly id: string; readonly type: ZoomSessionType }; readonly userId: string; readonly joinTime: string };

export function encodeNodeId(key: NodeKey): string {
  const parts = key.type === 'Session' ? [key.type, NODE_ID_VERSION, key.sessionId] : [key.type, NODE_ID_VERSION, key.session.type, key.session.id, key.userId, key.joinTime];
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const isText = (value: unknown): value is string => typeof value === 'string' && isWellFormedText(value);

/** The key an id names, or why it names none (for the client's error message). Never throws. */
export function decodeNodeId(id: string): NodeKey | string {
  if (id.length === 0 || id.length > MAX_NODE_ID_LENGTH || !BASE64URL.test(id)) return 'it is not an id this gateway issued (not base64url)';
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return 'it is not an id this gateway issued';
  }
  if (!Array.isArray(parts) || parts[1] !== NODE_ID_VERSION) return 'it is not an id this gateway issued, or one of another format version';
  const [type] = parts as unknown[];
  if (type === 'Session' && parts.length === 3 && isLookupableId(parts[2])) return { type, sessionId: parts[2] };
  if (type === 'SessionUser' && parts.length === 6) {
    const [, , sessionType, sessionId, userId, joinTime] = parts as unknown[];
    if ((sessionType === 'past' || sessionType === 'live') && isLookupableId(sessionId) && isText(userId) && userId !== '' && isText(joinTime)) {
      return { type, session: { id: sessionId, type: sessionType }, userId, joinTime };
    }
  }
  return 'it names no Session or SessionUser';
}
