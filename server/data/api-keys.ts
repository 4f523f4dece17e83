// API keys in the console: an agent's keys and the org's ingest keys (prefixes and usage only; a
// key's secret is shown once, at creation, and only its hash is stored), created and revoked in
// the caller's audited transaction. A revoked key is refused on its next request.
import { actorOf, assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { can } from "../domain/access/permissions";
import { generateApiKey } from "../domain/keys/api-key";
import { found, refuse } from "../domain/refusal";
import type { AuditWriter } from "./audit";
import { findAgentInReach } from "./agents";

async function listKeys(db: DbOrTx, orgId: AuthorizedOrgId, where: { agentId?: string; kind?: "agent" | "ingest" }) {
  return db.apiKey.findMany({
    where: { orgId, ...where },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, kind: true, agentId: true, name: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** An agent's keys, if the agent is in reach. */
export async function listAgentKeys(db: DbOrTx, access: AuthorizedOrg, agentId: string) {
  const agent = await findAgentInReach(db, access, agentId);
  return listKeys(db, access.orgId, { agentId: agent.id });
}

/** The org's ingest keys, which speak for any agent (events name their agent). */
export function listIngestKeys(db: DbOrTx, orgId: AuthorizedOrgId) {
  return listKeys(db, orgId, { kind: "ingest" });
}

/** A new key for an agent in reach; the answer holds the secret, the only time it exists outside its owner's hands. */
export async function createAgentKey(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, agentId: string, name: string) {
  const agent = await findAgentInReach(tx, access, agentId);
  if (agent.status === "archived") refuse("BAD_REQUEST", "This agent is archived; restore it before giving it a key.");
  const key = await storeKey(tx, access, { kind: "agent", agentId: agent.id, name });
  await audit({ action: "key.created", targetType: "api_key", targetId: key.id, teamId: agent.teamId, after: { kind: "agent", agent: agent.name, name, prefix: key.prefix } });
  return key;
}

/** A new org ingest key; the answer holds the secret (shown once). */
export async function createIngestKey(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, name: string) {
  const key = await storeKey(tx, access, { kind: "ingest", agentId: null, name });
  await audit({ action: "key.created", targetType: "api_key", targetId: key.id, after: { kind: "ingest", name, prefix: key.prefix } });
  return key;
}

async function storeKey(tx: Tx, access: AuthorizedOrg, key: { kind: "agent" | "ingest"; agentId: string | null; name: string }) {
  const secret = generateApiKey();
  const stored = await tx.apiKey.create({
    data: { orgId: access.orgId, ...key, prefix: secret.prefix, hash: secret.hash, createdBy: actorOf(access).label },
  });
  return { id: stored.id, prefix: stored.prefix, key: secret.key };
}

/** Revokes a key at once. Agent keys: within the caller's reach; ingest keys: admins only. */
export async function revokeKey(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, keyId: string) {
  const key = found(await tx.apiKey.findFirst({ where: { orgId: access.orgId, id: keyId }, include: { agent: { select: { teamId: true, name: true } } } }), "key");
  if (key.kind === "ingest" && !can(access.membership.role, "org:admin")) refuse("FORBIDDEN", "Only admins manage org ingest keys.");
  const teamId = key.agent?.teamId ?? null;
  if (key.kind === "agent") assertTeamInReach(access, teamId);
  if (key.revokedAt) refuse("BAD_REQUEST", "This key is already revoked.");
  await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  await audit({
    action: "key.revoked",
    targetType: "api_key",
    targetId: key.id,
    teamId,
    before: { kind: key.kind, name: key.name, prefix: key.prefix, agent: key.agent?.name ?? null },
    after: { revoked: true },
  });
  return { id: key.id };
}
