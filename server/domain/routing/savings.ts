// What routing saved: the routed calls' actual cost against what the same tokens would have cost
// on the most expensive model the agent asked for (the models in its registry record, or the
// routed model itself when it lists none). Pure.
import { tokenCostMicros } from "../cost/money";
import { blendedPriceMicros, type RoutableModel } from "./route";

export interface RoutedCall {
  agentId: string;
  taskType: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: bigint;
}

export interface SavingsSummary {
  calls: number;
  actualMicros: bigint;
  baselineMicros: bigint;
  savedMicros: bigint;
  byTaskType: { taskType: string; calls: number; actualMicros: bigint; baselineMicros: bigint; savedMicros: bigint }[];
}

export function routingSavings(calls: readonly RoutedCall[], models: readonly RoutableModel[], agentModels: ReadonlyMap<string, readonly string[]>): SavingsSummary {
  const byName = new Map(models.map((model) => [model.name, model]));
  const baselineFor = (call: RoutedCall): RoutableModel | undefined => {
    const asked = [...(agentModels.get(call.agentId) ?? []), call.model].map((name) => byName.get(name)).filter((model): model is RoutableModel => model !== undefined);
    return asked.reduce<RoutableModel | undefined>((best, model) => (!best || blendedPriceMicros(model) > blendedPriceMicros(best) ? model : best), undefined);
  };
  const groups = new Map<string, { calls: number; actualMicros: bigint; baselineMicros: bigint }>();
  let actual = 0n;
  let baseline = 0n;
  for (const call of calls) {
    const reference = baselineFor(call);
    const wouldCost = reference
      ? tokenCostMicros({ inputTokens: call.inputTokens, outputTokens: call.outputTokens, inputMicrosPerMTok: reference.inputMicrosPerMTok, outputMicrosPerMTok: reference.outputMicrosPerMTok })
      : call.costMicros;
    // Never count a "saving" below zero: a routed call that cost more than the reference saved nothing.
    const callBaseline = wouldCost > call.costMicros ? wouldCost : call.costMicros;
    actual += call.costMicros;
    baseline += callBaseline;
    const key = call.taskType ?? "(none)";
    const group = groups.get(key) ?? { calls: 0, actualMicros: 0n, baselineMicros: 0n };
    group.calls += 1;
    group.actualMicros += call.costMicros;
    group.baselineMicros += callBaseline;
    groups.set(key, group);
  }
  return {
    calls: calls.length,
    actualMicros: actual,
    baselineMicros: baseline,
    savedMicros: baseline - actual,
    byTaskType: [...groups.entries()].map(([taskType, group]) => ({ taskType, ...group, savedMicros: group.baselineMicros - group.actualMicros })).sort((a, b) => a.taskType.localeCompare(b.taskType)),
  };
}
