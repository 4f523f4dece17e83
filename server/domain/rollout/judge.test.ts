import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { addLatency } from "../telemetry/latency-histogram";
import { EMPTY_ARM, evaluateGuards, MIN_TEST_SAMPLES, sampleCounts, type ArmMetrics } from "./guards";
import { checkSampleRatio, judgeRollout, type RolloutState } from "./judge";
import { DEFAULT_GUARDS, type GuardConfig } from "./schemas";

const NOW = new Date("2026-12-04T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

/** An arm with `tasks` tasks of which `failed` failed, a fixed cost spread, latencies around `latencyMs`, and decisions. */
function arm(tasks: number, failed: number, options: { costMicros?: number; latencyMs?: number; decisions?: number; denials?: number } = {}): ArmMetrics {
  const cost = options.costMicros ?? 1000;
  const latency = options.latencyMs ?? 800;
  const hist: number[] = [];
  for (let i = 0; i < tasks; i++) addLatency(hist, latency * (0.6 + (0.8 * ((i * 37) % 100)) / 100));
  return {
    tasks,
    failedTasks: failed,
    costTasks: tasks,
    costMeanMicros: cost,
    costVarianceMicros: (cost * 0.3) ** 2,
    latencyHist: hist,
    decisions: options.decisions ?? tasks,
    policyDenials: options.denials ?? Math.round((options.decisions ?? tasks) * 0.02),
  };
}

const ERROR_ONLY: GuardConfig[] = [{ metric: "error_rate", thresholdPercent: 20, enabled: true }];

function state(overrides: Partial<RolloutState> = {}): RolloutState {
  return {
    status: "running",
    stages: [
      { percent: 10, minDwellMinutes: 30, minSamples: 100 },
      { percent: 50, minDwellMinutes: 30, minSamples: 200 },
      { percent: 100, minDwellMinutes: 0, minSamples: 0 },
    ],
    stageIndex: 0,
    stageStartedAt: minutesAgo(60),
    guards: DEFAULT_GUARDS,
    skippedGuards: [],
    onBreach: "rollback",
    autoAdvance: true,
    requireApproval: false,
    approvedBy: null,
    createdBy: "owner@acme.test",
    stageBaseline: null,
    ...overrides,
  };
}

const units = { candidate: 10, stable: 90 };

describe("guards", () => {
  test("without enough samples a guard shows insufficient evidence, never a pass, and the stage does not advance", () => {
    const judgement = judgeRollout(state(), { candidate: arm(12, 0), stable: arm(2000, 40), units }, NOW);
    for (const guard of judgement.guards) {
      expect(guard.state).toBe("insufficient");
      expect(guard.explanation).toMatch(/^Insufficient evidence/);
    }
    expect(judgement.decision.kind).toBe("none");
  });

  test("a candidate with a much higher error rate breaches its guard, and the rollout's breach action is due", () => {
    const judgement = judgeRollout(state({ guards: ERROR_ONLY }), { candidate: arm(120, 48), stable: arm(2000, 40), units }, NOW);
    const guard = judgement.guards[0];
    expect(guard?.state).toBe("breached");
    expect(guard?.test?.pValue).toBeLessThanOrEqual(guard?.test?.alpha ?? 0);
    expect(judgement.decision).toMatchObject({ kind: "breach", metrics: ["error_rate"], action: "rollback" });
  });

  test("a breach needs no minimum sample: strong early evidence acts at once (after the test's own floor)", () => {
    const judgement = judgeRollout(state({ guards: ERROR_ONLY }), { candidate: arm(MIN_TEST_SAMPLES + 5, 25), stable: arm(2000, 40), units }, NOW);
    expect(judgement.decision.kind).toBe("breach");
  });

  test("a candidate as good as stable holds every guard once there are enough samples, and the rollout advances", () => {
    const judgement = judgeRollout(state(), { candidate: arm(400, 8), stable: arm(4000, 80), units }, NOW);
    expect(judgement.guards.map((guard) => guard.state)).toEqual(["holding", "holding", "holding", "holding"]);
    expect(judgement.decision).toMatchObject({ kind: "advance", toIndex: 1 });
  });

  test("holding is not enough before the stage's dwell time has passed", () => {
    const judgement = judgeRollout(state({ stageStartedAt: minutesAgo(10) }), { candidate: arm(400, 8), stable: arm(4000, 80), units }, NOW);
    expect(judgement.decision.kind).toBe("none");
    expect(judgement.decision.explanation).toMatch(/dwells 20 more minute/);
  });

  test("samples are counted from the stage's start: a new stage needs fresh evidence", () => {
    const candidate = arm(400, 8);
    const baseline = { candidate: sampleCounts(arm(350, 7)), stable: sampleCounts(arm(3500, 70)) };
    const judgement = judgeRollout(state({ stageBaseline: baseline }), { candidate, stable: arm(4000, 80), units }, NOW);
    expect(judgement.guards.find((guard) => guard.metric === "error_rate")?.candidate.nInStage).toBe(50);
    expect(judgement.decision.kind).toBe("none");
  });

  test("a person promotes when the rollout does not advance by itself", () => {
    const judgement = judgeRollout(state({ autoAdvance: false }), { candidate: arm(400, 8), stable: arm(4000, 80), units }, NOW);
    expect(judgement.decision).toMatchObject({ kind: "ready", toIndex: 1 });
  });

  test("going to 100 % waits for a second person's approval when the rollout asks for one", () => {
    const last = state({ stageIndex: 1, requireApproval: true });
    const metrics = { candidate: arm(400, 8), stable: arm(4000, 80), units: { candidate: 50, stable: 50 } };
    expect(judgeRollout(last, metrics, NOW).decision).toMatchObject({ kind: "awaiting_approval", toIndex: 2 });
    expect(judgeRollout({ ...last, approvedBy: "cio@acme.test" }, metrics, NOW).decision.kind).toBe("complete");
  });

  test("a skipped guard neither blocks nor breaches", () => {
    const judgement = judgeRollout(
      state({ guards: [...ERROR_ONLY, { metric: "denial_rate", thresholdPercent: 50, enabled: true }], skippedGuards: ["denial_rate"] }),
      { candidate: { ...arm(400, 8), decisions: 0, policyDenials: 0 }, stable: arm(4000, 80), units },
      NOW,
    );
    expect(judgement.guards.map((guard) => guard.state)).toEqual(["holding", "skipped"]);
    expect(judgement.decision.kind).toBe("advance");
  });

  test("a paused rollout is judged but nothing is due", () => {
    const judgement = judgeRollout(state({ status: "paused", guards: ERROR_ONLY }), { candidate: arm(120, 60), stable: arm(2000, 40), units }, NOW);
    expect(judgement.guards[0]?.state).toBe("breached");
    expect(judgement.decision.kind).toBe("none");
  });

  test("a candidate drawn like the stable version never breaches (its estimate sits below the tolerance)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 3000 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 10 }), (n, errorPercent, factor) => {
        const failed = Math.round((n * errorPercent) / 100);
        const evaluations = evaluateGuards(
          DEFAULT_GUARDS.map((config) => ({ config, skipped: false, candidate: arm(n, failed), stable: arm(n * factor, failed * factor), candidateInStage: n, minSamples: 10 })),
          50,
        );
        for (const guard of evaluations) expect(guard.state).not.toBe("breached");
      }),
    );
  });

  test("a guard that is turned off is not evaluated", () => {
    const evaluations = evaluateGuards(
      [{ config: { metric: "cost_per_task", thresholdPercent: 10, enabled: false }, skipped: false, candidate: EMPTY_ARM, stable: EMPTY_ARM, candidateInStage: 0, minSamples: 0 }],
      50,
    );
    expect(evaluations).toEqual([]);
  });
});

