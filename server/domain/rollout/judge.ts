// One look at a rollout: its guards, its sample ratio, and what is due now. Pure: the data layer
// gathers the numbers, calls this, and carries out the decision in the same transaction.
import { chiSquareGoodnessOfFit } from "../stats/fixed-horizon";
import { approvalMissing, type RolloutStatus } from "./lifecycle";
import { evaluateGuards, type ArmMetrics, type GuardEvaluation, type SampleCounts, sampleCounts } from "./guards";
import type { BreachAction, GuardConfig, GuardMetric, Stage } from "./schemas";

/** A sample ratio mismatch is declared at p < 0.001 (checked on every look, so the bar is high). */
export const SRM_ALPHA = 0.001;
/** The chi-square approximation needs at least this many expected units in each arm. */
export const SRM_MIN_EXPECTED = 5;

export interface RolloutState {
  status: RolloutStatus;
  stages: readonly Stage[];
  stageIndex: number;
  stageStartedAt: Date;
  guards: readonly GuardConfig[];
  skippedGuards: readonly string[];
  onBreach: BreachAction;
  autoAdvance: boolean;
  requireApproval: boolean;
  approvedBy: string | null;
  createdBy: string;
  /** Cumulative samples per guard when the stage began. */
  stageBaseline: { candidate: SampleCounts; stable: SampleCounts } | null;
}

export interface RolloutMetrics {
  candidate: ArmMetrics;
  stable: ArmMetrics;
  /** Distinct units (instances, or tasks without one) seen on each version since the stage began. */
  units: { candidate: number; stable: number };
}

export interface SrmEvaluation {
  state: "ok" | "mismatch" | "not_checked";
  candidateUnits: number;
  stableUnits: number;
  expectedShare: number;
  pValue: number | null;
  explanation: string;
}

export type RolloutDecision =
  | { kind: "none"; explanation: string }
  | { kind: "breach"; metrics: GuardMetric[]; action: BreachAction; explanation: string }
  | { kind: "sample_ratio_mismatch"; explanation: string }
  | { kind: "advance"; toIndex: number; explanation: string }
  | { kind: "complete"; explanation: string }
  | { kind: "ready"; toIndex: number; explanation: string }
  | { kind: "awaiting_approval"; toIndex: number; explanation: string };

export interface RolloutJudgement {
  guards: GuardEvaluation[];
  srm: SrmEvaluation;
  decision: RolloutDecision;
  /** Minutes spent in the current stage, and the dwell it asks for. */
  dwell: { minutes: number; required: number };
}

export function checkSampleRatio(units: { candidate: number; stable: number }, percent: number): SrmEvaluation {
  const share = percent / 100;
  const total = units.candidate + units.stable;
  const base = { candidateUnits: units.candidate, stableUnits: units.stable, expectedShare: share };
  if (percent >= 100 || percent <= 0) return { ...base, state: "not_checked", pValue: null, explanation: "Nothing to compare at this stage." };
  if (total * share < SRM_MIN_EXPECTED || total * (1 - share) < SRM_MIN_EXPECTED) {
    return {
      ...base,
      state: "not_checked",
      pValue: null,
      explanation: `Too few units to check yet: ${total} seen, and the chi-square test needs at least ${SRM_MIN_EXPECTED} expected on each version.`,
    };
  }
  const result = chiSquareGoodnessOfFit([units.candidate, units.stable], [share, 1 - share]);
  const pValue = result?.pValue ?? 1;
  if (pValue < SRM_ALPHA) {
    return {
      ...base,
      state: "mismatch",
      pValue,
      explanation: `Sample ratio mismatch: ${units.candidate} of ${total} units report the candidate, against ${percent} % expected (chi-square p = ${pValue.toExponential(1)}). Instances may not be following their directives.`,
    };
  }
  return { ...base, state: "ok", pValue, explanation: `${units.candidate} of ${total} units on the candidate, as expected for ${percent} % (chi-square p = ${pValue.toFixed(3)}).` };
}

const ZERO: SampleCounts = { error_rate: 0, cost_per_task: 0, latency_p95: 0, denial_rate: 0 };

export function judgeRollout(state: RolloutState, metrics: RolloutMetrics, now: Date): RolloutJudgement {
  const stage = state.stages[state.stageIndex];
  const firstStage = state.stages[0];
  const percent = stage?.percent ?? 0;
  const minSamples = stage?.minSamples ?? 0;
  const baseline = state.stageBaseline?.candidate ?? ZERO;
  const candidateCounts = sampleCounts(metrics.candidate);
  const guards = evaluateGuards(
    state.guards.map((config) => ({
      config,
      skipped: state.skippedGuards.includes(config.metric),
      candidate: metrics.candidate,
      stable: metrics.stable,
      candidateInStage: Math.max(0, candidateCounts[config.metric] - baseline[config.metric]),
      minSamples,
    })),
    firstStage?.minSamples ?? 0,
  );
  const srm = checkSampleRatio(metrics.units, percent);
  const minutes = Math.max(0, (now.getTime() - state.stageStartedAt.getTime()) / 60_000);
  const required = stage?.minDwellMinutes ?? 0;
  const judgement = (decision: RolloutDecision): RolloutJudgement => ({ guards, srm, decision, dwell: { minutes, required } });

  if (state.status !== "running") return judgement({ kind: "none", explanation: state.status === "paused" ? "Paused: nothing advances until a person resumes it." : "This rollout has ended." });

  const breached = guards.filter((guard) => guard.state === "breached");
  if (breached.length > 0) {
    return judgement({
      kind: "breach",
      metrics: breached.map((guard) => guard.metric),
      action: state.onBreach,
      explanation: `${breached.map((guard) => guard.label).join(" and ")} breached: ${breached.map((guard) => guard.explanation).join(" ")}`,
    });
  }
  if (srm.state === "mismatch") return judgement({ kind: "sample_ratio_mismatch", explanation: srm.explanation });

  const waitingOn = guards.filter((guard) => guard.state === "insufficient");
  if (waitingOn.length > 0) {
    return judgement({
      kind: "none",
      explanation: `Waiting for evidence: ${waitingOn.map((guard) => `${guard.label.toLowerCase()} (${guard.candidate.nInStage}/${guard.minSamples} ${guard.unit})`).join(", ")}.`,
    });
  }
  if (minutes < required) return judgement({ kind: "none", explanation: `Every guard holds; the stage dwells ${Math.ceil(required - minutes)} more minute(s).` });

  const toIndex = state.stageIndex + 1;
  const next = state.stages[toIndex];
  if (!next) return judgement({ kind: "none", explanation: "At the last stage." });
  if (approvalMissing({ ...state, status: "running" }, toIndex)) {
    return judgement({ kind: "awaiting_approval", toIndex, explanation: `Every guard held for the dwell time: going to ${next.percent} % needs a second person's approval.` });
  }
  if (!state.autoAdvance) return judgement({ kind: "ready", toIndex, explanation: `Every guard held for the dwell time with enough samples: ready for a person to promote to ${next.percent} %.` });
  if (next.percent >= 100) return judgement({ kind: "complete", explanation: "Every guard held for the dwell time with enough samples: the candidate goes to 100 % and becomes stable." });
  return judgement({ kind: "advance", toIndex, explanation: `Every guard held for the dwell time with enough samples: advancing to ${next.percent} %.` });
}
