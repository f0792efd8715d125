import { FALLBACK_RETRY_AFTER_SECONDS, describeFailure, errorsInBody } from '../../dashboard/src/failure';

describe("the dashboard's reading of gateway errors", () => {
  it('turns ZOOM_RATE_LIMITED into a wait of its retryAfter, rounded up', () => {
    expect(describeFailure([{ message: 'spent; try again in 37 s.', extensions: { code: 'ZOOM_RATE_LIMITED', retryAfter: 36.2 } }])).toEqual({
      kind: 'rate-limited',
      retryAfterSeconds: 37,
      message: 'spent; try again in 37 s.',
    });
  });

  it('waits a minute when the gateway names no usable wait', () => {
    for (const retryAfter of [undefined, '12', -1, Number.NaN]) {
      expect(describeFailure([{ message: 'spent', extensions: { code: 'ZOOM_RATE_LIMITED', retryAfter } }])).toMatchObject({ retryAfterSeconds: FALLBACK_RETRY_AFTER_SECONDS });
    }
    expect(FALLBACK_RETRY_AFTER_SECONDS).toBe(60);
  });

  it('puts a wait before other errors of the same answer, and a refused key before everything', () => {
    const other = { message: 'bad cursor', extensions: { code: 'CURSOR_INVALID' } };
    const limited = { message: 'spent', extensions: { code: 'ZOOM_RATE_LIMITED', retryAfter: 5 } };
    expect(describeFailure([other, limited]).kind).toBe('rate-limited');
    expect(describeFailure([other, limited], 401)).toEqual({ kind: 'unauthenticated', message: 'The gateway refused the API key.' });
    expect(describeFailure([{ message: 'Zoom is failing', extensions: { code: 'ZOOM_UNAVAILABLE', retryAfter: 30 } }])).toEqual({ kind: 'zoom-unavailable', retryAfterSeconds: 30, message: 'Zoom is failing' });
    expect(describeFailure([other])).toEqual({ kind: 'other', code: 'CURSOR_INVALID', message: 'bad cursor' });
  });

  it('says what it knows when there is no GraphQL error at all', () => {
    expect(describeFailure([], 502)).toEqual({ kind: 'other', code: undefined, message: 'The gateway answered HTTP 502.' });
    expect(describeFailure([])).toEqual({ kind: 'other', code: undefined, message: 'The gateway could not be reached.' });
  });

  it("reads the gateway's HTTP refusals, and nothing from bodies that are not GraphQL-shaped", () => {
    expect(errorsInBody('{"errors":[{"message":"Authentication is required.","extensions":{"code":"UNAUTHENTICATED"}}]}')).toEqual([
      { message: 'Authentication is required.', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(errorsInBody('<html>502 Bad Gateway</html>')).toEqual([]);
    expect(errorsInBody('{"errors":"no"}')).toEqual([]);
    expect(errorsInBody('{"errors":[1,null,{"message":2},{"message":"kept"}]}')).toEqual([{ message: 'kept' }]);
  });
});
