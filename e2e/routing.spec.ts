import { routeTask, type RoutableModel } from "../server/domain/routing/route";
import { expect, signedInAs, test, withDatabase } from "./fixtures";

test.describe("anyone reading the Routing page", () => {
  signedInAs("viewer");

  test("sees each task type routed to the model the registry in the database says, and no edit controls", async ({ page }) => {
    const { models, rules } = await withDatabase(async (client) => {
      const org = (await client.query<{ id: string }>("SELECT id FROM orgs WHERE slug = 'acme'")).rows[0]?.id;
      const modelRows = await client.query<{ name: string; provider: string; input: string; output: string; quality_tier: number; status: RoutableModel["status"] }>(
        "SELECT name, provider, input_micros_per_mtok AS input, output_micros_per_mtok AS output, quality_tier, status FROM models WHERE org_id = $1",
        [org],
      );
      const ruleRows = await client.query<{ task_type: string; min_quality: number; allowed_providers: string[]; fallback_chain: string[] }>(
        "SELECT task_type, min_quality, allowed_providers, fallback_chain FROM routing_rules WHERE org_id = $1 ORDER BY task_type",
        [org],
      );
      return {
        models: modelRows.rows.map((row) => ({
          name: row.name,
          provider: row.provider,
          inputMicrosPerMTok: BigInt(row.input),
          outputMicrosPerMTok: BigInt(row.output),
          qualityTier: row.quality_tier,
          status: row.status,
        })),
        rules: ruleRows.rows,
      };
    });
    expect(rules.map((rule) => rule.task_type)).toEqual(["analysis", "classification", "generation"]);

    await page.goto("/acme/routing");
    for (const rule of rules) {
      const expected = routeTask(models, { taskType: rule.task_type, minQuality: rule.min_quality, allowedProviders: rule.allowed_providers, fallbackChain: rule.fallback_chain }, new Set());
      if (!expected.ok) throw new Error(`no route for ${rule.task_type}`);
      const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: rule.task_type, exact: true }) });
      await expect(row).toContainText(`≥ ${rule.min_quality}`);
      await expect(row).toContainText(expected.model.name);
    }
    await expect(page.getByRole("button", { name: "New routing rule" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Edit model/ })).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Model registry" })).toContainText("claude-sonnet-4-5");
  });
});
