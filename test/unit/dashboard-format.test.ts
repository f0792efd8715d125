import { formatDateTime, formatDuration, worstQuality } from '../../dashboard/src/format';
import { routeOf, routeParams, sessionHref, sessionRouteOf } from '../../dashboard/src/routes';

describe('what the dashboard shows at a glance', () => {
  it('writes durations in the largest units that fit', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(9)).toBe('9 s');
    expect(formatDuration(336)).toBe('5 min 36 s');
    expect(formatDuration(9120)).toBe('2 h 32 min');
  });

  it("rates a session by the worst of Zoom's audio, video and share ratings", () => {
    expect(worstQuality('good', 'fair', null)).toBe('fair');
    expect(worstQuality('Good', 'BAD', 'poor')).toBe('bad');
    expect(worstQuality(null, '', undefined)).toBe('unknown');
    expect(worstQuality('excellent', 'good')).toBe('good');
  });

  it('shows times to the minute, in UTC', () => {
    expect(formatDateTime('2026-10-31T23:31:07Z')).toBe('2026-10-31 23:31 UTC');
    expect(formatDateTime(null)).toBe('—');
  });

  it('routes by hash, with the filters in its query', () => {
    expect(routeOf('#/budget')).toBe('budget');
    expect(routeOf('#/sessions?from=2026-10-01')).toBe('sessions');
    expect(routeOf('')).toBe('sessions');
    expect(routeOf('#/nowhere')).toBe('sessions');
    expect(routeParams('#/sessions?from=2026-10-01&type=PAST').get('from')).toBe('2026-10-01');
    expect(routeParams('#/budget').toString()).toBe('');
  });

  it('opens a session by an id holding / + and =, with its type', () => {
    expect(sessionHref('/ab+c==', 'LIVE')).toBe('#/session/%2Fab%2Bc%3D%3D?type=LIVE');
    expect(routeOf('#/session/%2Fab%2Bc%3D%3D?type=LIVE')).toBe('session');
    expect(routeOf('#/usage')).toBe('usage');
    expect(sessionRouteOf('#/session/%2Fab%2Bc%3D%3D?type=LIVE')).toEqual({ id: '/ab+c==', type: 'LIVE' });
    expect(sessionRouteOf('#/session/x%3D%3D')).toEqual({ id: 'x==', type: 'PAST' });
    expect(sessionRouteOf('#/session/%E0%A4%A')).toBeUndefined();
    expect(sessionRouteOf('#/sessions')).toBeUndefined();
  });
});
