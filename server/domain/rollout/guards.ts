// Guards: candidate against stable on live traffic, one metric each (all four are "lower is
// better"), judged by a one-sided mSPRT (server/domain/stats/msprt.ts) of
//
//     H0: candidate ≤ (1 + threshold) · stable     against     H1: candidate > (1 + threshold) · stable
//
// i.e. of θ = candidate − (1 + δ)·stable ≤ 0, with Holm's correction across the rollout's guards
// at α = 0.05. A guard is
//   - breached when its test rejects H0 (the candidate is worse than the tolerance, with evidence
//     that stays valid however often it is looked at);
//   - insufficient evidence while either arm has fewer samples than the stage asks for (never a
//     pass: its stage does not advance);
//   - holding otherwise;
//   - skipped when a person skipped it for this stage.
import { histogramCount } from "../telemetry/latency-histogram";
import { holm } from "../stats/holm";
import { msprtInterval, msprtUpperPValue, mixtureLikelihoodRatio, tunedMixingVariance } from "../stats/msprt";
import { quantileWithError } from "../stats/quantile";
import { GUARD_LABELS, GUARD_UNITS, type GuardConfig, type GuardMetric } from "./schemas";

export const GUARD_ALPHA = 0.05;
/** No test runs before each arm has this many samples: the normal approximation needs them. */
export const MIN_TEST_SAMPLES = 30;
export const SEQUENTIAL_TEST_NAME = "mSPRT (one-sided, normal mixture), Holm-corrected across guards at α = 0.05";

/** What one version did since the rollout started, as the guards need it. */
export interface ArmMetrics {
  /** task_end events, and those in error. */
  tasks: number;
  failedTasks: number;
  /** Finished tasks with their cost (micro-dollars): count, mean and sample variance of the per-task cost. */
  costTasks: number;
  costMeanMicros: number;
  costVarianceMicros: number;
  /** Latency histogram of the version's timed events. */
  latencyHist: number[];
  /** Decisions of instances on this version, and those denied by a policy. */
  decisions: number;
  policyDenials: number;
}

export const EMPTY_ARM: ArmMetrics = { tasks: 0, failedTasks: 0, costTasks: 0, costMeanMicros: 0, costVarianceMicros: 0, latencyHist: [], decisions: 0, policyDenials: 0 };

/** Samples a guard counts, per arm. */
export function sampleCount(metric: GuardMetric, arm: ArmMetrics): number {
  switch (metric) {
    case "error_rate":
      return arm.tasks;
    case "cost_per_task":
      return arm.costTasks;
    case "latency_p95":
      return histogramCount(arm.latencyHist);
    case "denial_rate":
      return arm.decisions;
  }
}

export type SampleCounts = Record<GuardMetric, number>;

export function sampleCounts(arm: ArmMetrics): SampleCounts {
  return {
    error_rate: sampleCount("error_rate", arm),
    cost_per_task: sampleCount("cost_per_task", arm),
    latency_p95: sampleCount("latency_p95", arm),
    denial_rate: sampleCount("denial_rate", arm),
  };
}

/** A metric's estimate for one arm, with the variance of one sample (for the test's variance). */
interface Estimate {
  value: number;
  unitVariance: number;
  n: number;
}

function proportion(successes: number, n: number): Estimate | null {
  if (n <= 0) return null;
  // Agresti–Caffo: the variance from (x + 1) / (n + 2), so zero errors is not zero uncertainty.
  const adjusted = (successes + 1) / (n + 2);
  return { value: successes / n, unitVariance: adjusted * (1 - adjusted), n };
}

export function armEstimate(metric: GuardMetric, arm: ArmMetrics): Estimate | null {
  switch (metric) {
    case "error_rate":
      return proportion(arm.failedTasks, arm.tasks);
    case "denial_rate":
      return proportion(arm.policyDenials, arm.decisions);
    case "cost_per_task":
      return arm.costTasks > 0 ? { value: arm.costMeanMicros, unitVariance: Math.max(0, arm.costVarianceMicros), n: arm.costTasks } : null;
    case "latency_p95": {
      const q = quantileWithError(arm.latencyHist, 0.95);
      return q ? { value: q.value, unitVariance: q.standardError ** 2 * q.n, n: q.n } : null;
    }
  }
}

export type GuardState = "insufficient" | "holding" | "breached" | "skipped";

export interface GuardEvaluation {
  metric: GuardMetric;
  label: string;
  unit: string;
  thresholdPercent: number;
  state: GuardState;
  /** Why it is in that state, in a sentence. */
  explanation: string;
  stable: { value: number | null; n: number };
  candidate: { value: number | null; n: number; nInStage: number };
  /** candidate / stable − 1 (null without both). */
  relativeDifference: number | null;
  minSamples: number;
  test: {
    name: "mSPRT";
    /** candidate − (1 + δ)·stable: positive means worse than the tolerance. */
    estimate: number;
    lambda: number;
    /** Always-valid one-sided p-value (1/Λ when the estimate is above 0). */
    pValue: number;
    /** The Holm threshold this guard's p was compared with. */
    alpha: number;
    /** Always-valid 95 % interval of candidate − (1 + δ)·stable. */
    interval: { low: number; high: number } | null;
  } | null;
}

export interface GuardInput {
  config: GuardConfig;
  skipped: boolean;
  candidate: ArmMetrics;
  stable: ArmMetrics;
  /** The candidate's samples of this guard since the stage began. */
  candidateInStage: number;
  minSamples: number;
}

