import { type Series, extentOf, linePath, ticks } from '../chart-geometry';

const BOX = { width: 900, height: 140 };
const COLORS = ['#0b5cff', '#d98a00', '#1f9d55', '#c92a2a', '#7048e8', '#0c8599'];

/** A small multi-line chart in plain SVG: no chart library, nothing fetched. */
export function LineChart({ series, unit, label, formatX }: { readonly series: readonly Series[]; readonly unit: string; readonly label: string; readonly formatX: (x: number) => string }) {
  const xs = extentOf(series.flatMap((line) => line.points.map((point) => point.x)), false);
  const ys = extentOf(series.flatMap((line) => line.points.map((point) => point.y)));
  const yTicks = ticks(ys);
  return (
    <figure className="chart" aria-label={label}>
      <svg viewBox={`-44 -8 ${BOX.width + 52} ${BOX.height + 28}`} role="img" aria-label={label}>
        {yTicks.map((tick) => {
          const y = BOX.height - ((tick - ys.min) / (ys.max - ys.min)) * BOX.height;
          return (
            <g key={tick}>
              <line className="grid" x1={0} x2={BOX.width} y1={y} y2={y} />
              <text className="tick" x={-6} y={y + 4} textAnchor="end">
                {tick}
              </text>
            </g>
          );
        })}
        <text className="tick" x={0} y={BOX.height + 18}>
          {formatX(xs.min)}
        </text>
        <text className="tick" x={BOX.width} y={BOX.height + 18} textAnchor="end">
          {formatX(xs.max)}
        </text>
        {series.map((line, index) => (
          <path key={line.name} className="line" d={linePath(line.points, xs, ys, BOX)} stroke={COLORS[index % COLORS.length]} data-series={line.name} />
        ))}
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
        <span className="muted"> ({unit})</span>
      </figcaption>
    </figure>
  );
}
