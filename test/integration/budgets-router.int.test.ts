// The Budgets console API: what each role may set, the refusals a person sees (bad amounts, a
// limit below spend, a team lead over the team's budget or reaching into another team), what a
// team lead sees, and the audit entries with before and after.
import { beforeAll, describe, expect, test } from "vitest";
import { seedBudgets } from "../../prisma/seed/budgets";
import { callerFor, createTestOrg, errorCode, testDb, type TestOrg } from "./helpers";

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await call;
    return null;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}

describe("budgets in the console", () => {
  let org: TestOrg;
  let mine: string; // an agent in the lead's team
  let mine2: string;
  let theirs: string; // an agent in another team
  const owner = () => callerFor(org.users.owner.userId);
  const lead = () => callerFor(org.users.team_lead.userId);

  beforeAll(async () => {
    org = await createTestOrg();
    const db = testDb();
    mine = (await db.agent.create({ data: { orgId: org.id, name: "mine", teamId: org.leadTeamId } })).id;
    mine2 = (await db.agent.create({ data: { orgId: org.id, name: "mine-2", teamId: org.leadTeamId } })).id;
    theirs = (await db.agent.create({ data: { orgId: org.id, name: "theirs", teamId: org.otherTeamId } })).id;
    // This month, `mine` has spent $12.50.
    const today = new Date();
    await db.spendDaily.create({
      data: { orgId: org.id, agentId: mine, teamId: org.leadTeamId, day: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())), costMicros: 12_500_000n },
    });
  });

  test("an owner sets org and team budgets; the audit entry keeps the amounts exactly", async () => {
    const created = await owner().budgets.create({ orgId: org.id, scope: "org", period: "monthly", mode: "soft", limitUsd: "5,000", thresholds: [50, 80, 100] });
    await owner().budgets.create({ orgId: org.id, scope: "team", teamId: org.leadTeamId, period: "monthly", mode: "hard", limitUsd: "100", thresholds: [80, 50] });
    await owner().budgets.create({ orgId: org.id, scope: "team", teamId: org.otherTeamId, period: "monthly", mode: "hard", limitUsd: "100", thresholds: [] });
    const entry = await testDb().auditEntry.findFirst({ where: { orgId: org.id, action: "budget.created", targetId: created.id } });
    expect(entry?.after).toEqual({ scope: "org", teamId: null, agentId: null, period: "monthly", mode: "soft", limitUsd: "5000.000000", thresholds: [50, 80, 100] });
  });

  test("bad amounts are refused with a message for the form", async () => {
    const base = { orgId: org.id, scope: "agent" as const, agentId: mine2, period: "daily" as const, mode: "hard" as const, thresholds: [] };
    for (const [limitUsd, message] of [
      ["-5", "The limit cannot be negative"],
      ["0", "The limit must be more than $0"],
      ["20000000", "The limit must be at most $10,000,000.00 per period"],
      ["abc", "Enter a limit in US dollars, such as 250 or 99.50"],
    ] as const) {
      const refused = await refusal(owner().budgets.create({ ...base, limitUsd }));
      expect(refused?.code, limitUsd).toBe("BAD_REQUEST");
      expect(refused?.message).toContain(message);
    }
  });

  test("a limit below what is already spent this period is refused, saying how much", async () => {
    const refused = await refusal(owner().budgets.create({ orgId: org.id, scope: "agent", agentId: mine, period: "monthly", mode: "hard", limitUsd: "10", thresholds: [] }));
    expect(refused).toEqual({ code: "BAD_REQUEST", message: "The limit $10.00 is below what is already spent this month (UTC): $12.50. Set at least $12.50." });
  });

  test("a team lead splits the team's budget among its agents, and not a cent more", async () => {
    await lead().budgets.create({ orgId: org.id, scope: "agent", agentId: mine, period: "monthly", mode: "hard", limitUsd: "60", thresholds: [] });
    const over = await refusal(lead().budgets.create({ orgId: org.id, scope: "agent", agentId: mine2, period: "monthly", mode: "hard", limitUsd: "40.01", thresholds: [] }));
    expect(over).toEqual({ code: "BAD_REQUEST", message: "That is more than Marketing has left to allocate: $40.00 available of its $100.00 monthly budget." });
    const fits = await lead().budgets.create({ orgId: org.id, scope: "agent", agentId: mine2, period: "monthly", mode: "hard", limitUsd: "40", thresholds: [] });
    // Raising one allocation counts the others, not itself.
    const raise = await refusal(lead().budgets.update({ orgId: org.id, budgetId: fits.id, fields: { mode: "hard", limitUsd: "40.000001", thresholds: [] } }));
    expect(raise?.message).toBe("That is more than Marketing has left to allocate: $40.00 available of its $100.00 monthly budget.");
    await lead().budgets.update({ orgId: org.id, budgetId: fits.id, fields: { mode: "soft", limitUsd: "39", thresholds: [100] } });
    const entry = await testDb().auditEntry.findFirst({ where: { orgId: org.id, action: "budget.updated", targetId: fits.id }, orderBy: { seq: "desc" } });
    expect(entry).toMatchObject({ teamId: org.leadTeamId, before: { mode: "hard", limitUsd: "40.000000" }, after: { mode: "soft", limitUsd: "39.000000", thresholds: [100] } });
    // A team without a daily budget has nothing to split per day.
    const daily = await refusal(lead().budgets.create({ orgId: org.id, scope: "agent", agentId: mine2, period: "daily", mode: "hard", limitUsd: "1", thresholds: [] }));
    expect(daily?.message).toBe("Marketing has no daily budget to split among its agents. An owner or admin sets team budgets.");
  });

  test("a team lead reaching into another team, or setting team and org budgets, is FORBIDDEN and changes nothing", async () => {
    const before = await testDb().budget.count({ where: { orgId: org.id } });
    const theirBudget = await owner().budgets.create({ orgId: org.id, scope: "agent", agentId: theirs, period: "monthly", mode: "hard", limitUsd: "10", thresholds: [] });
    const teamBudget = await testDb().budget.findFirstOrThrow({ where: { orgId: org.id, scope: "team", teamId: org.leadTeamId } });
    expect(await errorCode(lead().budgets.create({ orgId: org.id, scope: "agent", agentId: theirs, period: "daily", mode: "hard", limitUsd: "1", thresholds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(lead().budgets.create({ orgId: org.id, scope: "team", teamId: org.leadTeamId, period: "daily", mode: "hard", limitUsd: "1", thresholds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(lead().budgets.create({ orgId: org.id, scope: "org", period: "daily", mode: "hard", limitUsd: "1", thresholds: [] }))).toBe("FORBIDDEN");
    expect(await errorCode(lead().budgets.update({ orgId: org.id, budgetId: theirBudget.id, fields: { mode: "hard", limitUsd: "1000", thresholds: [] } }))).toBe("FORBIDDEN");
    expect(await errorCode(lead().budgets.update({ orgId: org.id, budgetId: teamBudget.id, fields: { mode: "hard", limitUsd: "1000", thresholds: [] } }))).toBe("FORBIDDEN");
    expect(await errorCode(lead().budgets.delete({ orgId: org.id, budgetId: theirBudget.id }))).toBe("FORBIDDEN");
    expect(await testDb().budget.count({ where: { orgId: org.id } })).toBe(before + 1);
    expect((await testDb().budget.findUniqueOrThrow({ where: { id: teamBudget.id } })).limitMicros).toBe(100_000_000n);
  });

  test("one budget per scope and period", async () => {
    expect(await errorCode(owner().budgets.create({ orgId: org.id, scope: "org", period: "monthly", mode: "hard", limitUsd: "100", thresholds: [] }))).toBe("CONFLICT");
  });

  test("a team lead sees their team's budgets and its agents'; others see all, with spent and remaining", async () => {
    const seen = await lead().budgets.list({ orgId: org.id });
    expect(seen.budgets.map((budget) => [budget.scope, budget.agentName ?? budget.teamName]).sort()).toEqual([
      ["agent", "mine"],
      ["agent", "mine-2"],
      ["team", "Marketing"],
    ]);
    const all = await callerFor(org.users.viewer.userId).budgets.list({ orgId: org.id });
    expect(all.budgets).toHaveLength(6);
    const mineBudget = all.budgets.find((budget) => budget.agentId === mine);
    expect(mineBudget).toMatchObject({ limitMicros: 60_000_000n, spentMicros: 12_500_000n, reservedMicros: 0n, remainingMicros: 47_500_000n, thresholdsReached: [] });
    expect(mineBudget && mineBudget.forecastMicros >= 12_500_000n).toBe(true);
    const team = all.budgets.find((budget) => budget.scope === "team" && budget.teamId === org.leadTeamId);
    expect(team).toMatchObject({ spentMicros: 12_500_000n, thresholds: [50, 80] });
  });

  test("deleting a budget is audited with what it was", async () => {
    const target = await testDb().budget.findFirstOrThrow({ where: { orgId: org.id, agentId: mine2 } });
    await lead().budgets.delete({ orgId: org.id, budgetId: target.id });
    const entry = await testDb().auditEntry.findFirst({ where: { orgId: org.id, action: "budget.deleted", targetId: target.id } });
    expect(entry?.before).toMatchObject({ scope: "agent", agentId: mine2, limitUsd: "39.000000" });
    expect(await testDb().budget.findUnique({ where: { id: target.id } })).toBeNull();
  });
});

describe("the demo seed's budgets", () => {
  test("the org and every team monthly, doc-classifier a hard $1 daily cap, Finance's agents within Finance's budget", async () => {
    const org = await createTestOrg();
    const db = testDb();
    const teamIds = new Map(org.teams.map((team) => [team.name, team.id]));
    const agentIds = new Map<string, string>();
    for (const [name, team] of [
      ["doc-classifier", "IT"],
      ["financial-analyst", "Finance"],
      ["reconciliation-agent", "Finance"],
    ] as const) {
      agentIds.set(name, (await db.agent.create({ data: { orgId: org.id, name, teamId: teamIds.get(team) ?? null } })).id);
    }
    await db.$transaction((tx) => seedBudgets(tx, { orgId: org.id, teamIds, agentIds, system: { type: "system", id: null, label: "system (test seed)" } }));

    const { budgets } = await callerFor(org.users.owner.userId).budgets.list({ orgId: org.id });
    const monthlyScopes = budgets.filter((budget) => budget.period === "monthly" && budget.scope !== "agent").map((budget) => budget.teamName ?? budget.scope);
    expect(monthlyScopes.sort()).toEqual(["Customer Service", "Finance", "IT", "Marketing", "org"]);
    expect(budgets.find((budget) => budget.agentName === "doc-classifier")).toMatchObject({ period: "daily", mode: "hard", limitMicros: 1_000_000n });
    const finance = budgets.find((budget) => budget.scope === "team" && budget.teamName === "Finance");
    const allocated = budgets.filter((budget) => budget.scope === "agent" && budget.teamName === "Finance" && budget.period === "monthly").reduce((sum, budget) => sum + budget.limitMicros, 0n);
    expect(allocated).toBeGreaterThan(0n);
    expect(allocated).toBeLessThanOrEqual(finance?.limitMicros ?? 0n);
    expect(await db.auditEntry.count({ where: { orgId: org.id, action: "budget.created" } })).toBe(budgets.length);
  });
});
