// Routing rules of the demo org (docs/demo.md): classification needs quality 1 or better,
// analysis 3, generation 4; each with an ordered fallback chain across providers.
import type { Tx } from "../../server/db";

export const SEED_ROUTING_RULES = [
  { taskType: "classification", minQuality: 1, allowedProviders: [], fallbackChain: ["gpt-5-nano", "gpt-4o-mini"] },
  { taskType: "analysis", minQuality: 3, allowedProviders: [], fallbackChain: ["gpt-4.1-mini", "claude-haiku-4-5"] },
  { taskType: "generation", minQuality: 4, allowedProviders: [], fallbackChain: ["claude-sonnet-4-5", "gpt-4.1"] },
];

export async function seedRouting(tx: Tx, orgId: string): Promise<void> {
  await tx.routingRule.createMany({ data: SEED_ROUTING_RULES.map((rule) => ({ ...rule, orgId })) });
}
