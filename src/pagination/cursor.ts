import { createHash, timingSafeEqual } from 'node:crypto';
import { remember } from '../remember';
import { dayNumber, dayOfNumber } from '../time/calendar';
import { TAG_BYTES, cursorTags } from './cursor-mac';
import type { CursorPosition, CursorProblem } from './cursor-position';
import { decodeV1Cursor, isV1Cursor } from './cursor-v1';

/**
 * Cursors are stateless: everything needed to continue sits in the cursor, tagged so that a
 * client cannot forge or alter one (a forged page token must never reach Zoom). Any instance
 * holding the same key, after a restart too, can continue from a cursor it did not issue.
 *
 * Format 2 is binary, base64url without padding: a page of 30 edges carries 30 cursors, and in
 * format 1 (JSON, ~125 characters each) they would be a fifth of the response body.
 * `[version 2][query fingerprint: 6][window from, to: days since 1970, uint16 each][offset: uint16]
 * [flags][page token: uint16 length + UTF-8][next page token, if flagged: same][session id:
 * 16 bytes when flagged as canonical base64 of 16 bytes (Zoom's form), else uint16 length +
 * UTF-8][tag: 12 bytes of cursor-mac]`.
 */

/** The first byte of every session cursor of this format; older formats are read by their own module, other kinds use other bytes. */
export const CURSOR_VERSION = 2;
const FINGERPRINT_BYTES = 6;
/** The fingerprint as it appears in a position: base64url of its bytes. */
const FINGERPRINT_CHARS = 8;
/** Every kind's flag: the page's last edge carries the next page's token. */
export const FLAG_NEXT_TOKEN = 1;
const LENGTH_BYTES = 2;
const FLAG_BINARY_ID = 2;
const BINARY_ID_BYTES = 16;
const BINARY_ID_CHARS = 24;
/** Far above any real cursor (two Zoom tokens and an id); a longer string is not decoded at all. */
const MAX_CURSOR_CHARS = 4096;

export type { CursorPosition, CursorProblem };

/** Every request fingerprints its arguments, and dashboards repeat the same few, so fingerprints are remembered rather than hashed per request. */
const FINGERPRINTS_REMEMBERED = 1024;
const fingerprintOf = remember(
  (json: string): string => createHash('sha256').update(json).digest().subarray(0, FINGERPRINT_BYTES).toString('base64url'),
  FINGERPRINTS_REMEMBERED,
);

/** A short, stable fingerprint of the query arguments a cursor is bound to. */
export function queryFingerprint(parts: readonly (string | undefined)[]): string {
  return fingerprintOf(JSON.stringify(parts.map((part) => part ?? null)));
}

/**
 * The layout every kind of cursor message starts with: `[kind][fingerprint: 6][uint16 × n][flags]
 * [page token: uint16 length + UTF-8][next page token, if flagged: same]`, the kind's own fields
 * after it. The kind byte keeps one kind from passing for another (sealCursors tags them alike).
 */
export interface CursorHead {
  readonly kind: number;
  /** base64url of the fingerprint's bytes. */
  readonly fingerprint: string;
  /** The kind's uint16 fields, in order. */
  readonly numbers: readonly number[];
  readonly flags: number;
  readonly pageToken: string;
  readonly nextPageToken?: string;
}

/** Bytes a head takes with its page tokens. */
export function headBytes(head: CursorHead): number {
  const { numbers, pageToken, nextPageToken } = head;
  return 1 + FINGERPRINT_BYTES + 2 * numbers.length + 1 + textBytes(pageToken) + (nextPageToken === undefined ? 0 : textBytes(nextPageToken));
}

/** Bytes a length-prefixed string takes. */
export function textBytes(text: string): number {
  return LENGTH_BYTES + Buffer.byteLength(text);
}

/** Writes the head at the start of `bytes` (FLAG_NEXT_TOKEN set from nextPageToken); returns where the kind's own fields start. */
export function writeHead(bytes: Buffer, head: CursorHead): number {
  bytes[0] = head.kind;
  bytes.write(head.fingerprint, 1, FINGERPRINT_BYTES, 'base64url');
  let at = 1 + FINGERPRINT_BYTES;
  for (const value of head.numbers) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`a cursor field is 0 to 65535, not ${value}`);
    at = bytes.writeUInt16BE(value, at);
  }
  at = bytes.writeUInt8(head.flags | (head.nextPageToken === undefined ? 0 : FLAG_NEXT_TOKEN), at);
  at = writeText(bytes, at, head.pageToken);
  return head.nextPageToken === undefined ? at : writeText(bytes, at, head.nextPageToken);
}

/** Writes a length-prefixed string at `at`; returns the offset after it. */
export function writeText(bytes: Buffer, at: number, text: string): number {
  // The buffer was sized with textBytes: the text's length is what writing it takes, not measured twice.
  const length = bytes.write(text, at + LENGTH_BYTES, 'utf8');
  if (length > 0xffff) throw new RangeError(`a cursor text is at most 65535 bytes, not ${length}`);
  bytes.writeUInt16BE(length, at);
  return at + LENGTH_BYTES + length;
}

/**
 * Reads the length-prefixed UTF-8 strings of a cursor message in order, from `at` on; undefined
 * where a length runs past the end.
 */
class MessageReader {
  constructor(
    private readonly bytes: Buffer,
    public at: number,
  ) {}

