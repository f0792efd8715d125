import { CursorPosition, decodeCursor, encodeCursor, queryFingerprint } from '../../src/pagination/cursor';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const position: CursorPosition = {
  query: queryFingerprint(['past', '2026-10-01', '2026-10-31', undefined, undefined]),
  windowFrom: '2026-10-01',
  windowTo: '2026-10-31',
  pageToken: 'tok123',
  offset: 6,
  sessionId: '/ab+c==',
};
const CURSOR =
  'v1.WyJ0SjFzTXQxckVEaiIsIjIwMjYtMTAtMDEiLCIyMDI2LTEwLTMxIiwidG9rMTIzIiw2LCIvYWIrYz09Il0.9_YbSqsamexNPxzq2YjdLw';

describe('cursor codec', () => {
  it('pins the v1 format', () => {
    expect(position.query).toBe('tJ1sMt1rEDj');
    expect(encodeCursor(position, key)).toBe(CURSOR);
  });

  it('round-trips, with and without the next page token', () => {
    expect(decodeCursor(CURSOR, key)).toEqual(position);
    const last = { ...position, nextPageToken: '' };
    expect(decodeCursor(encodeCursor(last, key), key)).toEqual(last);
  });

  it('rejects a cursor altered in any byte', () => {
    for (let index = 0; index < CURSOR.length; index += 1) {
      const replacement = CURSOR[index] === 'A' ? 'B' : 'A';
      const altered = `${CURSOR.slice(0, index)}${replacement}${CURSOR.slice(index + 1)}`;
      expect(decodeCursor(altered, key)).toMatch(/^(malformed|altered)$/);
    }
  });

  it('rejects cursors signed with another key, or not cursors at all', () => {
    expect(decodeCursor(CURSOR, Buffer.from('another key, another gateway....'))).toBe('altered');
    expect(decodeCursor('', key)).toBe('malformed');
    expect(decodeCursor('v2.abc.def', key)).toBe('malformed');
    expect(decodeCursor('YXJyYXljb25uZWN0aW9uOjA=', key)).toBe('malformed');
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
