// Lifecycle in the browser, against the built app with traffic from the SDK over real HTTP: a
// person creates and releases versions, a refused rollout changes nothing, a rollout advances
// stage by stage on its guards to 100 %, a worse candidate is rolled back with no click, the two
// versions are compared with the test behind each difference, and an old version is retired.
// Each fleet (20 instances or more) follows the version its heartbeats direct it to run, and the
// SDK stamps every event with it.
import { randomUUID } from "node:crypto";
import { AgentryClient } from "../sdk";
import { demoFile, expect, signedInAs, test } from "./fixtures";
import { inCandidate } from "../server/domain/rollout/assign";
import { fleetWithArm } from "../test/fleet";
import { agentIdOf, rolloutCountOf, runningRolloutSaltOf } from "./stored";

interface Fleet {
  stop: () => Promise<void>;
  client: AgentryClient;
  instances: string[];
  tasks: () => number;
}

/**
 * The `instances` of `agent` working: each heartbeats every 2 s (its answer directs its version)
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

test.describe("rollouts", () => {
  signedInAs("owner");

  test("a person creates and releases versions, a refused rollout changes nothing, and a good candidate advances stage by stage to 100 %", async ({ agentPage, rollouts, baseURL }) => {
    test.setTimeout(240_000);
    if (!baseURL) throw new Error("no baseURL");
    const agent = "financial-analyst";
    const id = await agentIdOf(agent);
    const analyst = agentPage(id);
    await analyst.open("versions");
    await expect(analyst.noVersions()).toBeVisible();

    // The first version, released, becomes stable.
    await expect(await analyst.createVersion({ label: "1.0.0", systemPrompt: "Analyse the quarter's ledgers for the finance team.\nCite the rows you used." })).toBeHidden();
    await analyst.release("1.0.0", "What runs today");
    await expect(analyst.version(agent, "1.0.0")).toContainText("Stable");

    // A candidate (started from the stable version, its prompt changed), and a copy identical to stable.
    for (const [label, extra] of [
      ["1.1.0", "\nFlag any figure that moved more than 10 %."],
      ["1.0.1", ""],
    ] as const) {
      await expect(await analyst.createVersion({ label, appendToPrompt: extra })).toBeHidden();
      await expect(await analyst.release(label, `Release ${label}`)).toBeHidden();
    }

    // The side-by-side diff shows the added line.
    await analyst.compare("1.0.0 (stable)", "1.1.0 (released)");
    await expect(analyst.changes("1.0.0", "1.1.0").getByLabel("added: Flag any figure that moved more than 10 %.")).toBeVisible();

    // A candidate identical to stable is refused, in the form, and nothing is started.
    const rollout = await analyst.openRolloutForm();
    await rollout.candidate("1.0.1");
    await rollout.reason("Try the copy");
    await rollout.start();
    await expect(rollout.error()).toContainText("Version 1.0.1 is identical to the stable version 1.0.0");
    expect(await rolloutCountOf(id)).toBe(0);

    // The real candidate, in three stages: 30 % → 60 % → 100 %, no dwell, 30 samples per guard and stage.
    await rollout.candidate("1.1.0");
    await rollout.removeStage(3);
    await rollout.stage(1, { percent: "30", dwellMinutes: "0", samples: "30" });
    await rollout.stage(2, { percent: "60", dwellMinutes: "0", samples: "30" });
    // This agent does not call decide: it has no decisions to judge a denial rate on.
    await rollout.withoutGuard(/Policy-denial rate/);
    await rollout.onBreach("pause");
    await rollout.reason("1.1.0 links its sources");
    await rollout.start();
    await expect(rollout.dialog).toBeHidden();

    // With one instance or none at 30 % (about one rollout in 130), the guards would wait long for
    // samples, or forever: the fleet has two there.
    const salt = await runningRolloutSaltOf(id);
    const names = fleetWithArm(
      (name) => inCandidate(salt, name, 30),
      (n) => `fa-e2e-${n + 1}`,
    );
    const fleet = startFleet(baseURL, agent, names, () => 0.02);
    try {
      await rollouts.goto();
      const card = rollouts.rollout(agent, "1.1.0");
      await expect(rollouts.currentStage(card)).toContainText("30 %");
      // The guards gather evidence, hold, and the rollout advances by itself.
      await expect(rollouts.currentStage(card)).toContainText("60 %", { timeout: 120_000 });
      await expect(rollouts.guard(card, /Error rate/)).toBeVisible();
      await expect(rollouts.past(agent)).toContainText("Completed", { timeout: 120_000 });
      // The instances moved with it: every heartbeat now directs 1.1.0.
      await expect.poll(() => fleet.instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "1.1.0").length, { timeout: 15_000 }).toBe(fleet.instances.length);
    } finally {
      await fleet.stop();
    }

    await analyst.open("versions");
    await expect(analyst.version(agent, "1.1.0")).toContainText("Stable");
    await analyst.switchTab("Timeline");
    const ledger = analyst.releaseLedger();
    await expect(ledger.getByText("Rollout complete: 1.1.0 is stable at 100 %")).toBeVisible();
    await expect(ledger.getByText("Stage advanced: 30 % → 60 %")).toBeVisible();
    await expect(ledger.getByText("Rollout started: 1.0.0 → 1.1.0 at 30 %")).toBeVisible();
  });

  test("a worse candidate is rolled back by its guard, with no click, and its instances move back; the comparison shows why; an old version is retired", async ({ rollouts, agentPage, alerts, baseURL }) => {
    test.setTimeout(240_000);
    if (!baseURL) throw new Error("no baseURL");
    // The demo's running canary: ticket-router 2.2.0 at 10 % over 2.1.0.
    await rollouts.goto();
    const card = rollouts.rollout("ticket-router", "2.2.0");
    await expect(card).toContainText("10 % of instances on 2.2.0");

    const instances = Array.from({ length: 20 }, (_, n) => `ticket-router-${n + 1}`);
    const fleet = startFleet(baseURL, "ticket-router", instances, (version) => (version === "2.2.0" ? 0.6 : 0.03));
    try {
      await expect.poll(() => instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "2.2.0").length, { timeout: 15_000 }).toBe(2);
      // Other specs' instances of ticket-router may be heard from too, and a share of them hash
      // onto 2.2.0 as well: the card counts at least our two of at least our twenty.
      const assignment = rollouts.assignment(card, "2.2.0");
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
      const past = rollouts.past("ticket-router");
      await expect(past).toContainText("Rolled back", { timeout: 150_000 });
      await expect(past).toContainText("Error rate");
      await expect(card).toBeHidden();
      await expect.poll(() => instances.filter((instance) => fleet.client.directedVersion(instance)?.label === "2.1.0").length, { timeout: 15_000 }).toBe(20);
    } finally {
      await fleet.stop();
    }

    const ticketRouter = agentPage(await agentIdOf("ticket-router"));
    await ticketRouter.open("timeline");
    const line = ticketRouter.releaseLedger().getByRole("listitem").filter({ hasText: "Rolled back: 2.2.0 → 2.1.0 (from 10 %)" });
    await expect(line).toContainText("automatic");
    await expect(line).toContainText("system (rollout guards)");
    await alerts.goto();
    await expect(alerts.page.getByText("Rollout of 2.2.0 rolled back: error rate").first()).toBeVisible();

    // The two versions on the same traffic window: the candidate's failures are a significant
    // difference, said with the test that says so and corrected for the other metrics tested.
    await ticketRouter.open("versions");
    await ticketRouter.compare("2.1.0 (stable)", "2.2.0 (released)");
    const ab = ticketRouter.abComparison("2.1.0", "2.2.0");
    await expect(ab).toContainText(/2\.2\.0 differs significantly from 2\.1\.0 in success rate.*Holm-corrected across \d tests/);
    const successRate = ab.getByRole("row", { name: /^Success rate/ });
    await expect(successRate).toContainText("two-proportion z-test");
    await expect(successRate).toContainText("Yes");

    // The old 2.0.3 retired: an instance still running it is directed to the stable version, and
    // refused (reason retired) if it acts before it has moved.
    await expect(await ticketRouter.retire("2.0.3", "Superseded by 2.1.0 weeks ago")).toBeHidden();
    await expect(ticketRouter.version("ticket-router", "2.0.3")).toContainText("Retired");
    const apiKey = demoFile().agentKeys["ticket-router"] ?? "";
    const straggler = new AgentryClient({ baseUrl: baseURL, apiKey, instanceId: `ticket-router-old-${randomUUID()}`, version: "2.0.3" });
    try {
      const directives = await straggler.heartbeat({ status: "ok" });
      expect(directives.version?.label).toBe("2.1.0");
      const answer = await straggler.decide({ action: { type: "tool", name: "ticket_read" }, version: "2.0.3" });
      expect(answer.decision).toBe("deny");
      expect(answer.reasons.map((reason) => reason.code)).toEqual(["retired"]);
    } finally {
      await straggler.close();
    }
  });
});
