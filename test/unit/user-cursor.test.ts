import { decodeCursor, encodeCursor, queryFingerprint } from '../../src/pagination/cursor';
import { UserCursorPosition, decodeUserCursor, encodeUserCursors, userCursorScope } from '../../src/pagination/user-cursor';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const position: UserCursorPosition = { scope: userCursorScope('/ab+c==', 'past'), pageIndex: 1, pageToken: 'tok123', offset: 6, userId: '16778240' };

describe('participant cursor codec', () => {
  it('pins its format', () => {
    expect(position.scope).toBe('--AQ10u6');
    expect(encodeUserCursors([position], key)).toEqual(['A_vgENdLugABAAYAAAZ0b2sxMjMACDE2Nzc4MjQwM0ZeQFMGb3njUNCr']);
  });

  it('round-trips, with and without the next page token', () => {
    const [plain, last] = encodeUserCursors([position, { ...position, nextPageToken: '' }], key);
    expect(decodeUserCursor(plain, key)).toEqual(position);
    expect(decodeUserCursor(last, key)).toEqual({ ...position, nextPageToken: '' });
    const other = { ...position, pageIndex: 0, pageToken: '', offset: 299, userId: 'Ω', nextPageToken: 'next' };
    expect(decodeUserCursor(encodeUserCursors([other], key)[0], key)).toEqual(other);
  });

  it('binds to the session and its type', () => {
    expect(userCursorScope('/ab+c==', 'live')).not.toBe(position.scope);
    expect(userCursorScope('/ab+d==', 'past')).not.toBe(position.scope);
  });

  it('refuses altered cursors, other keys and other kinds of cursor', () => {
    const [cursor] = encodeUserCursors([position], key);
    const flipped = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    expect(decodeUserCursor(flipped, key)).toBe('altered');
    expect(decodeUserCursor(cursor, Buffer.from('another key of thirty-two bytes!'))).toBe('altered');
    expect(decodeUserCursor(`${cursor}=`, key)).toBe('malformed');
    expect(decodeUserCursor('', key)).toBe('malformed');
    expect(decodeUserCursor('x'.repeat(5000), key)).toBe('malformed');
    // A session cursor is no participant cursor, and the other way round: the kind byte is under the tag.
    const session = encodeCursor({ query: queryFingerprint(['past']), windowFrom: '2026-10-01', windowTo: '2026-10-31', pageToken: '', offset: 0, sessionId: 'x' }, key);
    expect(decodeUserCursor(session, key)).toBe('malformed');
    expect(decodeCursor(cursor, key)).toBe('malformed');
  });
});
