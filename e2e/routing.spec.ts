import { routeTask } from "../server/domain/routing/route";
import { expect, signedInAs, test } from "./fixtures";
import { routingRegistryOf } from "./stored";

test.describe("anyone reading the Routing page", () => {
  signedInAs("viewer");

  test("sees each task type routed to the model the registry in the database says, and no edit controls", async ({ routing }) => {
    const { models, rules } = await routingRegistryOf("acme");
    expect(rules.map((rule) => rule.task_type)).toEqual(["analysis", "classification", "generation"]);

    await routing.goto();
    for (const rule of rules) {
      const expected = routeTask(models, { taskType: rule.task_type, minQuality: rule.min_quality, allowedProviders: rule.allowed_providers, fallbackChain: rule.fallback_chain }, new Set());
      if (!expected.ok) throw new Error(`no route for ${rule.task_type}`);
      const row = routing.rule(rule.task_type);
      await expect(row).toContainText(`≥ ${rule.min_quality}`);
      await expect(row).toContainText(expected.model.name);
    }
    await expect(routing.newRuleButton()).toHaveCount(0);
    await expect(routing.editModelButtons()).toHaveCount(0);
    await expect(routing.modelRegistry()).toContainText("claude-sonnet-4-5");
  });
});