describe("sample ratio mismatch", () => {
  test("too few units is not checked (and does not block)", () => {
    expect(checkSampleRatio({ candidate: 0, stable: 20 }, 10).state).toBe("not_checked");
  });

  test("units in the expected proportion pass; far off the target is a mismatch that pauses the rollout", () => {
    expect(checkSampleRatio({ candidate: 48, stable: 452 }, 10).state).toBe("ok");
    const mismatch = checkSampleRatio({ candidate: 150, stable: 350 }, 10);
    expect(mismatch.state).toBe("mismatch");
    const judgement = judgeRollout(state(), { candidate: arm(400, 8), stable: arm(4000, 80), units: { candidate: 150, stable: 350 } }, NOW);
    expect(judgement.decision.kind).toBe("sample_ratio_mismatch");
  });
});

describe("guard explanations", () => {
  test("a noisy estimate above the tolerance holds, and says it is within chance rather than contradicting the number", () => {
    // 14 of 114 candidate tasks failed against 16 of 268 on stable: +106 %, but no sequential evidence yet.
    const evaluations = evaluateGuards(
      [{ config: { metric: "error_rate", thresholdPercent: 20, enabled: true }, skipped: false, candidate: arm(114, 14), stable: arm(268, 16), candidateInStage: 114, minSamples: 40 }],
      40,
    );
    expect(evaluations[0]?.state).toBe("holding");
    expect(evaluations[0]?.explanation).toMatch(/^Holds for now: the candidate reads \+106 % against stable, but at these sample sizes that is within chance/);
  });
});
