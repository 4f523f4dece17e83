// Lifecycle in the browser, against the built app with traffic from the SDK over real HTTP: a
// person creates and releases versions, a refused rollout changes nothing, a rollout advances
// stage by stage on its guards to 100 %, and a worse candidate is rolled back with no click.
// Each fleet of 20 instances follows the version its heartbeats direct it to run, and the SDK
// stamps every event with it.
import { randomUUID } from "node:crypto";
import { AgentryClient } from "../sdk";
import { demoFile, expect, signedInAs, test, withDatabase } from "./fixtures";

interface Fleet {
  stop: () => Promise<void>;
  client: AgentryClient;
  instances: string[];
  tasks: () => number;
}

/**
 * Twenty instances of `agent` working: each heartbeats every 2 s (its answer directs its version)
 * and runs tasks under the version it is told to run. `failRate(version)` is the share of that
 * version's tasks that fail.
 */
function startFleet(baseURL: string, agent: string, instances: string[], failRate: (version: string | undefined) => number): Fleet {
  const apiKey = demoFile().agentKeys[agent];
  if (!apiKey) throw new Error(`demo.json has no key for ${agent}`);
  const client = new AgentryClient({ baseUrl: baseURL, apiKey, instanceId: instances[0], batchSize: 200, flushIntervalMs: 300 });
  let running = true;
  let tasks = 0;
  const beat = async () => {
    while (running) {
      await Promise.all(instances.map((instanceId) => client.heartbeat({ instanceId, status: "ok" }).catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  const work = async () => {
    let turn = 0;
    while (running) {
      for (let k = 0; k < 3; k++) {
        const instanceId = instances[turn++ % instances.length] ?? "";
        const version = client.runningVersion(instanceId);
        const taskId = `task-${randomUUID()}`;
        const failed = Math.random() < failRate(version);
        const at = Date.now();
        // No version on the events: the SDK stamps each with its instance's directed version.
        client.track({ type: "task_start", taskId, instanceId, timestamp: new Date(at) });
        client.track({
          type: "llm_call",
          taskId,
          instanceId,
          timestamp: new Date(at + 1),
          model: "gpt-4.1-mini",
          provider: "openai",
          inputTokens: 800 + Math.floor(Math.random() * 400),
          outputTokens: 100 + Math.floor(Math.random() * 60),
          latencyMs: 500 + Math.floor(Math.random() * 600),
          status: failed ? "error" : "ok",
        });
        client.track({ type: "task_end", taskId, instanceId, timestamp: new Date(at + 2), status: failed ? "failed" : "ok" });
        tasks++;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const loops = [beat(), work()];
  return {
    client,
    instances,
    tasks: () => tasks,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await client.close();
    },
  };
}

async function agentId(name: string): Promise<string> {
  return withDatabase(async (db) => {
    const id = (await db.query<{ id: string }>("SELECT id::text FROM agents WHERE name = $1", [name])).rows[0]?.id;
    if (!id) throw new Error(`no agent ${name}`);
    return id;
  });
}

test.describe("rollouts", () => {
  signedInAs("owner");

  test("a person creates and releases versions, a refused rollout changes nothing, and a good candidate advances stage by stage to 100 %", async ({ page, baseURL }) => {
    test.setTimeout(240_000);
    if (!baseURL) throw new Error("no baseURL");
    const agent = "financial-analyst";
    const id = await agentId(agent);
    await page.goto(`/acme/agents/${id}?tab=versions`);
    await expect(page.getByText("No versions yet")).toBeVisible();

    // The first version, released, becomes stable.
    await page.getByRole("button", { name: "New version" }).first().click();
    let dialog = page.getByRole("dialog", { name: "New version" });
    await dialog.getByLabel("Label").fill("1.0.0");
    await dialog.getByLabel("System prompt").fill("Analyse the quarter's ledgers for the finance team.\nCite the rows you used.");
    await dialog.getByRole("button", { name: "Create draft" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Release 1.0.0" }).click();
    dialog = page.getByRole("dialog", { name: "Release 1.0.0?" });
    await dialog.getByLabel("Reason").fill("What runs today");
    await dialog.getByRole("button", { name: "Release", exact: true }).click();
    const versions = page.getByRole("table", { name: `Versions of ${agent}` });
    await expect(versions.getByRole("row", { name: /1\.0\.0/ })).toContainText("Stable");

    // A candidate (started from the stable version, its prompt changed), and a copy identical to stable.
    for (const [label, extra] of [
      ["1.1.0", "\nFlag any figure that moved more than 10 %."],
      ["1.0.1", ""],
    ] as const) {
      await page.getByRole("button", { name: "New version" }).click();
      dialog = page.getByRole("dialog", { name: "New version" });
      await dialog.getByLabel("Label").fill(label);
      if (extra) await dialog.getByLabel("System prompt").press("End");
      if (extra) await dialog.getByLabel("System prompt").pressSequentially(extra);
      await dialog.getByRole("button", { name: "Create draft" }).click();
      await expect(dialog).toBeHidden();
      await page.getByRole("button", { name: `Release ${label}` }).click();
      dialog = page.getByRole("dialog", { name: `Release ${label}?` });
      await dialog.getByLabel("Reason").fill(`Release ${label}`);
      await dialog.getByRole("button", { name: "Release", exact: true }).click();
      await expect(dialog).toBeHidden();
    }

    // The side-by-side diff shows the added line.
    await page.getByLabel("From (A)").selectOption({ label: "1.0.0 (stable)" });
    await page.getByLabel("To (B)").selectOption({ label: "1.1.0 (released)" });
    await expect(page.getByRole("region", { name: "Changes from 1.0.0 to 1.1.0" }).getByLabel("added: Flag any figure that moved more than 10 %.")).toBeVisible();

    // A candidate identical to stable is refused, in the form, and nothing is started.
    await page.getByRole("button", { name: "Start a rollout" }).click();
    dialog = page.getByRole("dialog", { name: "Start a rollout" });
    await dialog.getByLabel("Candidate version").selectOption({ label: "1.0.1" });
    await dialog.getByLabel("Reason").fill("Try the copy");
    await dialog.getByRole("button", { name: "Start rollout" }).click();
    await expect(dialog.getByRole("alert")).toContainText("Version 1.0.1 is identical to the stable version 1.0.0");
    expect(await withDatabase(async (db) => (await db.query("SELECT 1 FROM rollouts WHERE agent_id = $1", [id])).rowCount)).toBe(0);

    // The real candidate, in three stages: 30 % → 60 % → 100 %, no dwell, 30 samples per guard and stage.
    await dialog.getByLabel("Candidate version").selectOption({ label: "1.1.0" });
    await dialog.getByRole("button", { name: "Remove stage 3" }).click();
    for (const [stage, percent] of [
      [1, "30"],
      [2, "60"],
    ] as const) {
      await dialog.getByLabel(`Stage ${stage} percent`).fill(percent);
      await dialog.getByLabel(`Stage ${stage} minimum dwell in minutes`).fill("0");
      await dialog.getByLabel(`Stage ${stage} minimum samples`).fill("30");
    }
    // This agent does not call decide: it has no decisions to judge a denial rate on.
    await dialog.getByRole("checkbox", { name: /Policy-denial rate/ }).uncheck();
    await dialog.getByLabel("On a breach").selectOption("pause");
    await dialog.getByLabel("Reason").fill("1.1.0 links its sources");
    await dialog.getByRole("button", { name: "Start rollout" }).click();
    await expect(dialog).toBeHidden();

    const fleet = startFleet(baseURL, agent, Array.from({ length: 20 }, (_, n) => `fa-e2e-${n + 1}`), () => 0.02);
    try {
      await page.goto("/acme/rollouts");
      const card = page.getByRole("article", { name: `Rollout of ${agent} 1.1.0` });
      await expect(card.getByRole("list", { name: "Stages" }).locator("[aria-current=step]")).toContainText("30 %");
      // The guards gather evidence, hold, and the rollout advances by itself.
      await expect(card.getByRole("list", { name: "Stages" }).locator("[aria-current=step]")).toContainText("60 %", { timeout: 120_000 });
      await expect(card.getByRole("row", { name: /Error rate/ })).toBeVisible();
      const past = page.getByRole("table", { name: "Past rollouts" }).getByRole("row", { name: new RegExp(agent) });
      await expect(past).toContainText("Completed", { timeout: 120_000 });
      // The instances moved with it: every heartbeat now directs 1.1.0.
      await expect.poll(() => fleet.instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "1.1.0").length, { timeout: 15_000 }).toBe(20);
    } finally {
      await fleet.stop();
    }

    await page.goto(`/acme/agents/${id}?tab=versions`);
    await expect(versions.getByRole("row", { name: /1\.1\.0/ })).toContainText("Stable");
    await page.getByRole("tab", { name: "Timeline" }).click();
    const ledger = page.getByRole("list", { name: "Release ledger" });
    await expect(ledger.getByText("Rollout complete: 1.1.0 is stable at 100 %")).toBeVisible();
    await expect(ledger.getByText("Stage advanced: 30 % → 60 %")).toBeVisible();
    await expect(ledger.getByText("Rollout started: 1.0.0 → 1.1.0 at 30 %")).toBeVisible();
  });

  test("a worse candidate is rolled back by its guard, with no click, and its instances move back", async ({ page, baseURL }) => {
    test.setTimeout(240_000);
    if (!baseURL) throw new Error("no baseURL");
    // The demo's running canary: ticket-router 2.2.0 at 10 % over 2.1.0.
    await page.goto("/acme/rollouts");
    const card = page.getByRole("article", { name: "Rollout of ticket-router 2.2.0" });
    await expect(card).toContainText("10 % of instances on 2.2.0");

    const instances = Array.from({ length: 20 }, (_, n) => `ticket-router-${n + 1}`);
    const fleet = startFleet(baseURL, "ticket-router", instances, (version) => (version === "2.2.0" ? 0.6 : 0.03));
    try {
      await expect.poll(() => instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "2.2.0").length, { timeout: 15_000 }).toBe(2);
      // Other specs' instances of ticket-router may be heard from too, and a share of them hash
      // onto 2.2.0 as well: the card counts at least our two of at least our twenty.
      const assignment = card.getByText(/^\d+ of \d+ assigned to 2\.2\.0/);
      await expect
        .poll(
          async () => {
            const text = (await assignment.textContent({ timeout: 1000 }).catch(() => null)) ?? "";
            const [, assigned = "0", seen = "0"] = /^(\d+) of (\d+)/.exec(text) ?? [];
            return Number(assigned) >= 2 && Number(seen) >= instances.length;
          },
          { timeout: 20_000 },
        )
        .toBe(true);
      // No one touches anything: the error-rate guard breaches and the rollout is rolled back.
      const past = page.getByRole("table", { name: "Past rollouts" }).getByRole("row", { name: /ticket-router/ });
      await expect(past).toContainText("Rolled back", { timeout: 150_000 });
      await expect(past).toContainText("Error rate");
      await expect(card).toBeHidden();
      await expect.poll(() => instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "2.1.0").length, { timeout: 15_000 }).toBe(20);
    } finally {
      await fleet.stop();
    }

    const id = await agentId("ticket-router");
    await page.goto(`/acme/agents/${id}?tab=timeline`);
    const line = page.getByRole("list", { name: "Release ledger" }).getByRole("listitem").filter({ hasText: "Rolled back: 2.2.0 → 2.1.0 (from 10 %)" });
    await expect(line).toContainText("automatic");
    await expect(line).toContainText("system (rollout guards)");
    await page.goto("/acme/alerts");
    await expect(page.getByText("Rollout of 2.2.0 rolled back: error rate").first()).toBeVisible();
  });
});
