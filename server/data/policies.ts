// Agent permission policies' storage (Prisma), for the console. The decide path reads enforced
// policies through server/policy/engine.ts instead.
import type { DbOrTx } from "../db";

export async function listPolicies(db: DbOrTx, orgId: string) {
  return db.policy.findMany({
    where: { orgId },
    orderBy: [{ status: "asc" }, { name: "asc" }],
    select: { id: true, name: true, description: true, cedar: true, form: true, status: true, version: true, createdBy: true, createdAt: true, updatedAt: true },
  });
}

export async function findPolicy(db: DbOrTx, orgId: string, policyId: string) {
  return db.policy.findFirst({ where: { orgId, id: policyId } });
}

export async function policyVersions(db: DbOrTx, orgId: string, policyId: string) {
  return db.policyVersion.findMany({
    where: { orgId, policyId },
    orderBy: { version: "desc" },
    select: { version: true, cedar: true, form: true, status: true, createdBy: true, createdAt: true },
  });
}

/** The org's last `limit` recorded decisions, newest first, for replay against a draft. */
export async function recentDecisions(db: DbOrTx, orgId: string, limit: number) {
  return db.decisionRecord.findMany({
    where: { orgId },
    orderBy: { at: "desc" },
    take: limit,
    select: { id: true, at: true, agentId: true, actionType: true, actionName: true, arguments: true, dataClasses: true, estimatedCostMicros: true, decision: true, policyIds: true },
  });
}

/** The agents named, with what policies read about them (team name, tags, registered lists). */
export async function agentsForPolicies(db: DbOrTx, orgId: string, agentIds: readonly string[]) {
  const agents = await db.agent.findMany({
    where: { orgId, id: { in: [...agentIds] } },
    select: { id: true, name: true, teamId: true, tags: true, riskClass: true, tools: true, models: true, dataCategories: true, team: { select: { name: true } } },
  });
  return new Map(agents.map((agent) => [agent.id, agent]));
}

export async function orgSettings(db: DbOrTx, orgId: string): Promise<unknown> {
  return (await db.org.findUnique({ where: { id: orgId }, select: { settings: true } }))?.settings ?? {};
}

/** Agent and team names in the org: policies that name others are flagged on the Policies page. */
export async function knownNames(db: DbOrTx, orgId: string) {
  const [agents, teams] = await Promise.all([
    db.agent.findMany({ where: { orgId, status: { not: "archived" } }, select: { name: true } }),
    db.team.findMany({ where: { orgId }, select: { name: true } }),
  ]);
  return { agents: new Set(agents.map((agent) => agent.name)), teams: new Set(teams.map((team) => team.name)) };
}
