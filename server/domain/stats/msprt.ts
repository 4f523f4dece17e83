// The mixture sequential probability ratio test (mSPRT) with a normal mixture: Johari, Koomen,
// Pekelis & Walsh, "Peeking at A/B Tests: Why it matters, and what to do about it" (KDD 2017) and
// Johari, Pekelis & Walsh, "Always Valid Inference" (Operations Research, 2022).
//
// For an estimate θ̂ of θ with (approximately normal) variance V, testing H0: θ = θ0 against a
// N(θ0, τ²) mixture of alternatives, the mixture likelihood ratio is
//
//     Λ = sqrt(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) ).
//
// Under H0 it is a non-negative martingale with mean 1, so by Ville's inequality
// P(Λ ever reaches 1/α) ≤ α: the test may be looked at after every new observation (every
// minute, for a rollout's guards) and still rejects a true H0 with probability at most α.
// 1/Λ is the always-valid p-value; the values of θ0 it does not reject form an always-valid
// confidence interval.
import { normalCdf } from "./distributions";

export interface MsprtInput {
  estimate: number;
  /** Variance of the estimate (not of one observation). */
  variance: number;
  /** Variance of the mixing distribution. */
  tau2: number;
  /** The null value θ0 (default 0). */
  nullValue?: number;
}

/** The mixture likelihood ratio Λ (see above). 1 when there is no information yet. */
export function mixtureLikelihoodRatio({ estimate, variance, tau2, nullValue = 0 }: MsprtInput): number {
  if (!(variance > 0) || !(tau2 > 0) || !Number.isFinite(estimate)) return 1;
  const total = variance + tau2;
  const logLambda = 0.5 * Math.log(variance / total) + (tau2 * (estimate - nullValue) ** 2) / (2 * variance * total);
  return Math.exp(Math.min(logLambda, 700));
}

/** The always-valid p-value min(1, 1/Λ) of H0: θ = θ0. */
export function msprtPValue(input: MsprtInput): number {
  return Math.min(1, 1 / mixtureLikelihoodRatio(input));
}

/**
 * One-sided use for a guard (H0: θ ≤ θ0 against θ > θ0): rejects only when the estimate lies above
 * θ0 and Λ ≥ 1/α. Restricting the two-sided mixture's rejections to one side keeps the level at
 * most α (it only removes rejections), at a small cost in power.
 */
export function msprtUpperPValue(input: MsprtInput): number {
  if (!(input.estimate > (input.nullValue ?? 0))) return 1;
  return msprtPValue(input);
}

/**
 * The always-valid (1 − α) confidence interval for θ: the θ0 with Λ(θ0) < 1/α, i.e.
 * |θ̂ − θ0| < sqrt( V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V)) ).
 */
export function msprtInterval(estimate: number, variance: number, tau2: number, alpha: number): { low: number; high: number } | null {
  if (!(variance > 0) || !(tau2 > 0)) return null;
  const total = variance + tau2;
  const halfWidth = Math.sqrt(((variance * total) / tau2) * (2 * Math.log(1 / alpha) + Math.log(total / variance)));
  return { low: estimate - halfWidth, high: estimate + halfWidth };
}

/**
 * The mixing variance, tuned (as GrowthBook tunes its sequential intervals, after Waudby-Smith et
 * al., "Time-uniform central limit theory and asymptotic confidence sequences", 2023) to be
 * tightest when `targetSamples` observations of variance `unitVariance` have been seen:
 * τ² = σ² · (−2 ln α + ln(1 − 2 ln α)) / N*.
 */
export function tunedMixingVariance(unitVariance: number, targetSamples: number, alpha: number): number {
  const twoLog = -2 * Math.log(alpha);
  return (unitVariance * (twoLog + Math.log(twoLog + 1))) / Math.max(1, targetSamples);
}

/** For reference beside the sequential p-value: the fixed-horizon one-sided p of the same z. */
export function fixedHorizonUpperP(estimate: number, variance: number, nullValue = 0): number {
  if (!(variance > 0)) return 1;
  return normalCdf(-(estimate - nullValue) / Math.sqrt(variance));
}
