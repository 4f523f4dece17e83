// The one way the seed module makes an organisation, its people and its agents, each with the
// audit entry the console would have written. The demo seed builds Acme Corp with these, and the
// end-to-end tests build the orgs of their own (an org kill switch must not halt Acme) and the
// accounts that have no membership yet with them too.
import type { DbOrTx, Tx } from "../../server/db";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import { agentSnapshot } from "../../server/data/agents";
import { createMembership } from "../../server/data/members";
import type { Role } from "../../server/domain/access/permissions";
import type { DataCategory } from "../../server/domain/agents/agent-fields";
import { generateApiKey } from "../../server/domain/keys/api-key";

export interface NewUser {
  email: string;
  name: string;
  /** A hash from server/auth/password's hashPassword (scrypt is slow: callers hash in parallel, outside transactions); null: single sign-on only. */
  passwordHash: string | null;
}

/** An account, in no organisation yet. */
export function createUser(db: DbOrTx, user: NewUser) {
  return db.user.create({ data: { email: user.email, name: user.name, passwordHash: user.passwordHash } });
}

export interface SeededOrg {
  orgId: string;
  /** Team name → id. */
  teamIds: Map<string, string>;
}

/** An organisation and its teams. */
export async function createOrg(tx: Tx, actor: AuditActor, org: { slug: string; name: string; teams: readonly string[] }): Promise<SeededOrg> {
  const created = await tx.org.create({ data: { slug: org.slug, name: org.name } });
  await appendAudit(tx, created.id, actor, { action: "org.created", targetType: "org", targetId: created.id, after: { name: created.name, slug: created.slug } });
  const teamIds = new Map<string, string>();
  for (const name of org.teams) {
    const team = await tx.team.create({ data: { orgId: created.id, name } });
    teamIds.set(name, team.id);
    await appendAudit(tx, created.id, actor, { action: "team.created", targetType: "team", targetId: team.id, teamId: team.id, after: { name } });
  }
  return { orgId: created.id, teamIds };
}

/** An account and its membership of `orgId` with `role` in `teams` (names of the org's teams). */
export async function addMember(tx: Tx, actor: AuditActor, org: SeededOrg, person: NewUser & { role: Role; teams: readonly string[] }) {
  const user = await createUser(tx, person);
  const teamIds = person.teams.map((name) => org.teamIds.get(name)).filter((id): id is string => id !== undefined);
  const membership = await createMembership(tx, org.orgId, user.id, person.role, teamIds);
  await appendAudit(tx, org.orgId, actor, {
    action: "member.invited",
    targetType: "membership",
    targetId: membership.id,
    after: { email: person.email, role: person.role, teamIds: [...teamIds].sort() },
  });
  return { userId: user.id, membershipId: membership.id };
}

export interface NewAgent {
  name: string;
  team: string;
  owner?: string;
  framework?: string;
  description?: string;
  models?: string[];
  tools?: string[];
  dataCategories?: DataCategory[];
  tags?: string[];
  version?: string;
}

/** An active agent of the org and one agent key for it; the key's secret is returned, only its hash stored. */
export async function createAgentWithKey(tx: Tx, actor: AuditActor, org: SeededOrg, seed: NewAgent, keyName: string) {
  const { team, ...fields } = seed;
  const agent = await tx.agent.create({ data: { ...fields, orgId: org.orgId, teamId: org.teamIds.get(team) ?? null, status: "active" } });
  await appendAudit(tx, org.orgId, actor, { action: "agent.created", targetType: "agent", targetId: agent.id, teamId: agent.teamId, after: agentSnapshot(agent) });
  const secret = generateApiKey();
  const key = await tx.apiKey.create({
    data: { orgId: org.orgId, kind: "agent", agentId: agent.id, name: keyName, prefix: secret.prefix, hash: secret.hash, createdBy: actor.label },
  });
  await appendAudit(tx, org.orgId, actor, {
    action: "key.created",
    targetType: "api_key",
    targetId: key.id,
    teamId: agent.teamId,
    after: { kind: "agent", agent: agent.name, name: key.name, prefix: key.prefix },
  });
  return { agentId: agent.id, teamId: agent.teamId, apiKey: secret.key };
}
