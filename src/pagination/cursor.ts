import { KeyObject, createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

/**
 * Cursors are stateless: everything needed to continue sits in the cursor, signed so that a
 * client cannot forge or alter one (a forged page token must never reach Zoom). Any instance
 * holding the same key, after a restart too, can continue from a cursor it did not issue.
 */

/** Bump when the payload changes shape; older cursors are then rejected as unknown. */
export const CURSOR_VERSION = 'v1';
/** 128 bits of HMAC-SHA256: enough against forgery, short enough for URLs. */
const MAC_BYTES = 16;

/** Where an edge sits: which window, which Zoom page, which offset, and which session. */
export interface CursorPosition {
  /** Fingerprint of the query the cursor belongs to (see queryFingerprint). */
  readonly query: string;
  readonly windowFrom: string;
  readonly windowTo: string;
  /** The Zoom token of the page the edge came from; "" for a window's first page. */
  readonly pageToken: string;
  readonly offset: number;
  readonly sessionId: string;
  /** Set on the last edge of a page: that page's next token ("" when the window ends), so continuing needs no re-read. */
  readonly nextPageToken?: string;
}

export type CursorProblem = 'malformed' | 'altered';

type Payload = [string, string, string, string, number, string] | [string, string, string, string, number, string, string];

/** Key objects are imported once, not on every signature. */
const keyObjects = new WeakMap<Buffer, KeyObject>();

function mac(key: Buffer, body: string): Buffer {
  let keyObject = keyObjects.get(key);
  if (!keyObject) keyObjects.set(key, (keyObject = createSecretKey(key)));
  return createHmac('sha256', keyObject).update(`${CURSOR_VERSION}.${body}`).digest().subarray(0, MAC_BYTES);
}

/** A short, stable fingerprint of the query arguments a cursor is bound to. */
export function queryFingerprint(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts.map((part) => part ?? null))).digest('base64url').slice(0, 11);
}

export function encodeCursor(position: CursorPosition, key: Buffer): string {
  const payload: Payload = [position.query, position.windowFrom, position.windowTo, position.pageToken, position.offset, position.sessionId];
  if (position.nextPageToken !== undefined) payload.push(position.nextPageToken);
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${CURSOR_VERSION}.${body}.${mac(key, body).toString('base64url')}`;
}

function isPayload(value: unknown): value is Payload {
  if (!Array.isArray(value) || (value.length !== 6 && value.length !== 7)) return false;
  const [query, from, to, token, offset, id, next] = value as unknown[];
  return (
    typeof query === 'string' && typeof from === 'string' && typeof to === 'string' && typeof token === 'string' &&
    typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && typeof id === 'string' &&
    (next === undefined || typeof next === 'string')
  );
}

/** The position in a cursor, or why it cannot be trusted. Never throws. */
export function decodeCursor(cursor: string, key: Buffer): CursorPosition | CursorProblem {
  const parts = cursor.split('.');
  if (parts.length !== 3 || parts[0] !== CURSOR_VERSION) return 'malformed';
  const [, body, signature] = parts;
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== signature) {
    return 'altered';
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (!isPayload(value)) return 'malformed';
  const [query, windowFrom, windowTo, pageToken, offset, sessionId, nextPageToken] = value;
  return nextPageToken === undefined
    ? { query, windowFrom, windowTo, pageToken, offset, sessionId }
    : { query, windowFrom, windowTo, pageToken, offset, sessionId, nextPageToken };
}
