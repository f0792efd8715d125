import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CursorPosition, CursorProblem } from './cursor-position';

/**
 * Reads cursors of the first format (`v1.<base64url JSON>.<HMAC>`), which the gateway reads but does
 * not issue: a client in the middle of a walk across an upgrade keeps going instead of starting over.
 */

const V1_PREFIX = 'v1.';
/** v1 kept 128 bits of HMAC-SHA256. */
const V1_MAC_BYTES = 16;

export const isV1Cursor = (cursor: string): boolean => cursor.startsWith(V1_PREFIX);

type V1Payload = [string, string, string, string, number, string] | [string, string, string, string, number, string, string];

function isV1Payload(value: unknown): value is V1Payload {
  if (!Array.isArray(value) || (value.length !== 6 && value.length !== 7)) return false;
  const [query, from, to, token, offset, id, next] = value as unknown[];
  return (
    typeof query === 'string' && typeof from === 'string' && typeof to === 'string' && typeof token === 'string' &&
    typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && typeof id === 'string' &&
    (next === undefined || typeof next === 'string')
  );
}

/**
 * `fingerprintLength`: v1 held an 11-character query fingerprint; the current one is its prefix,
 * so the position is returned with the fingerprint cut to compare with today's.
 */
export function decodeV1Cursor(cursor: string, key: Buffer, fingerprintLength: number): CursorPosition | CursorProblem {
  const parts = cursor.split('.');
  if (parts.length !== 3) return 'malformed';
  const [, body, signature] = parts;
  const expected = createHmac('sha256', key).update(`v1.${body}`).digest().subarray(0, V1_MAC_BYTES);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== signature) return 'altered';
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (!isV1Payload(value)) return 'malformed';
  const [query, windowFrom, windowTo, pageToken, offset, sessionId, nextPageToken] = value;
  const position = { query: query.slice(0, fingerprintLength), windowFrom, windowTo, pageToken, offset, sessionId };
  return nextPageToken === undefined ? position : { ...position, nextPageToken };
}
