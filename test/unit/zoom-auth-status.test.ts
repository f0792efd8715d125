import { ZoomAuthStatus } from '../../src/zoom/auth-status';

describe('ZoomAuthStatus', () => {
  it('is ok until Zoom refuses, keeps the first refusal, and is ok again once a call succeeds', () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const status = new ZoomAuthStatus(() => now);
    expect(status.current()).toEqual({ status: 'ok' });
    status.refused(401, 124);
    now += 5_000;
    status.refused(401, 124);
    expect(status.current()).toEqual({
      status: 'failing',
      reason: "Zoom refused the gateway's credentials (HTTP 401 (Zoom code 124: invalid access token)): check ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET",
      since: '2026-11-27T10:00:00.000Z',
    });
    status.accepted();
    expect(status.current()).toEqual({ status: 'ok' });
  });
});
