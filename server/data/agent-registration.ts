// Registering and changing agents in the console: create, edit (a discovered agent becomes
// registered when someone completes its record), archive (its keys revoked with it) and restore.
// Each runs in the caller's audited transaction and writes its entry there.
import { assertTeamInReach, type AuthorizedOrg } from "../auth/access";
import type { Tx } from "../db";
import { refusingDuplicates } from "../db/unique-violation";
import type { AgentCard } from "../domain/agents/a2a-card";
import type { AgentFields } from "../domain/agents/agent-fields";
import { refuse } from "../domain/refusal";
import type { AuditWriter } from "./audit";
import { agentSnapshot, findAgentInReach } from "./agents";
import { unknownTeamIds } from "./teams";

const DUPLICATE_NAME = "An agent with that name already exists in this organisation.";

/** An imported A2A card's provider and skills, kept on the record (shown on the agent's page). */
export type ImportedCard = {
  url: string | null;
  provider?: AgentCard["provider"] | null;
  skills: NonNullable<AgentCard["skills"]>;
};

/** Team leads place agents only in their own teams (never team-less); the team must be the org's. */
async function assertPlaceableIn(tx: Tx, access: AuthorizedOrg, teamId: string | null): Promise<void> {
  assertTeamInReach(access, teamId);
  if (teamId && (await unknownTeamIds(tx, access.orgId, [teamId])).length > 0) refuse("BAD_REQUEST", "That team does not exist in this organisation.");
}

export async function createAgent(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, fields: AgentFields, card: ImportedCard | undefined) {
  await assertPlaceableIn(tx, access, fields.teamId);
  const agent = await refusingDuplicates(DUPLICATE_NAME, () => tx.agent.create({ data: { ...fields, ...(card ? { card } : {}), orgId: access.orgId, status: "active" } }));
  await audit({ action: "agent.created", targetType: "agent", targetId: agent.id, teamId: agent.teamId, after: agentSnapshot(agent) });
  return { id: agent.id, name: agent.name };
}

/** Edits an agent; a discovered agent becomes registered (active). */
export async function updateAgent(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, agentId: string, fields: AgentFields) {
  const before = await findAgentInReach(tx, access, agentId);
  if (before.status === "archived") refuse("BAD_REQUEST", "This agent is archived; restore it first.");
  await assertPlaceableIn(tx, access, fields.teamId);
  const after = await refusingDuplicates(DUPLICATE_NAME, () => tx.agent.update({ where: { id: before.id }, data: { ...fields, status: "active" } }));
  await audit({
    action: before.status === "discovered" ? "agent.registered" : "agent.updated",
    targetType: "agent",
    targetId: after.id,
    teamId: after.teamId,
    before: agentSnapshot(before),
    after: agentSnapshot(after),
  });
  return { id: after.id, name: after.name };
}

/** Archives an agent and revokes its keys: an archived agent must not keep reporting in as itself. */
export async function archiveAgent(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, agentId: string, reason: string | null) {
  const before = await findAgentInReach(tx, access, agentId);
  if (before.status === "archived") refuse("BAD_REQUEST", "This agent is already archived.");
  const revoked = await tx.apiKey.updateMany({ where: { orgId: access.orgId, agentId: before.id, revokedAt: null }, data: { revokedAt: new Date() } });
  const after = await tx.agent.update({ where: { id: before.id }, data: { status: "archived" } });
  const change = { before: { status: before.status }, after: { status: after.status, keysRevoked: revoked.count } };
  await audit({ action: "agent.archived", targetType: "agent", targetId: after.id, teamId: after.teamId, ...change, reason });
  return { id: after.id, keysRevoked: revoked.count };
}

export async function restoreAgent(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, agentId: string) {
  const before = await findAgentInReach(tx, access, agentId);
  if (before.status !== "archived") refuse("BAD_REQUEST", "This agent is not archived.");
  const after = await tx.agent.update({ where: { id: before.id }, data: { status: "active" } });
  await audit({ action: "agent.restored", targetType: "agent", targetId: after.id, teamId: after.teamId, before: { status: "archived" }, after: { status: "active" } });
  return { id: after.id };
}
