import { FRESH, stalenessOf } from '../../dashboard/src/staleness';

describe("the dashboard's reading of stale answers", () => {
  it("takes the response's extensions.stale as a flag or as an object with when the data was fetched", () => {
    expect(stalenessOf(undefined)).toBe(FRESH);
    expect(stalenessOf({})).toEqual({ stale: false, fetchedAt: undefined });
    expect(stalenessOf({ stale: false })).toEqual({ stale: false, fetchedAt: undefined });
    expect(stalenessOf({ stale: true })).toEqual({ stale: true, fetchedAt: undefined });
    expect(stalenessOf({ stale: { fetchedAt: '2026-11-27T11:58:00Z', reason: 'ZOOM_UNAVAILABLE' } })).toEqual({ stale: true, fetchedAt: '2026-11-27T11:58:00Z' });
    expect(stalenessOf({ stale: { fetchedAt: 12 } })).toEqual({ stale: true, fetchedAt: undefined });
    expect(stalenessOf({ stale: 'yes' })).toEqual({ stale: false, fetchedAt: undefined });
  });
});
