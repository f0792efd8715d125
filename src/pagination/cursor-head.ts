/**
 * The layout every kind of cursor message starts with: `[kind][fingerprint: 6][uint16 × n][flags]
 * [page token: uint16 length + UTF-8][next page token, if flagged: same]`, the kind's own fields
 * after it. The kind byte keeps one kind from passing for another (cursor.ts seals them alike).
 */
export const FINGERPRINT_BYTES = 6;
/** The page's last edge carries the next page's token. */
export const FLAG_NEXT_TOKEN = 1;
const LENGTH_BYTES = 2;

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
  const length = Buffer.byteLength(text);
  if (length > 0xffff) throw new RangeError(`a cursor text is at most 65535 bytes, not ${length}`);
  at = bytes.writeUInt16BE(length, at);
  return at + bytes.write(text, at, 'utf8');
}

/**
 * Reads the length-prefixed UTF-8 strings of a cursor message in order, from `at` on; undefined
 * where a length runs past the end.
 */
export class MessageReader {
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
