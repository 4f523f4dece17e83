import { describe, expect, it } from "vitest";
import type { RoutableModel } from "./route";
import { routingSavings } from "./savings";

const model = (name: string, input: bigint, output: bigint): RoutableModel => ({ name, provider: "p", inputMicrosPerMTok: input, outputMicrosPerMTok: output, qualityTier: 3, status: "active" });
const MODELS = [model("cheap", 100_000n, 400_000n), model("dear", 3_000_000n, 15_000_000n)];

describe("routingSavings", () => {
  it("prices routed tokens on the most expensive model the agent asked for", () => {
    const summary = routingSavings(
      [{ agentId: "a", taskType: "classification", model: "cheap", inputTokens: 1_000_000, outputTokens: 100_000, costMicros: 140_000n }],
      MODELS,
      new Map([["a", ["dear", "cheap"]]]),
    );
    // On "dear": 1M × $3 + 0.1M × $15 = $4.50.
    expect(summary).toMatchObject({ calls: 1, actualMicros: 140_000n, baselineMicros: 4_500_000n, savedMicros: 4_360_000n });
    expect(summary.byTaskType).toEqual([{ taskType: "classification", calls: 1, actualMicros: 140_000n, baselineMicros: 4_500_000n, savedMicros: 4_360_000n }]);
  });

  it("saves nothing when the agent asked only for the routed model, and never less than nothing", () => {
    const summary = routingSavings(
      [
        { agentId: "b", taskType: null, model: "cheap", inputTokens: 1000, outputTokens: 0, costMicros: 100n },
        { agentId: "c", taskType: null, model: "cheap", inputTokens: 1000, outputTokens: 0, costMicros: 999n },
      ],
      MODELS,
      new Map(),
    );
    expect(summary.savedMicros).toBe(0n);
    expect(summary.byTaskType[0]?.taskType).toBe("(none)");
  });
});
