import { extentOf, formatValue, isolatedPoints, linePath, ticks, xOf, yOf } from '../../dashboard/src/chart-geometry';

describe("the dashboard's chart geometry", () => {
  it('spans the values from zero, and widens a flat line', () => {
    expect(extentOf([3, 7, null, 5])).toEqual({ min: 0, max: 7 });
    expect(extentOf([3, 7], false)).toEqual({ min: 3, max: 7 });
    expect(extentOf([4, 4], false)).toEqual({ min: 3, max: 5 });
    expect(extentOf([null, Number.NaN])).toEqual({ min: 0, max: 1 });
  });

  it('draws a path with y downwards, lifting the pen over missing values', () => {
    const box = { width: 100, height: 50 };
    const points = [
      { x: 0, y: 0 },
      { x: 1, y: 10 },
      { x: 2, y: null },
      { x: 3, y: 5 },
      { x: 4, y: 2.5 },
    ];
    expect(linePath(points, { min: 0, max: 4 }, { min: 0, max: 10 }, box)).toBe('M0 50L25 0M75 25L100 37.5');
    expect(linePath([], { min: 0, max: 1 }, { min: 0, max: 1 }, box)).toBe('');
  });

  it('labels the axis with round steps', () => {
    expect(ticks({ min: 0, max: 7 })).toEqual([0, 2, 4, 6]);
    expect(ticks({ min: 0, max: 120 })).toEqual([0, 50, 100]);
    expect(ticks({ min: 0, max: 0.3 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(ticks({ min: 3, max: 3 })).toEqual([3]);
  });

  it('finds the values a line cannot show: a lone sample, or one between two gaps', () => {
    expect(isolatedPoints([{ x: 5, y: 42 }])).toEqual([{ x: 5, y: 42 }]);
    expect(isolatedPoints([{ x: 5, y: null }])).toEqual([]);
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: null },
      { x: 2, y: 7 },
      { x: 3, y: null },
      { x: 4, y: 2 },
      { x: 5, y: 3 },
    ];
    expect(isolatedPoints(points)).toEqual([
      { x: 0, y: 1 },
      { x: 2, y: 7 },
    ]);
  });

  it('places a lone point where the path would, and labels it briefly', () => {
    // One sample: its instant in the middle of the widened extent, its value at the top of a zero-based one.
    const xs = extentOf([1_000], false);
    const ys = extentOf([42]);
    expect(xOf(1_000, xs, 200)).toBe(100);
    expect(yOf(42, ys, 140)).toBe(0);
    expect(formatValue(42)).toBe('42');
    expect(formatValue(0.125)).toBe('0.13');
    expect(formatValue(3.5)).toBe('3.5');
  });
});
