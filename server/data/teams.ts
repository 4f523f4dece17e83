// An org's teams: listed within the caller's reach, created and renamed by admins (audited in the
// caller's transaction), and checked when something names them.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { refusingDuplicates } from "../db/unique-violation";
import { found } from "../domain/refusal";
import type { AuditWriter } from "./audit";

const DUPLICATE_NAME = "A team with that name already exists.";

/** Team leads see their own teams; everyone else sees all. */
export async function listTeams(db: DbOrTx, access: Pick<AuthorizedOrg, "orgId" | "reach">) {
  const reach = access.reach;
  const teams = await db.team.findMany({
    where: { orgId: access.orgId, ...(reach.kind === "teams" ? { id: { in: [...reach.teamIds] } } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, createdAt: true, _count: { select: { leads: true } } },
  });
  return teams.map((team) => ({ id: team.id, name: team.name, createdAt: team.createdAt, leadCount: team._count.leads }));
}

/** The ids among `teamIds` that are not teams of this org (also used when an invitation is accepted). */
export async function unknownTeamIds(db: DbOrTx, orgId: string, teamIds: readonly string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const known = await db.team.findMany({ where: { orgId, id: { in: [...teamIds] } }, select: { id: true } });
  const ids = new Set(known.map((team) => team.id));
  return teamIds.filter((id) => !ids.has(id));
}

export async function createTeam(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, name: string) {
  const team = await refusingDuplicates(DUPLICATE_NAME, () => tx.team.create({ data: { orgId, name } }));
  await audit({ action: "team.created", targetType: "team", targetId: team.id, teamId: team.id, after: { name: team.name } });
  return { id: team.id, name: team.name };
}

export async function renameTeam(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, teamId: string, name: string) {
  const team = found(await tx.team.findFirst({ where: { orgId, id: teamId } }), "team");
  await refusingDuplicates(DUPLICATE_NAME, () => tx.team.update({ where: { id: team.id }, data: { name } }));
  await audit({ action: "team.renamed", targetType: "team", targetId: team.id, teamId: team.id, before: { name: team.name }, after: { name } });
  return { id: team.id, name };
}
