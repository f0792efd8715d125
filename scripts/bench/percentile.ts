/** The nearest-rank percentile of values already sorted ascending: the value below which `p`% lie; NaN for none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The same, of values in any order (sorted in a copy). */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}
