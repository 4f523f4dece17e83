// An org's memberships: listed, changed and removed by its admins, each change audited in the
// caller's transaction. Who may give or take which role is the pure rule checkRoleChange
// (server/domain/access/permissions.ts); the last owner cannot be demoted or removed.
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { checkRoleChange, ROLE_CHANGE_REFUSALS, type Role } from "../domain/access/permissions";
import { found, refuse } from "../domain/refusal";
import type { AuditWriter } from "./audit";
import { unknownTeamIds } from "./teams";

export async function listMembers(db: DbOrTx, orgId: AuthorizedOrgId) {
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

/** Whether the address (normalised) already belongs to this org. */
export async function isMemberByEmail(db: DbOrTx, orgId: string, email: string): Promise<boolean> {
  return (await db.membership.count({ where: { orgId, user: { email } } })) > 0;
}

/** Refuses (BAD_REQUEST) when one of `teamIds` is not a team of this org. */
export async function assertTeamsExist(db: DbOrTx, orgId: string, teamIds: readonly string[]): Promise<void> {
  if ((await unknownTeamIds(db, orgId, teamIds)).length > 0) refuse("BAD_REQUEST", "One of the teams does not exist in this organisation.");
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

/** The member, once the caller may move them to `toRole` (null: remove them); refuses otherwise. */
async function memberToChange(tx: Tx, access: AuthorizedOrg, membershipId: string, toRole: Role | null) {
  const row = found(await tx.membership.findFirst({ where: { orgId: access.orgId, id: membershipId }, include: { user: { select: { email: true } }, teams: { select: { teamId: true } } } }), "member");
  const refusal = checkRoleChange({
    actorRole: access.membership.role,
    fromRole: row.role,
    toRole,
    ownerCount: await tx.membership.count({ where: { orgId: access.orgId, role: "owner" } }),
  });
  if (refusal) refuse("FORBIDDEN", ROLE_CHANGE_REFUSALS[refusal]);
  return { membershipId: row.id, email: row.user.email, role: row.role, teamIds: row.teams.map((team) => team.teamId).sort() };
}

/** Gives a member a role and teams. */
export async function updateMember(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, change: { membershipId: string; role: Role; teamIds: readonly string[] }) {
  const member = await memberToChange(tx, access, change.membershipId, change.role);
  await assertTeamsExist(tx, access.orgId, change.teamIds);
  await tx.membership.update({ where: { id: member.membershipId }, data: { role: change.role } });
  await setMembershipTeams(tx, access.orgId, member.membershipId, change.teamIds);
  const after = { email: member.email, role: change.role, teamIds: [...new Set(change.teamIds)].sort() };
  await audit({ action: "member.updated", targetType: "membership", targetId: member.membershipId, before: memberSnapshot(member), after });
  return after;
}

export async function removeMember(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, membershipId: string) {
  const member = await memberToChange(tx, access, membershipId, null);
  await tx.membership.delete({ where: { id: member.membershipId } });
  await audit({ action: "member.removed", targetType: "membership", targetId: member.membershipId, before: memberSnapshot(member) });
  return { removed: true };
}

function memberSnapshot(member: { email: string; role: Role; teamIds: string[] }) {
  return { email: member.email, role: member.role, teamIds: member.teamIds };
}