/**
 * Evaluates the enabled guards together (Holm's correction spans them). `targetSamples` tunes the
 * mixing variance once per rollout (its first stage's minimum sample size), so the test's
 * mixture does not change from look to look.
 */
export function evaluateGuards(inputs: readonly GuardInput[], targetSamples: number, alpha = GUARD_ALPHA): GuardEvaluation[] {
  const active = inputs.filter((input) => input.config.enabled);
  const perTestAlpha = alpha / Math.max(1, active.filter((input) => !input.skipped).length);
  const prepared = active.map((input) => {
    const metric = input.config.metric;
    const delta = input.config.thresholdPercent / 100;
    const s = armEstimate(metric, input.stable);
    const c = armEstimate(metric, input.candidate);
    const nStable = sampleCount(metric, input.stable);
    const nCandidate = sampleCount(metric, input.candidate);
    let test: GuardEvaluation["test"] = null;
    if (!input.skipped && s && c && s.n >= MIN_TEST_SAMPLES && c.n >= MIN_TEST_SAMPLES) {
      const estimate = c.value - (1 + delta) * s.value;
      // A metric that does not vary at all (every task cost the same) still gets a decision: a
      // tiny variance floor makes equal arms hold and a constant regression breach.
      const floor = (1e-6 * Math.max(Math.abs(c.value), Math.abs(s.value), 1e-9)) ** 2;
      const unitVarianceC = Math.max(c.unitVariance, floor);
      const unitVarianceS = Math.max(s.unitVariance, floor);
      const variance = unitVarianceC / c.n + (1 + delta) ** 2 * (unitVarianceS / s.n);
      const tau2 = tunedMixingVariance(unitVarianceC + (1 + delta) ** 2 * unitVarianceS, Math.max(MIN_TEST_SAMPLES, targetSamples), perTestAlpha);
      if (variance > 0 && tau2 > 0) {
        test = {
          name: "mSPRT",
          estimate,
          lambda: mixtureLikelihoodRatio({ estimate, variance, tau2 }),
          pValue: msprtUpperPValue({ estimate, variance, tau2 }),
          alpha: perTestAlpha,
          interval: msprtInterval(estimate, variance, tau2, 0.05),
        };
      }
    }
    return { input, metric, s, c, nStable, nCandidate, test };
  });

  // Holm over every guard that is not skipped; a guard that cannot be tested yet counts as p = 1.
  const tested = prepared.filter((entry) => !entry.input.skipped);
  const decisions = holm(
    tested.map((entry) => entry.test?.pValue ?? 1),
    alpha,
  );
  const rejected = new Map(tested.map((entry, index) => [entry.metric, decisions[index]] as const));

  return prepared.map(({ input, metric, s, c, nStable, nCandidate, test }) => {
    const decision = rejected.get(metric);
    if (test && decision) test.alpha = decision.threshold;
    const unit = GUARD_UNITS[metric];
    const relativeDifference = s && c && s.value > 0 ? c.value / s.value - 1 : null;
    const base = {
      metric,
      label: GUARD_LABELS[metric],
      unit,
      thresholdPercent: input.config.thresholdPercent,
      stable: { value: s?.value ?? null, n: nStable },
      candidate: { value: c?.value ?? null, n: nCandidate, nInStage: input.candidateInStage },
      relativeDifference,
      minSamples: input.minSamples,
      test,
    };
    if (input.skipped) return { ...base, state: "skipped" as const, explanation: "Skipped by a person for this stage." };
    if (decision?.rejected) {
      return {
        ...base,
        state: "breached" as const,
        explanation: `The candidate is worse than the stable version by more than ${input.config.thresholdPercent} % (sequential p = ${formatP(test?.pValue ?? 1)} ≤ ${formatP(decision.threshold)}).`,
      };
    }
    const shortOn = [
      input.candidateInStage < input.minSamples ? `the candidate has ${input.candidateInStage} of the ${input.minSamples} ${unit} this stage needs` : null,
      nStable < input.minSamples ? `the stable version has ${nStable} of ${input.minSamples} ${unit}` : null,
      !test ? `the test starts at ${MIN_TEST_SAMPLES} ${unit} on each version` : null,
    ].filter((part): part is string => part !== null);
    if (shortOn.length > 0) return { ...base, state: "insufficient" as const, explanation: `Insufficient evidence: ${shortOn.join("; ")}.` };
    // A point estimate above the tolerance is not yet evidence: say so, so the number does not read as a contradiction.
    const aboveTolerance = relativeDifference !== null && relativeDifference * 100 > input.config.thresholdPercent;
    return {
      ...base,
      state: "holding" as const,
      explanation: aboveTolerance
        ? `Holds for now: the candidate reads ${formatPercent(relativeDifference)} against stable, but at these sample sizes that is within chance (sequential p = ${formatP(test?.pValue ?? 1)}); the test keeps watching.`
        : `No evidence that the candidate is worse by more than ${input.config.thresholdPercent} % (sequential p = ${formatP(test?.pValue ?? 1)}).`,
    };
  });
}

function formatPercent(relative: number | null): string {
  if (relative === null) return "—";
  return `${relative >= 0 ? "+" : "−"}${Math.abs(relative * 100).toFixed(0)} %`;
}

export function formatP(p: number): string {
  if (p >= 0.9995) return "1";
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1);
}
