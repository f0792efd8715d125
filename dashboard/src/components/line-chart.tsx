import { useState } from 'react';
import { type Series, extentOf, formatValue, isolatedPoints, linePath, ticks, xOf, yOf } from '../chart-geometry';
import { useElementWidth } from '../hooks/element-width';

/** Room around the plot for the axis labels, in CSS pixels. */
const MARGIN = { top: 12, right: 16, bottom: 26, left: 48 };
const PLOT_HEIGHT = 140;
/** Until the figure is measured (the first render), and the narrowest plot drawn. */
const DEFAULT_WIDTH = 640;
const MIN_PLOT_WIDTH = 120;
/** Below this a third label in the middle of the time axis would crowd the two at its ends. */
const MIDDLE_LABEL_MIN_WIDTH = 480;
/** Line colours, each at least 3:1 against the white card (WCAG 1.4.11 for graphics). */
const COLORS = ['#0b5cff', '#b25e00', '#17803d', '#c92a2a', '#7048e8', '#0c7489'];

/**
 * A small multi-line chart in plain SVG (no chart library, nothing fetched), drawn at the width it
 * is shown at so that its labels keep their size from a phone to a wide screen. A point with no
 * neighbour to draw a line to (a single sample) is a dot with its value beside it.
 */
export function LineChart({ series, unit, label, formatX, note }: { readonly series: readonly Series[]; readonly unit: string; readonly label: string; readonly formatX: (x: number) => string; readonly note?: string }) {
  const [figure, setFigure] = useState<HTMLElement | null>(null);
  const width = Math.round(useElementWidth(figure) ?? DEFAULT_WIDTH);
  const box = { width: Math.max(MIN_PLOT_WIDTH, width - MARGIN.left - MARGIN.right), height: PLOT_HEIGHT };
  const allX = series.flatMap((line) => line.points.map((point) => point.x));
  const xs = extentOf(allX, false);
  const ys = extentOf(series.flatMap((line) => line.points.map((point) => point.y)));
  const oneInstant = new Set(allX).size === 1;
  const xLabels: { x: number; at: number; anchor: 'start' | 'middle' | 'end' }[] = oneInstant
    ? [{ x: box.width / 2, at: allX[0], anchor: 'middle' }]
    : [
        { x: 0, at: xs.min, anchor: 'start' },
        ...(box.width >= MIDDLE_LABEL_MIN_WIDTH ? [{ x: box.width / 2, at: (xs.min + xs.max) / 2, anchor: 'middle' as const }] : []),
        { x: box.width, at: xs.max, anchor: 'end' },
      ];
  const svgWidth = box.width + MARGIN.left + MARGIN.right;
  const svgHeight = PLOT_HEIGHT + MARGIN.top + MARGIN.bottom;
  return (
    <figure className="chart" aria-label={label} ref={setFigure}>
      <svg width={svgWidth} height={svgHeight} viewBox={`${-MARGIN.left} ${-MARGIN.top} ${svgWidth} ${svgHeight}`} role="img" aria-label={label}>
        {ticks(ys).map((tick) => {
          const y = yOf(tick, ys, box.height);
          return (
            <g key={tick}>
              <line className="grid" x1={0} x2={box.width} y1={y} y2={y} />
              <text className="tick" x={-6} y={y + 4} textAnchor="end">
                {tick}
              </text>
            </g>
          );
        })}
        {xLabels.map((item) => (
          <text key={item.anchor} className="tick" x={item.x} y={box.height + 18} textAnchor={item.anchor}>
            {formatX(item.at)}
          </text>
        ))}
        {series.map((line, index) => (
          <path key={line.name} className="line" d={linePath(line.points, xs, ys, box)} stroke={COLORS[index % COLORS.length]} data-series={line.name} />
        ))}
        {series.flatMap((line, index) =>
          isolatedPoints(line.points).map((point) => {
            const x = xOf(point.x, xs, box.width);
            const y = yOf(point.y ?? 0, ys, box.height);
            // The value sits on the side with room: left of a point near the right edge.
            const onLeft = x > box.width - 60;
            return (
              <g key={`${line.name}|${point.x}`} data-point={line.name}>
                <circle cx={x} cy={y} r={4.5} fill={COLORS[index % COLORS.length]} />
                <text className="point-value" x={onLeft ? x - 9 : x + 9} y={y + 4} textAnchor={onLeft ? 'end' : 'start'}>
                  {`${formatValue(point.y ?? 0)} ${unit}`}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <figcaption>
        {series.map((line, index) => (
          <span key={line.name} className="legend">
            <svg className="swatch" viewBox="0 0 12 4" aria-hidden="true">
              <rect width="12" height="4" rx="1" fill={COLORS[index % COLORS.length]} />
            </svg>
            {line.name}
          </span>
        ))}
        <span className="muted">
          ({unit}
          {note ? `; ${note}` : ''})
        </span>
      </figcaption>
    </figure>
  );
}
