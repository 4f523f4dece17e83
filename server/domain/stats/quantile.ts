// A percentile read from a latency histogram, with its standard error from the distribution-free
// order-statistic interval: the q-quantile's (1 − a) interval lies between the sample quantiles at
// q ± z·sqrt(q(1 − q)/n) (the binomial normal approximation), so SE ≈ (upper − lower) / (2z).
// GrowthBook's quantile metrics use the same construction.
import { histogramCount, histogramQuantile } from "../telemetry/latency-histogram";
import { normalQuantile } from "./distributions";

export interface QuantileEstimate {
  value: number;
  standardError: number;
  n: number;
}

const Z95 = normalQuantile(0.975);

export function quantileWithError(histogram: readonly number[], q: number): QuantileEstimate | null {
  const n = histogramCount(histogram);
  const value = histogramQuantile(histogram, q);
  if (n === 0 || value === null) return null;
  const spread = Z95 * Math.sqrt((q * (1 - q)) / n);
  const clamp = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));
  const lower = histogramQuantile(histogram, clamp(q - spread)) ?? value;
  const upper = histogramQuantile(histogram, clamp(q + spread)) ?? value;
  return { value, standardError: (upper - lower) / (2 * Z95), n };
}
