import { MissingSessions } from '../../src/sessions/missing-sessions';
import { ZoomHttpError } from '../../src/zoom/errors';

describe('MissingSessions', () => {
  const notFound = new ZoomHttpError(404, 3001, 'Session does not exist.');

  it('gives back Zoom\'s 404 for 60 s, then forgets it', () => {
    let now = 1_000;
    const missing = new MissingSessions(() => now);
    missing.remember('details past a', notFound);
    expect(missing.get('details past a')).toBe(notFound);
    expect(missing.get('details live a')).toBeUndefined();
    now = 60_999;
    expect(missing.get('details past a')).toBe(notFound);
    now = 61_000;
    expect(missing.get('details past a')).toBeUndefined();
    expect(missing.size).toBe(0);
  });

  it('holds at most its bound, forgetting the oldest first', () => {
    const missing = new MissingSessions(() => 0, 60_000, 2);
    missing.remember('a', notFound);
    missing.remember('b', notFound);
    missing.remember('c', notFound);
    expect([missing.get('a'), missing.get('b'), missing.get('c')]).toEqual([undefined, notFound, notFound]);
    expect(missing.size).toBe(2);
  });
});
