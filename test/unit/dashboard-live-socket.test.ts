import { liveFailureOf, reconnectsAfter } from '../../dashboard/src/live-socket';

describe("Live now's socket", () => {
  it('reconnects after a lost network or a restart, never after the gateway refused the key', () => {
    expect(reconnectsAfter({ code: 1006, reason: '' })).toBe(true);
    expect(reconnectsAfter({ code: 1001, reason: 'Going away' })).toBe(true);
    expect(reconnectsAfter(new Event('error'))).toBe(true);
    expect(reconnectsAfter({ code: 4403, reason: 'Forbidden' })).toBe(false);
    expect(reconnectsAfter({ code: 4401, reason: 'Unauthorized' })).toBe(false);
  });

  it("reads a refused key from Apollo's socket error, and says anything else as it came", () => {
    expect(liveFailureOf(new Error('Socket closed with event 4403 Forbidden'))).toEqual({ kind: 'unauthenticated', message: 'The gateway refused this API key for live updates.' });
    expect(liveFailureOf(new Error('Socket closed with event 1013 Too slow: the event buffer overflowed; reconnect'))).toEqual({
      kind: 'other',
      code: undefined,
      message: 'Socket closed with event 1013 Too slow: the event buffer overflowed; reconnect',
    });
  });
});