  text(): string | undefined {
    const { bytes, at } = this;
    if (at + LENGTH_BYTES > bytes.length) return undefined;
    const length = bytes.readUInt16BE(at);
    if (at + LENGTH_BYTES + length > bytes.length) return undefined;
    this.at = at + LENGTH_BYTES + length;
    return bytes.toString('utf8', this.at - length, this.at);
  }
}

/** A tagged message's head with `count` uint16 fields, and a reader placed after it; undefined when it does not add up. */
export function readHead(bytes: Buffer, count: number): { head: CursorHead; reader: MessageReader } | undefined {
  let at = 1 + FINGERPRINT_BYTES;
  if (bytes.length < at + 2 * count + 1) return undefined;
  const fingerprint = bytes.subarray(1, at).toString('base64url');
  const numbers: number[] = [];
  for (let n = 0; n < count; n += 1, at += 2) numbers.push(bytes.readUInt16BE(at));
  const flags = bytes[at];
  const reader = new MessageReader(bytes, at + 1);
  const pageToken = reader.text();
  const nextPageToken = flags & FLAG_NEXT_TOKEN ? reader.text() : undefined;
  if (pageToken === undefined || (flags & FLAG_NEXT_TOKEN && nextPageToken === undefined)) return undefined;
  const head = { kind: bytes[0], fingerprint, numbers, flags, pageToken };
  return { head: nextPageToken === undefined ? head : { ...head, nextPageToken }, reader };
}

/** Zoom's ids are base64 of 16 bytes; held as those bytes they take 16 bytes instead of 24. */
function isBinaryId(id: string): boolean {
  return id.length === BINARY_ID_CHARS && Buffer.from(id, 'base64').toString('base64') === id;
}

function message(position: CursorPosition): Buffer {
  const { sessionId } = position;
  const binaryId = isBinaryId(sessionId);
  const head: CursorHead = {
    kind: CURSOR_VERSION,
    fingerprint: position.query,
    numbers: [dayNumber(position.windowFrom), dayNumber(position.windowTo), position.offset],
    flags: binaryId ? FLAG_BINARY_ID : 0,
    pageToken: position.pageToken,
    nextPageToken: position.nextPageToken,
  };
  const bytes = Buffer.allocUnsafe(headBytes(head) + (binaryId ? BINARY_ID_BYTES : textBytes(sessionId)));
  let at = writeHead(bytes, head);
  at = binaryId ? at + bytes.write(sessionId, at, 'base64') : writeText(bytes, at, sessionId);
  if (at !== bytes.length) throw new Error(`cursor layout wrote ${at} of ${bytes.length} bytes`);
  return bytes;
}

/**
 * The codec every kind of cursor shares: a message whose first byte names its kind and format,
 * then the tag. Tags of many messages are computed together (see cursor-mac).
 */
export function sealCursors(messages: readonly Buffer[], key: Buffer): string[] {
  const tags = cursorTags(key, messages);
  return messages.map((bytes, index) => Buffer.concat([bytes, tags[index]]).toString('base64url'));
}

/**
 * The message in a sealed cursor of this kind, or why it cannot be trusted. Never throws. A
 * cursor of another kind is malformed here: its first byte, covered by the tag, cannot be changed.
 */
export function openCursor(cursor: string, key: Buffer, kind: number): Buffer | CursorProblem {
  if (cursor.length > MAX_CURSOR_CHARS) return 'malformed';
  const bytes = Buffer.from(cursor, 'base64url');
  // Only the canonical spelling is a cursor: no padding, no stray characters, no spare bits.
  if (bytes.length <= TAG_BYTES || bytes.toString('base64url') !== cursor || bytes[0] !== kind) return 'malformed';
  const body = bytes.subarray(0, bytes.length - TAG_BYTES);
  const [expected] = cursorTags(key, [body]);
  if (!timingSafeEqual(bytes.subarray(bytes.length - TAG_BYTES), expected)) return 'altered';
  return body;
}

/** Cursors for many positions at once. */
export function encodeCursors(positions: readonly CursorPosition[], key: Buffer): string[] {
  return sealCursors(positions.map(message), key);
}

export function encodeCursor(position: CursorPosition, key: Buffer): string {
  return encodeCursors([position], key)[0];
}

/** Reads a tagged, and so trusted, message; undefined when its layout does not add up. */
function parseMessage(bytes: Buffer): CursorPosition | undefined {
  const read = readHead(bytes, 3);
  if (read === undefined || read.head.kind !== CURSOR_VERSION) return undefined;
  const { head, reader } = read;
  let sessionId: string | undefined;
  if (head.flags & FLAG_BINARY_ID) {
    if (reader.at + BINARY_ID_BYTES <= bytes.length) sessionId = bytes.toString('base64', reader.at, (reader.at += BINARY_ID_BYTES));
  } else {
    sessionId = reader.text();
  }
  if (sessionId === undefined || reader.at !== bytes.length) return undefined;
  const [from, to, offset] = head.numbers;
  const position = { query: head.fingerprint, windowFrom: dayOfNumber(from), windowTo: dayOfNumber(to), pageToken: head.pageToken, offset, sessionId };
  return head.nextPageToken === undefined ? position : { ...position, nextPageToken: head.nextPageToken };
}

/** The position in a cursor, or why it cannot be trusted. Never throws. */
export function decodeCursor(cursor: string, key: Buffer): CursorPosition | CursorProblem {
  if (isV1Cursor(cursor)) return decodeV1Cursor(cursor, key, FINGERPRINT_CHARS);
  const body = openCursor(cursor, key, CURSOR_VERSION);
  return typeof body === 'string' ? body : (parseMessage(body) ?? 'malformed');
}
