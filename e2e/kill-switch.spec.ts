// The org kill switch, end to end: an owner engages it in the console; an agent following its
// directives stream with the SDK is told to halt within moments and acknowledges it (the page
// counts it); the halted agent's telemetry is still accepted and stored; release resumes it.
// An org switch stops every agent of the org, so this spec runs in an org of its own (made here
// through SQL): the specs running in parallel on Acme Corp are never halted by it.
import { randomUUID } from "node:crypto";
import { AgentryClient, type Directives } from "../sdk";
import { hashPassword } from "../server/auth/password";
import { generateApiKey } from "../server/domain/keys/api-key";
import { expect, SignInPage, test, withDatabase } from "./fixtures";

interface KillOrg {
  slug: string;
  name: string;
  email: string;
  password: string;
  agentId: string;
  agentName: string;
  apiKey: string;
}

async function createKillOrg(): Promise<KillOrg> {
  const suffix = randomUUID().slice(0, 8);
  const org = {
    slug: `kill-${suffix}`,
    name: `Kill Test ${suffix}`,
    email: `owner-${suffix}@kill.test`,
    password: `pw-${randomUUID()}`,
    agentName: "payments-bot",
  };
  const key = generateApiKey();
  const passwordHash = await hashPassword(org.password);
  const agentId = await withDatabase(async (db) => {
    await db.query("BEGIN");
    const orgId = (await db.query<{ id: string }>("INSERT INTO orgs (id, slug, name) VALUES (gen_random_uuid(), $1, $2) RETURNING id", [org.slug, org.name])).rows[0]?.id;
    const teamId = (await db.query<{ id: string }>("INSERT INTO teams (id, org_id, name) VALUES (gen_random_uuid(), $1, 'Payments') RETURNING id", [orgId])).rows[0]?.id;
    const userId = (await db.query<{ id: string }>("INSERT INTO users (id, email, name, password_hash) VALUES (gen_random_uuid(), $1, 'Kill Owner', $2) RETURNING id", [org.email, passwordHash])).rows[0]?.id;
    await db.query("INSERT INTO memberships (id, org_id, user_id, role) VALUES (gen_random_uuid(), $1, $2, 'owner')", [orgId, userId]);
    const id = (await db.query<{ id: string }>("INSERT INTO agents (org_id, name, team_id, status) VALUES ($1, $2, $3, 'active') RETURNING id", [orgId, org.agentName, teamId])).rows[0]?.id;
    await db.query("INSERT INTO api_keys (org_id, kind, agent_id, name, prefix, hash) VALUES ($1, 'agent', $2, 'e2e', $3, $4)", [orgId, id, key.prefix, key.hash]);
    await db.query("COMMIT");
    if (!id) throw new Error("the agent was not created");
    return id;
  });
  return { ...org, agentId, apiKey: key.key };
}

test.describe("the org kill switch", () => {
  test("halts a connected SDK agent within moments; its events are still stored; release resumes it", async ({ page, baseURL }) => {
    test.setTimeout(90_000);
    if (!baseURL) throw new Error("no baseURL");
    const org = await createKillOrg();
    const instanceId = `kill-e2e-${randomUUID().slice(0, 8)}`;
    const client = new AgentryClient({ baseUrl: baseURL, apiKey: org.apiKey, instanceId, flushIntervalMs: 60_000 });
    const seen: { at: number; directives: Directives }[] = [];
    client.subscribeDirectives((directives) => seen.push({ at: Date.now(), directives }));
    try {
      await expect.poll(() => seen.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(seen[0]?.directives.halt).toBe(false);

      const signIn = new SignInPage(page);
      await signIn.goto();
      await signIn.signIn(org.email, org.password);
      await expect(page).toHaveURL(new RegExp(`/${org.slug}$`));
      await page.goto(`/${org.slug}/kill-switches`);

      // Engage: the typed confirmation must be the org's name before the button works.
      await page.getByLabel("Scope").selectOption({ label: "The whole organisation" });
      await page.getByLabel("Reason").fill("E2E: incident drill");
      const engage = page.getByRole("button", { name: "Engage kill switch" });
      await page.getByLabel("Type the target's name to confirm").fill(org.name.toLowerCase());
      await expect(engage).toBeDisabled();
      await page.getByLabel("Type the target's name to confirm").fill(org.name);
      await expect(engage).toBeEnabled();
      const engagedAt = Date.now();
      await engage.click();

      // The agent on the stream is told to halt, and acknowledges it.
      await expect.poll(() => seen.at(-1)?.directives.halt, { timeout: 5_000 }).toBe(true);
      const halt = seen.at(-1);
      expect(halt?.directives).toMatchObject({ halt: true, reason: "kill_switch" });
      expect(halt?.directives.killSwitchId).toBeTruthy();
      expect((halt?.at ?? Number.POSITIVE_INFINITY) - engagedAt).toBeLessThan(5_000);

      const item = page.getByRole("list", { name: "Engaged kill switches" }).getByRole("listitem").filter({ hasText: org.name });
      await expect(item).toContainText("E2E: incident drill");
      await expect(item.getByTestId("ack-summary")).toHaveText(/^1 of 1 acknowledged, p95 /, { timeout: 15_000 });

      // The agent's page says it is halted.
      await page.goto(`/${org.slug}/agents/${org.agentId}`);
      await expect(page.getByRole("alert").filter({ hasText: "Halted by a kill switch" })).toContainText("E2E: incident drill");

      // A halted agent's telemetry is still accepted and stored.
      const taskId = `halted-${randomUUID()}`;
      client.track({ type: "log", taskId, attributes: { note: "still reporting while halted" } });
      await client.flush();
      expect(client.stats).toMatchObject({ accepted: 1, rejected: 0, failed: 0 });
      const stored = await withDatabase(async (db) => (await db.query("SELECT 1 FROM events WHERE task_id = $1", [taskId])).rowCount);
      expect(stored).toBe(1);

      // Resume.
      await page.goto(`/${org.slug}/kill-switches`);
      await item.getByRole("button", { name: /^Release/ }).click();
      await item.getByLabel("Why release it?").fill("Drill over");
      await item.getByRole("button", { name: "Release and resume" }).click();
      await expect(item).toHaveCount(0);
      await expect.poll(() => seen.at(-1)?.directives.halt, { timeout: 5_000 }).toBe(false);
      await expect(page.getByRole("table", { name: "Released kill switches" })).toContainText("E2E: incident drill");
    } finally {
      await client.close();
    }
  });
});
