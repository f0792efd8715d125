import { inWindow, nextSlot } from '../../src/budget/window';

/** 20 a minute, counted over 61 s (a minute and its 1 s margin). */
const MINUTE = { limit: 20, windowMs: 60_000 };
const twenty = (at: number): number[] => Array.from({ length: 20 }, () => at);

describe('inWindow', () => {
  it('keeps the calls sent within the last 61 s, and drops one sent exactly 61 s ago', () => {
    expect(inWindow([0, 1, 30_000, 61_000], 61_000, MINUTE)).toEqual([1, 30_000, 61_000]);
    expect(inWindow([], 5, MINUTE)).toEqual([]);
  });
});

describe('nextSlot', () => {
  it('sends at once while the window holds fewer than the limit, a whole budget together', () => {
    expect(nextSlot([], 1_000, MINUTE, 0)).toEqual({ at: 1_000, wait: 'none' });
    expect(nextSlot(Array.from({ length: 19 }, () => 1_000), 1_000, MINUTE, 0)).toEqual({ at: 1_000, wait: 'none' });
  });

  it('past the limit, waits for the slot the oldest call frees', () => {
    expect(nextSlot(twenty(1_000), 1_000, MINUTE, 0)).toEqual({ at: 62_000, wait: 'window' });
    // Calls sent at 0, 10 s, … : the fifth call back frees its slot, not the first.
    const spread = [0, 5_000, 10_000, ...Array.from({ length: 17 }, () => 20_000)];
    expect(nextSlot(spread, 30_000, MINUTE, 0)).toEqual({ at: 61_000, wait: 'window' });
    expect(nextSlot(spread, 61_000, MINUTE, 0)).toEqual({ at: 61_000, wait: 'none' });
    expect(nextSlot([...spread.slice(1), 61_000], 61_000, MINUTE, 0)).toEqual({ at: 66_000, wait: 'window' });
  });

  it('queues behind calls already waiting for a slot, in order', () => {
    expect(nextSlot([...twenty(1_000), 62_000], 2_000, MINUTE, 0)).toEqual({ at: 62_000, wait: 'queue' });
    expect(nextSlot([5_000], 1_000, MINUTE, 0)).toEqual({ at: 5_000, wait: 'queue' });
  });

  it('holds every call while Zoom said to pause', () => {
    expect(nextSlot([], 1_000, MINUTE, 31_000)).toEqual({ at: 31_000, wait: 'paused' });
    expect(nextSlot(twenty(1_000), 1_000, MINUTE, 31_000)).toEqual({ at: 62_000, wait: 'window' });
  });

  it('counts a per-second label over 1.017 s (a sixtieth of the window for Zoom\'s clock)', () => {
    const heavy = { limit: 2, windowMs: 1_000 };
    expect(nextSlot([100, 200], 500, heavy, 0)).toEqual({ at: 1_117, wait: 'window' });
    expect(nextSlot([100, 200], 1_117, heavy, 0)).toEqual({ at: 1_117, wait: 'none' });
  });
});
