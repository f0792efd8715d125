import { createCipheriv, createHmac } from 'node:crypto';
import { CursorPosition, decodeCursor, encodeCursor, encodeCursors, queryFingerprint } from '../../src/pagination/cursor';
import { TAG_BYTES, cursorTags, frame } from '../../src/pagination/cursor-mac';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const position: CursorPosition = {
  query: queryFingerprint(['past', '2026-10-01', '2026-10-31', undefined, undefined]),
  windowFrom: '2026-10-01',
  windowTo: '2026-10-31',
  pageToken: 'tok123',
  offset: 6,
  sessionId: '/ab+c==',
};
const CURSOR = 'ArSdbDLda1D3URUABgAABnRvazEyMwAHL2FiK2M9PYgHYd50riPl4CjMBw';
/** The same position issued before format 2, by the v1 codec. */
const V1_CURSOR = 'v1.WyJ0SjFzTXQxckVEaiIsIjIwMjYtMTAtMDEiLCIyMDI2LTEwLTMxIiwidG9rMTIzIiw2LCIvYWIrYz09Il0.9_YbSqsamexNPxzq2YjdLw';
/** A first-page edge with an id in Zoom's form, the most common cursor. */
const zoomEdge: CursorPosition = { ...position, pageToken: '', offset: 0, sessionId: 'BCt+UK2CEWwJ7acbq5kIqw==' };

describe('cursor codec', () => {
  it('pins format 2', () => {
    expect(position.query).toBe('tJ1sMt1r');
    expect(encodeCursor(position, key)).toBe(CURSOR);
    expect(encodeCursor(zoomEdge, key)).toBe('ArSdbDLda1D3URUAAAIAAAQrflCtghFsCe2nG6uZCKtRTxXQ5cGQv1xOcVo');
  });

  it('round-trips, with and without the next page token, Zoom ids and other ids', () => {
    expect(decodeCursor(CURSOR, key)).toEqual(position);
    const last = { ...position, nextPageToken: '' };
    expect(decodeCursor(encodeCursor(last, key), key)).toEqual(last);
    const boundary = { ...position, pageToken: '', offset: 0, sessionId: '', nextPageToken: 'next-Ω-token' };
    expect(decodeCursor(encodeCursor(boundary, key), key)).toEqual(boundary);
    expect(decodeCursor(encodeCursor(zoomEdge, key), key)).toEqual(zoomEdge);
    // 24 characters that are not canonical base64 stay text.
    const urlSafeId = { ...zoomEdge, sessionId: 'BCt-UK2CEWwJ7acbq5kIqw==' };
    expect(decodeCursor(encodeCursor(urlSafeId, key), key)).toEqual(urlSafeId);
  });

  it('is about half the length of format 1', () => {
    expect(encodeCursor(zoomEdge, key)).toHaveLength(59);
    expect(V1_CURSOR.length).toBeGreaterThan(100);
  });

  it('gives a batch the cursors it gives one at a time', () => {
    const positions = [position, zoomEdge, { ...zoomEdge, offset: 299, nextPageToken: 'a'.repeat(40) }];
    expect(encodeCursors(positions, key)).toEqual(positions.map((one) => encodeCursor(one, key)));
  });

  it('rejects a cursor altered in any character', () => {
    for (const cursor of [CURSOR, encodeCursor(zoomEdge, key)]) {
      for (let index = 0; index < cursor.length; index += 1) {
        const replacement = cursor[index] === 'A' ? 'B' : 'A';
        const altered = `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
        expect(decodeCursor(altered, key)).toMatch(/^(malformed|altered)$/);
      }
    }
  });

  it('rejects cursors signed with another key, cut, padded or not cursors at all', () => {
    expect(decodeCursor(CURSOR, Buffer.from('another key, another gateway....'))).toBe('altered');
    expect(decodeCursor(CURSOR.slice(0, -1), key)).toMatch(/^(malformed|altered)$/);
    expect(decodeCursor(`${CURSOR}A`, key)).toMatch(/^(malformed|altered)$/);
    expect(decodeCursor(`${CURSOR}==`, key)).toBe('malformed');
    expect(decodeCursor('', key)).toBe('malformed');
    expect(decodeCursor('v2.abc.def', key)).toBe('malformed');
    expect(decodeCursor('YXJyYXljb25uZWN0aW9uOjA=', key)).toBe('malformed');
    expect(decodeCursor('A'.repeat(5000), key)).toBe('malformed');
  });

  it('still reads format 1 cursors, so walks in progress survive an upgrade', () => {
    expect(decodeCursor(V1_CURSOR, key)).toEqual(position);
    expect(decodeCursor(V1_CURSOR.replace('9_Yb', '9_Yc'), key)).toBe('altered');
  });

  it('binds to every query argument', () => {
    expect(queryFingerprint(['past', '2026-10-01', '2026-10-31', undefined, undefined])).not.toBe(
      queryFingerprint(['live', '2026-10-01', '2026-10-31', undefined, undefined]),
    );
    expect(queryFingerprint(['past', '2026-10-01', '2026-10-31', 'k', undefined])).not.toBe(
      queryFingerprint(['past', '2026-10-01', '2026-10-31', undefined, 'k']),
    );
  });
});

describe('cursor tags', () => {
  const aesKey = createHmac('sha256', key).update('zoom-gateway cursor mac v2').digest().subarray(0, 16);
  /** CBC-MAC by the book: the last block of AES-CBC with a zero IV over the framed message. */
  const cbcMac = (message: Buffer): Buffer => {
    const cipher = createCipheriv('aes-128-cbc', aesKey, Buffer.alloc(16)).setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(frame(message)), cipher.final()]);
    return encrypted.subarray(encrypted.length - 16, encrypted.length - 16 + TAG_BYTES);
  };

  it('frames a message with its length and pads it to whole blocks', () => {
    expect(frame(Buffer.from('abc')).toString('hex')).toBe('0003616263' + '00'.repeat(11));
    expect(frame(Buffer.alloc(14, 1))).toHaveLength(16);
    expect(frame(Buffer.alloc(15, 1))).toHaveLength(32);
  });

  it('equals CBC-MAC for messages of different lengths computed together', () => {
    const messages = [Buffer.alloc(0), Buffer.from('abc'), Buffer.alloc(14, 7), Buffer.alloc(15, 7), Buffer.alloc(100, 9)];
    expect(cursorTags(key, messages)).toEqual(messages.map(cbcMac));
    expect(cursorTags(key, [Buffer.from('abc')])[0].toString('hex')).toBe('297487a6fb016bb5ca711d1a');
  });
});
