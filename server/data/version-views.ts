// Agent versions as the console reads them: an agent's versions with its running rollout, its
// release timeline, and the A/B comparison of two versions over the same window. The agent must
// be in the caller's reach. Changes: server/data/versions.ts and server/data/rollouts.ts.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { Db, DbOrTx } from "../db";
import { refuse } from "../domain/refusal";
import { compareArms } from "../domain/rollout/ab";
import { listReleaseEvents } from "./release-ledger";
import { armMetrics } from "./rollout-metrics";
import { listRollouts } from "./rollout-views";
import { agentRefInReach, type VersionRecord } from "./versions";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The agent's versions (newest first) and its running rollout, if any. */
export async function versionsOfAgent(db: Db, access: AuthorizedOrg, agentId: string) {
  const agent = await agentRefInReach(db, access, agentId);
  const [versions, rollouts] = await Promise.all([listVersions(db, access.orgId, agent.id), listRollouts(db, access.orgId, access.reach, { agentId: agent.id, limit: 1 })]);
  return { agent, versions, activeRollout: rollouts.active[0] ?? null };
}

/** The release ledger of the agent: its timeline. */
export async function agentTimeline(db: DbOrTx, access: AuthorizedOrg, agentId: string) {
  const agent = await agentRefInReach(db, access, agentId);
  return listReleaseEvents(db, access.orgId, agent.id);
}

/** A/B comparison of two of the agent's versions over the last `days`, each difference with its test and interval. */
export async function compareVersions(db: DbOrTx, access: AuthorizedOrg, input: { agentId: string; aId: string; bId: string; days: number }, now: Date = new Date()) {
  const agent = await agentRefInReach(db, access, input.agentId);
  const versions = await listVersions(db, access.orgId, agent.id);
  const a = versions.find((version) => version.id === input.aId);
  const b = versions.find((version) => version.id === input.bId);
  if (!a || !b) refuse("NOT_FOUND", "Both versions must belong to this agent.");
  if (a.id === b.id) refuse("BAD_REQUEST", "Pick two different versions to compare.");
  const from = new Date(now.getTime() - input.days * DAY_MS);
  const arms = await armMetrics(db, { orgId: access.orgId, agentId: agent.id, from, to: now, a, b });
  return { from, to: now, ...compareArms(a.label, arms.a, b.label, arms.b) };
}

/** The versions tab's read: every version with who made it, newest first. */
async function listVersions(db: DbOrTx, orgId: AuthorizedOrgId, agentId: string): Promise<VersionRecord[]> {
  const rows = await db.agentVersion.findMany({ where: { orgId, agentId }, orderBy: [{ createdAt: "desc" }, { label: "desc" }] });
  return rows.map((row) => ({
    id: row.id,
    orgId: row.orgId,
    agentId: row.agentId,
    label: row.label,
    model: row.model,
    systemPrompt: row.systemPrompt,
    tools: row.tools,
    config: (row.config ?? {}) as Record<string, unknown>,
    notes: row.notes,
    status: row.status,
    stable: row.stableFor !== null,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    releasedAt: row.releasedAt,
    releasedBy: row.releasedBy,
    deprecatedAt: row.deprecatedAt,
    retiredAt: row.retiredAt,
  }));
}
