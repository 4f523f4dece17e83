// Latency histograms kept in the hourly rollups, so percentiles (p50, p95) can be read from
// thousands of rollup rows instead of millions of events. Buckets are log-spaced, four per
// doubling (each 19 % wider than the one before), from 1 ms to about 15 minutes: a percentile read
// back lies in the same bucket as the true one, so it is never more than 19 % off (and usually far
// less), finer than the relative thresholds guards are set to.
//
// Bucket 0 holds [0, 1) ms; bucket k ≥ 1 holds [2^((k-1)/4), 2^(k/4)) ms; the last bucket also
// holds everything longer. Stored as int[] with trailing zero buckets trimmed (PostgreSQL adds
// arrays of different lengths with agentry_add_int_arrays, see the rollup migration).

export const BUCKETS_PER_DOUBLING = 4;
export const LATENCY_BUCKETS = 81;

/** The lower bound (ms) of bucket `k`. */
export function bucketLowerMs(k: number): number {
  return k <= 0 ? 0 : 2 ** ((k - 1) / BUCKETS_PER_DOUBLING);
}

/** The upper bound (ms) of bucket `k` (the last bucket is open; its nominal bound is returned). */
export function bucketUpperMs(k: number): number {
  return 2 ** (k / BUCKETS_PER_DOUBLING);
}

/** The bucket a latency falls in. */
export function latencyBucket(ms: number): number {
  if (!(ms >= 1)) return 0;
  const k = Math.floor(Math.log2(ms) * BUCKETS_PER_DOUBLING) + 1;
  // Guard against floating-point edges: the bucket's bounds decide.
  const exact = ms < bucketLowerMs(k) ? k - 1 : ms >= bucketUpperMs(k) ? k + 1 : k;
  return Math.min(LATENCY_BUCKETS - 1, exact);
}

/** Adds one latency to a histogram (mutates and returns it; the array grows as needed). */
export function addLatency(histogram: number[], ms: number): number[] {
  const k = latencyBucket(ms);
  while (histogram.length <= k) histogram.push(0);
  histogram[k] = (histogram[k] ?? 0) + 1;
  return histogram;
}

/** The sum of histograms of any lengths, trimmed of trailing zeros. */
export function mergeHistograms(histograms: readonly (readonly number[] | null | undefined)[]): number[] {
  const sum: number[] = [];
  for (const histogram of histograms) {
    if (!histogram) continue;
    for (let k = 0; k < histogram.length; k++) sum[k] = (sum[k] ?? 0) + (histogram[k] ?? 0);
  }
  for (let k = 0; k < sum.length; k++) sum[k] ??= 0;
  while (sum.length > 0 && sum[sum.length - 1] === 0) sum.pop();
  return sum;
}

export function histogramCount(histogram: readonly number[]): number {
  let n = 0;
  for (const count of histogram) n += count;
  return n;
}

/**
 * The q-quantile (0 < q < 1) of the latencies a histogram holds, interpolated geometrically
 * inside its bucket (latencies are close to log-uniform within one); null when it is empty.
 */
export function histogramQuantile(histogram: readonly number[], q: number): number | null {
  if (!(q > 0 && q < 1)) throw new RangeError("q must be between 0 and 1");
  const n = histogramCount(histogram);
  if (n === 0) return null;
  const rank = q * n;
  let below = 0;
  for (let k = 0; k < histogram.length; k++) {
    const count = histogram[k] ?? 0;
    if (count === 0) continue;
    if (below + count >= rank) {
      const fraction = (rank - below) / count;
      if (k === 0) return fraction; // [0, 1) ms: linear
      const lower = bucketLowerMs(k);
      return lower * (bucketUpperMs(k) / lower) ** fraction;
    }
    below += count;
  }
  return bucketUpperMs(histogram.length - 1);
}
