// Small statistics over repetitions.

/** The median of `values` (mean of the middle two when even); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The smallest and largest of `values`. */
export function range(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Pair-wise ratios `numerator[i] / denominator[i]` of repetitions run side by side. */
export function pairwiseRatios(numerator: readonly number[], denominator: readonly number[]): number[] {
  const pairs = Math.min(numerator.length, denominator.length);
  return Array.from({ length: pairs }, (_, i) => (numerator[i] ?? Number.NaN) / (denominator[i] ?? Number.NaN));
}

/** Slope of the least-squares line through (x, y). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return num / den;
}
