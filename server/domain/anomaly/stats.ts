// The statistics anomaly detection names on the page: a robust z-score over the median and the
// median absolute deviation (Iglewicz and Hoaglin's modified z-score), and the Jensen–Shannon
// distance between two distributions (base-2 logarithms, so it lies in [0, 1]).

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

/** 0.6745 is the 0.75 quantile of the standard normal: it makes the MAD comparable to a standard deviation. */
export const MAD_SCALE = 0.6745;
/** When MAD is 0 (over half the baseline is one value), the mean absolute deviation stands in, scaled by √(π/2)·… → 1.253314. */
export const MEAN_AD_SCALE = 1.253314;

export interface RobustZ {
  /** The modified z-score; Infinity when the baseline does not vary at all and the value differs from it. */
  z: number;
  median: number;
  mad: number;
  /** Which spread the score divides by. */
  spread: "mad" | "mean_absolute_deviation" | "none";
}

/** The robust z-score of `value` against `baseline`: 0.6745 · (x − median) / MAD. */
export function robustZ(value: number, baseline: readonly number[]): RobustZ {
  const center = median(baseline);
  const mad = medianAbsoluteDeviation(baseline, center);
  if (mad > 0) return { z: (MAD_SCALE * (value - center)) / mad, median: center, mad, spread: "mad" };
  const meanAd = baseline.reduce((sum, item) => sum + Math.abs(item - center), 0) / baseline.length;
  if (meanAd > 0) return { z: (value - center) / (MEAN_AD_SCALE * meanAd), median: center, mad, spread: "mean_absolute_deviation" };
  return { z: value === center ? 0 : value > center ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, median: center, mad, spread: "none" };
}

/** Counts per key → probabilities (empty or all-zero: an empty distribution). */
export function normalise(counts: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(counts).reduce((sum, count) => sum + Math.max(0, count), 0);
  if (total === 0) return {};
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => [key, count / total]),
  );
}

/**
 * Jensen–Shannon distance between two distributions given as counts or probabilities over named
 * outcomes: √JSD with log base 2, 0 for identical mixes, 1 for mixes with nothing in common.
 */
export function jensenShannonDistance(p: Readonly<Record<string, number>>, q: Readonly<Record<string, number>>): number {
  const pn = normalise(p);
  const qn = normalise(q);
  const keys = new Set([...Object.keys(pn), ...Object.keys(qn)]);
  let divergence = 0;
  for (const key of keys) {
    const a = pn[key] ?? 0;
    const b = qn[key] ?? 0;
    const m = (a + b) / 2;
    if (a > 0) divergence += 0.5 * a * Math.log2(a / m);
    if (b > 0) divergence += 0.5 * b * Math.log2(b / m);
  }
  // Rounding can leave a hair below 0 or above 1.
  return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}
