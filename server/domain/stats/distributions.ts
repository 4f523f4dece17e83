// The distributions the tests need, from stdlib (a maintained statistics library), in one place:
// no hand-written approximations of a CDF or a quantile anywhere else.
import chiSquareCdfImpl from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdfImpl from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileImpl from "@stdlib/stats-base-dists-normal-quantile";
import tCdfImpl from "@stdlib/stats-base-dists-t-cdf";
import tQuantileImpl from "@stdlib/stats-base-dists-t-quantile";

/** P(Z ≤ z) for the standard normal. */
export function normalCdf(z: number): number {
  return normalCdfImpl(z, 0, 1);
}

/** The z with P(Z ≤ z) = p for the standard normal. */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's is). */
export function tCdf(t: number, df: number): number {
  return tCdfImpl(t, df);
}

export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** P(X ≤ x) for the chi-square distribution with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  return chiSquareCdfImpl(x, df);
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}
