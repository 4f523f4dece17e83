// The org kill switch, end to end: an owner engages it in the console; an agent following its
// directives stream with the SDK is told to halt within moments and acknowledges it (the page
// counts it); the halted agent's telemetry is still accepted and stored; release resumes it.
// An org switch stops every agent of the org, so this spec runs in an org of its own (made with
// the seed module): the specs running in parallel on Acme Corp are never halted by it.
import { randomUUID } from "node:crypto";
import { AgentryClient, type Directives } from "../sdk";
import { expect, test } from "./fixtures";
import { AgentPage, KillSwitchesPage } from "./pages";
import { orgOfItsOwn } from "./seed";
import { eventCountOfTask } from "./stored";

test.describe("the org kill switch", () => {
  test("halts a connected SDK agent within moments; its events are still stored; release resumes it", async ({ page, baseURL, signInPage }) => {
    test.setTimeout(90_000);
    if (!baseURL) throw new Error("no baseURL");
    const org = await orgOfItsOwn("kill", "payments-bot");
    const instanceId = `kill-e2e-${randomUUID().slice(0, 8)}`;
    const client = new AgentryClient({ baseUrl: baseURL, apiKey: org.agent.apiKey, instanceId, flushIntervalMs: 60_000 });
    const seen: { at: number; directives: Directives }[] = [];
    client.subscribeDirectives((directives) => seen.push({ at: Date.now(), directives }));
    try {
      await expect.poll(() => seen.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(seen[0]?.directives.halt).toBe(false);

      await signInPage.goto();
      await signInPage.signIn(org.owner.email, org.owner.password);
      await expect(page).toHaveURL(new RegExp(`/${org.slug}$`));
      const killSwitches = new KillSwitchesPage(page, org.slug);
      await killSwitches.goto();

      // Engage: the typed confirmation must be the org's name before the button works.
      await killSwitches.prepare({ scope: "The whole organisation", reason: "E2E: incident drill" });
      await killSwitches.confirm(org.name.toLowerCase());
      await expect(killSwitches.engageButton()).toBeDisabled();
      await killSwitches.confirm(org.name);
      await expect(killSwitches.engageButton()).toBeEnabled();
      const engagedAt = Date.now();
      await killSwitches.engageButton().click();

      // The agent on the stream is told to halt, and acknowledges it.
      await expect.poll(() => seen.at(-1)?.directives.halt, { timeout: 5_000 }).toBe(true);
      const halt = seen.at(-1);
      expect(halt?.directives).toMatchObject({ halt: true, reason: "kill_switch" });
      expect(halt?.directives.killSwitchId).toBeTruthy();
      expect((halt?.at ?? Number.POSITIVE_INFINITY) - engagedAt).toBeLessThan(5_000);

      const engaged = killSwitches.engaged(org.name);
      await expect(engaged).toContainText("E2E: incident drill");
      await expect(killSwitches.acknowledgements(engaged)).toHaveText(/^1 of 1 acknowledged, p95 /, { timeout: 15_000 });

      // The agent's page says it is halted.
      const agentPage = new AgentPage(page, org.agent.id, org.slug);
      await agentPage.open();
      await expect(agentPage.haltedNotice()).toContainText("E2E: incident drill");

      // A halted agent's telemetry is still accepted and stored.
      const taskId = `halted-${randomUUID()}`;
      client.track({ type: "log", taskId, attributes: { note: "still reporting while halted" } });
      await client.flush();
      expect(client.stats).toMatchObject({ accepted: 1, rejected: 0, failed: 0 });
      expect(await eventCountOfTask(taskId)).toBe(1);

      // Resume.
      await killSwitches.goto();
      await killSwitches.release(engaged, "Drill over");
      await expect(engaged).toHaveCount(0);
      await expect.poll(() => seen.at(-1)?.directives.halt, { timeout: 5_000 }).toBe(false);
      await expect(killSwitches.released()).toContainText("E2E: incident drill");
    } finally {
      await client.close();
    }
  });
});
