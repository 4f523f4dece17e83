import { describe, expect, test } from "vitest";
import { emptyShareHint, formatGuardValue, formatMinutes, formatRelative, ledgerTitle, phaseOf, stageSteps } from "./present";

describe("rollout presentation", () => {
  test("guard values read in their units, money as money", () => {
    expect(formatGuardValue("error_rate", 0.0312)).toBe("3.12 %");
    expect(formatGuardValue("denial_rate", 0.25)).toBe("25.0 %");
    expect(formatGuardValue("cost_per_task", 1234.6)).toBe("$0.001235");
    expect(formatGuardValue("cost_per_task", 123_456)).toBe("$0.1235");
    expect(formatGuardValue("latency_p95", 1834.2)).toBe("1,834 ms");
    expect(formatGuardValue("latency_p95", null)).toBe("—");
  });

  test("an empty canary share says how many instances to expect, and nothing when it cannot be empty by chance", () => {
    expect(emptyShareHint(1, 20, "2.3.0")).toMatch(/^None of 20 yet: at 1 %, expect fewer than one on 2\.3\.0\./);
    expect(emptyShareHint(10, 20, "2.3.0")).toMatch(/expect about 2 on 2\.3\.0/);
    expect(emptyShareHint(100, 20, "2.3.0")).toBeNull();
    expect(emptyShareHint(10, 0, "2.3.0")).toBeNull();
  });

  test("relative differences are signed", () => {
    expect(formatRelative(0.123)).toBe("+12.3 %");
    expect(formatRelative(-0.04)).toBe("−4.0 %");
    expect(formatRelative(0)).toBe("0.0 %");
  });

  test("a running rollout's phase comes from its last evaluation", () => {
    expect(phaseOf({ status: "running", lastEvaluation: { decision: { kind: "ready" } } })).toBe("ready");
    expect(phaseOf({ status: "running", lastEvaluation: null })).toBe("running");
    expect(phaseOf({ status: "paused", lastEvaluation: { decision: { kind: "ready" } } })).toBe("paused");
  });

  test("stage steps: passed, current, to come; all done when complete; none current when rolled back", () => {
    const stages = [{ percent: 1 }, { percent: 10 }, { percent: 100 }];
    expect(stageSteps(stages, 1, "running").map((step) => step.state)).toEqual(["done", "current", "pending"]);
    expect(stageSteps(stages, 2, "completed").map((step) => step.state)).toEqual(["done", "done", "done"]);
    expect(stageSteps(stages, 1, "rolled_back").map((step) => step.state)).toEqual(["done", "pending", "pending"]);
  });

  test("durations and ledger headlines", () => {
    expect(formatMinutes(12.7)).toBe("12 min");
    expect(formatMinutes(125)).toBe("2 h 5 min");
    expect(formatMinutes(3 * 1440 + 240)).toBe("3 d 4 h");
    expect(ledgerTitle({ kind: "rolled_back", from: { label: "2.2.0" }, to: { label: "2.1.0" }, fromPercent: 10, toPercent: 0 })).toBe("Rolled back: 2.2.0 → 2.1.0 (from 10 %)");
    expect(ledgerTitle({ kind: "stage_advanced", from: null, to: null, fromPercent: 10, toPercent: 50 })).toBe("Stage advanced: 10 % → 50 %");
    expect(ledgerTitle({ kind: "guard_skipped", from: null, to: null, fromPercent: 10, toPercent: 10, details: { guard: "latency_p95" } })).toBe("Guard skipped for this stage: latency p95");
  });
});
