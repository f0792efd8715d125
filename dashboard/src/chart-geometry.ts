/** Pure geometry of the dashboard's SVG charts: scales and paths, no DOM. */

export interface Point {
  readonly x: number;
  /** null: no value here (a gap in the line, e.g. a QoS sample Zoom sent no number for). */
  readonly y: number | null;
}

/** One named line of a chart. */
export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
}

export interface Box {
  readonly width: number;
  readonly height: number;
}

export interface Extent {
  readonly min: number;
  readonly max: number;
}

/** The range of the values, widened so that a flat line sits in the middle instead of on an edge. */
export function extentOf(values: readonly (number | null)[], floorAtZero = true): Extent {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (present.length === 0) return { min: 0, max: 1 };
  const min = floorAtZero ? Math.min(0, ...present) : Math.min(...present);
  const max = Math.max(...present);
  return max === min ? { min: min - 1, max: max + 1 } : { min, max };
}

function scale(value: number, from: Extent, size: number): number {
  return ((value - from.min) / (from.max - from.min)) * size;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** An SVG path through the points (y grows downwards in SVG), lifting the pen over gaps. */
export function linePath(points: readonly Point[], xs: Extent, ys: Extent, box: Box): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (point.y === null || !Number.isFinite(point.y)) {
      drawing = false;
      continue;
    }
    const x = round(scale(point.x, xs, box.width));
    const y = round(box.height - scale(point.y, ys, box.height));
    path += `${drawing ? 'L' : 'M'}${x} ${y}`;
    drawing = true;
  }
  return path;
}

/** A few round values across the extent for axis labels: 1, 2 or 5 times a power of ten apart. */
export function ticks(extent: Extent, count = 4): number[] {
  const span = extent.max - extent.min;
  if (span <= 0) return [extent.min];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? raw;
  const result: number[] = [];
  for (let value = Math.ceil(extent.min / step) * step; value <= extent.max + step / 1e9; value += step) result.push(Number(value.toFixed(10)));
  return result;
}

/**
 * The points a line cannot show: a value with no value beside it (a participant's only QoS sample,
 * a sample between two gaps). A path through one point draws nothing, so these get a dot.
 */
export function isolatedPoints(points: readonly Point[]): Point[] {
  const present = (point: Point | undefined) => point !== undefined && point.y !== null && Number.isFinite(point.y);
  return points.filter((point, index) => present(point) && !present(points[index - 1]) && !present(points[index + 1]));
}

/** A value as a label beside its point: at most two decimals, no trailing zeros. */
export function formatValue(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Where a value sits vertically in a box of `height` (SVG's y grows downwards). */
export function yOf(value: number, ys: Extent, height: number): number {
  return round(height - scale(value, ys, height));
}

/** Where an x sits horizontally in a box of `width`. */
export function xOf(value: number, xs: Extent, width: number): number {
  return round(scale(value, xs, width));
}
