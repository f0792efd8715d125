import { sessionsRange } from '../../src/sessions/sessions-range';

const TODAY = '2026-11-27';

describe('sessionsRange', () => {
  it('reads the one-month window that ends today when both bounds are left out', () => {
    expect(sessionsRange({}, TODAY)).toEqual({ from: '2026-10-28', to: '2026-11-27' });
    expect(sessionsRange({}, '2026-04-30')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(sessionsRange({}, '2026-03-01')).toEqual({ from: '2026-02-02', to: '2026-03-01' });
  });

  it('ends at today when only `from` is given, however long that makes the range', () => {
    expect(sessionsRange({ from: '2026-11-01' }, TODAY)).toEqual({ from: '2026-11-01', to: '2026-11-27' });
    expect(sessionsRange({ from: '2026-07-01' }, TODAY)).toEqual({ from: '2026-07-01', to: '2026-11-27' });
    // A `from` after today is left as given: the arguments check refuses it by name.
    expect(sessionsRange({ from: '2026-12-01' }, TODAY)).toEqual({ from: '2026-12-01', to: '2026-11-27' });
  });

  it('starts a month before `to` when only `to` is given', () => {
    expect(sessionsRange({ to: '2026-10-31' }, TODAY)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(sessionsRange({ to: '2026-09-15' }, TODAY)).toEqual({ from: '2026-08-16', to: '2026-09-15' });
  });

  it('keeps given bounds as they are', () => {
    expect(sessionsRange({ from: '2026-07-01', to: '2026-11-30' }, TODAY)).toEqual({ from: '2026-07-01', to: '2026-11-30' });
  });

  it('takes the bounds left out from the cursor\'s window, not from today', () => {
    const yesterdays = { from: '2026-10-27', to: '2026-11-26' };
    expect(sessionsRange({}, TODAY, yesterdays)).toEqual(yesterdays);
    expect(sessionsRange({ from: '2026-09-01' }, TODAY, { from: '2026-11-01', to: '2026-11-26' })).toEqual({ from: '2026-09-01', to: '2026-11-26' });
    // Issued on 2026-11-27 for `to: 2026-11-30`, whose window then stopped at that day.
    expect(sessionsRange({ to: '2026-11-30' }, '2026-11-28', { from: '2026-11-01', to: '2026-11-27' })).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});
