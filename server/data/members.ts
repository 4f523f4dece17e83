// Memberships and teams of one org. Every function takes the org id; none reaches across orgs.
import type { DbOrTx } from "../db";
import type { Role } from "../domain/access/permissions";

export async function listMembers(db: DbOrTx, orgId: string) {
  const rows = await db.membership.findMany({
    where: { orgId },
    include: { user: { select: { email: true, name: true, lastSignInAt: true, passwordHash: true } }, teams: { select: { teamId: true } } },
    orderBy: { user: { email: "asc" } },
  });
  return rows.map((row) => ({
    membershipId: row.id,
    userId: row.userId,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    teamIds: row.teams.map((team) => team.teamId).sort(),
    lastSignInAt: row.user.lastSignInAt,
    hasPassword: row.user.passwordHash !== null,
    createdAt: row.createdAt,
  }));
}

export async function findMember(db: DbOrTx, orgId: string, membershipId: string) {
  const row = await db.membership.findFirst({
    where: { orgId, id: membershipId },
    include: { user: { select: { email: true } }, teams: { select: { teamId: true } } },
  });
  if (!row) return null;
  return { membershipId: row.id, userId: row.userId, email: row.user.email, role: row.role, teamIds: row.teams.map((team) => team.teamId).sort() };
}

/** Whether the address (normalised) already belongs to this org. */
export async function isMemberByEmail(db: DbOrTx, orgId: string, email: string): Promise<boolean> {
  return (await db.membership.count({ where: { orgId, user: { email } } })) > 0;
}

export function countOwners(db: DbOrTx, orgId: string): Promise<number> {
  return db.membership.count({ where: { orgId, role: "owner" } });
}

/** The ids among `teamIds` that are not teams of this org. */
export async function unknownTeamIds(db: DbOrTx, orgId: string, teamIds: readonly string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const found = await db.team.findMany({ where: { orgId, id: { in: [...teamIds] } }, select: { id: true } });
  const known = new Set(found.map((team) => team.id));
  return teamIds.filter((id) => !known.has(id));
}

export async function setMembershipTeams(db: DbOrTx, orgId: string, membershipId: string, teamIds: readonly string[]) {
  await db.membershipTeam.deleteMany({ where: { orgId, membershipId } });
  if (teamIds.length > 0) {
    await db.membershipTeam.createMany({ data: [...new Set(teamIds)].map((teamId) => ({ orgId, membershipId, teamId })) });
  }
}

export async function createMembership(db: DbOrTx, orgId: string, userId: string, role: Role, teamIds: readonly string[]) {
  const membership = await db.membership.create({ data: { orgId, userId, role } });
  await setMembershipTeams(db, orgId, membership.id, teamIds);
  return membership;
}

export async function listTeams(db: DbOrTx, orgId: string, onlyIds?: readonly string[]) {
  return db.team.findMany({
    where: { orgId, ...(onlyIds ? { id: { in: [...onlyIds] } } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, createdAt: true, _count: { select: { leads: true } } },
  });
}
