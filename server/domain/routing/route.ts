// Model routing: for a task type, the cheapest active, allowed, not-killed model at or above the
// rule's quality floor, plus its fallbacks; and whether a named model may be used. Pure.

export interface RoutableModel {
  name: string;
  provider: string;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  qualityTier: number;
  status: "active" | "deprecated" | "disabled";
}

export interface RoutingRuleSpec {
  taskType: string;
  minQuality: number;
  allowedProviders: readonly string[];
  fallbackChain: readonly string[];
}

export interface Reason {
  code: string;
  message: string;
}

export type RouteResult = { ok: true; model: RoutableModel; fallbacks: RoutableModel[]; reasons: Reason[] } | { ok: false; reasons: Reason[] };

/** Fallbacks offered when a rule names none: the next cheapest eligible models. */
const IMPLICIT_FALLBACKS = 2;

/**
 * The price used to compare models: input and output list prices weighted 3:1, the typical
 * ratio of prompt to completion tokens in agent traffic.
 */
export function blendedPriceMicros(model: Pick<RoutableModel, "inputMicrosPerMTok" | "outputMicrosPerMTok">): bigint {
  return (3n * model.inputMicrosPerMTok + model.outputMicrosPerMTok) / 4n;
}

function byPrice(a: RoutableModel, b: RoutableModel): number {
  const difference = blendedPriceMicros(a) - blendedPriceMicros(b);
  if (difference !== 0n) return difference < 0n ? -1 : 1;
  // Same price: the better model first, then by name so the answer is stable.
  return b.qualityTier - a.qualityTier || a.name.localeCompare(b.name);
}

function eligible(model: RoutableModel, rule: RoutingRuleSpec, killed: ReadonlySet<string>): boolean {
  return model.status === "active" && !killed.has(model.name) && model.qualityTier >= rule.minQuality && (rule.allowedProviders.length === 0 || rule.allowedProviders.includes(model.provider));
}

/** `{type: "model", name: "auto"}`: which model a task of this type should run on. */
export function routeTask(models: readonly RoutableModel[], rule: RoutingRuleSpec, killed: ReadonlySet<string>): RouteResult {
  const candidates = models.filter((model) => eligible(model, rule, killed)).sort(byPrice);
  const chosen = candidates[0];
  if (!chosen) {
    return {
      ok: false,
      reasons: [
        {
          code: "no_eligible_model",
          message: `No active, allowed model of quality ${rule.minQuality} or better is available for "${rule.taskType}"${killed.size > 0 ? " (some are stopped by kill switches)" : ""}.`,
        },
      ],
    };
  }
  const byName = new Map(models.map((model) => [model.name, model]));
  const chain = rule.fallbackChain
    .map((name) => byName.get(name))
    .filter((model): model is RoutableModel => model !== undefined && model.name !== chosen.name && model.status !== "disabled" && !killed.has(model.name));
  const fallbacks = rule.fallbackChain.length > 0 ? chain : candidates.slice(1, 1 + IMPLICIT_FALLBACKS);
  return {
    ok: true,
    model: chosen,
    fallbacks,
    reasons: [{ code: "routed", message: `${chosen.name} is the cheapest eligible model for "${rule.taskType}" (quality ${chosen.qualityTier} ≥ ${rule.minQuality}).` }],
  };
}

/** `{type: "model", name: "<model>"}`: may this model be used (for this task type, when given)? */
export function checkModel(models: readonly RoutableModel[], name: string, rule: RoutingRuleSpec | null, killed: ReadonlySet<string>): RouteResult {
  const model = models.find((candidate) => candidate.name === name);
  if (!model) return { ok: false, reasons: [{ code: "unknown_model", message: `"${name}" is not in the model registry.` }] };
  if (model.status === "disabled") return { ok: false, reasons: [{ code: "model_disabled", message: `${name} is disabled in the model registry.` }] };
  if (killed.has(name)) return { ok: false, reasons: [{ code: "kill_switch", message: `${name} is stopped by a kill switch.` }] };
  if (rule && model.qualityTier < rule.minQuality) {
    return { ok: false, reasons: [{ code: "below_quality_floor", message: `${name} (quality ${model.qualityTier}) is below the floor of ${rule.minQuality} for "${rule.taskType}".` }] };
  }
  if (rule && rule.allowedProviders.length > 0 && !rule.allowedProviders.includes(model.provider)) {
    return { ok: false, reasons: [{ code: "provider_not_allowed", message: `${model.provider} is not an allowed provider for "${rule.taskType}".` }] };
  }
  const reasons: Reason[] = [];
  if (model.status === "deprecated") reasons.push({ code: "model_deprecated", message: `${name} is deprecated; plan a move to another model.` });
  const fallbacks = rule ? routeTask(models, rule, new Set([...killed, name])) : null;
  return { ok: true, model, fallbacks: fallbacks?.ok ? [fallbacks.model, ...fallbacks.fallbacks] : [], reasons };
}
