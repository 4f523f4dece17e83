import { describe, expect, it } from "vitest";
import { blendedPriceMicros, checkModel, routeTask, type RoutableModel, type RoutingRuleSpec } from "./route";

const model = (name: string, provider: string, input: number, output: number, qualityTier: number, status: RoutableModel["status"] = "active"): RoutableModel => ({
  name,
  provider,
  inputMicrosPerMTok: BigInt(input * 1_000_000),
  outputMicrosPerMTok: BigInt(output * 1_000_000),
  qualityTier,
  status,
});

const MODELS = [
  model("big", "openai", 10, 30, 5),
  model("mid", "anthropic", 3, 15, 4),
  model("small", "google", 0.3, 2.5, 3),
  model("tiny", "google", 0.1, 0.4, 1),
  model("old", "openai", 0.05, 0.1, 4, "deprecated"),
  model("off", "openai", 0.01, 0.01, 5, "disabled"),
];
const rule = (minQuality: number, extra: Partial<RoutingRuleSpec> = {}): RoutingRuleSpec => ({ taskType: "t", minQuality, allowedProviders: [], fallbackChain: [], ...extra });

describe("routeTask", () => {
  it("picks the cheapest active model that meets the quality floor", () => {
    const result = routeTask(MODELS, rule(3), new Set());
    expect(result.ok && result.model.name).toBe("small");
    expect(result.ok && result.fallbacks.map((fallback) => fallback.name)).toEqual(["mid", "big"]);
  });

  it("never routes to deprecated or disabled models, however cheap", () => {
    const result = routeTask(MODELS, rule(4), new Set());
    expect(result.ok && result.model.name).toBe("mid");
  });

  it("skips killed models and moves to the next eligible one", () => {
    const result = routeTask(MODELS, rule(3), new Set(["small"]));
    expect(result.ok && result.model.name).toBe("mid");
  });

  it("keeps to the allowed providers", () => {
    const result = routeTask(MODELS, rule(1, { allowedProviders: ["openai"] }), new Set());
    expect(result.ok && result.model.name).toBe("big");
  });

  it("uses the rule's fallback chain in order, leaving out the chosen, disabled and killed models", () => {
    const result = routeTask(MODELS, rule(1, { fallbackChain: ["big", "tiny", "off", "mid"] }), new Set(["mid"]));
    expect(result.ok && result.model.name).toBe("tiny");
    expect(result.ok && result.fallbacks.map((fallback) => fallback.name)).toEqual(["big"]);
  });

  it("says why when nothing is eligible", () => {
    const result = routeTask(MODELS, rule(5), new Set(["big"]));
    expect(result.ok).toBe(false);
    expect(result.reasons[0]?.code).toBe("no_eligible_model");
  });
});

describe("checkModel", () => {
  it("refuses unknown, disabled, killed and below-floor models with their own reasons", () => {
    expect(checkModel(MODELS, "nope", null, new Set()).reasons[0]?.code).toBe("unknown_model");
    expect(checkModel(MODELS, "off", null, new Set()).reasons[0]?.code).toBe("model_disabled");
    expect(checkModel(MODELS, "mid", null, new Set(["mid"])).reasons[0]?.code).toBe("kill_switch");
    expect(checkModel(MODELS, "tiny", rule(3), new Set()).reasons[0]?.code).toBe("below_quality_floor");
    expect(checkModel(MODELS, "mid", rule(1, { allowedProviders: ["google"] }), new Set()).reasons[0]?.code).toBe("provider_not_allowed");
  });

  it("allows a deprecated model but says it is deprecated", () => {
    const result = checkModel(MODELS, "old", null, new Set());
    expect(result.ok).toBe(true);
    expect(result.reasons.map((reason) => reason.code)).toEqual(["model_deprecated"]);
  });

  it("offers fallbacks for the task type when the model may be used", () => {
    const result = checkModel(MODELS, "mid", rule(3), new Set());
    expect(result.ok && result.fallbacks.map((fallback) => fallback.name)).toEqual(["small", "big"]);
  });
});

describe("blendedPriceMicros", () => {
  it("weighs input three to one against output", () => {
    expect(blendedPriceMicros({ inputMicrosPerMTok: 4_000_000n, outputMicrosPerMTok: 8_000_000n })).toBe(5_000_000n);
  });
});
