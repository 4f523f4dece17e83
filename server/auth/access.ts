// The only place that mints an AuthorizedOrg: a user's membership read fresh from the
// database (which mints its AuthorizedOrgId), with the reach of one permission. Code that takes an
// AuthorizedOrg can trust that the check happened.
import type { Db } from "../db";
import { reachIncludesTeam, reachOf, type Permission, type Reach, type Role } from "../domain/access/permissions";
import { Refused } from "../domain/refusal";
import type { AuthorizedOrgId } from "./org-id";
import { isUuid } from "../domain/text/uuid";

export type { AuthorizedOrgId } from "./org-id";

export interface Membership {
  /** Minted here: the membership was just read for this user. A role's permission is `authorize`'s to check. */
  orgId: AuthorizedOrgId;
  orgSlug: string;
  orgName: string;
  membershipId: string;
  userId: string;
  userEmail: string;
  userName: string;
  role: Role;
  teamIds: string[];
}

export interface AuthorizedOrg {
  orgId: AuthorizedOrgId;
  membership: Membership;
  permission: Permission;
  reach: Reach;
}

export async function loadMembership(db: Db, userId: string, org: { id: string } | { slug: string }): Promise<Membership | null> {
  const row = await db.membership.findFirst({
    where: { userId, org: "id" in org ? { id: org.id } : { slug: org.slug } },
    include: { org: true, user: true, teams: { select: { teamId: true } } },
  });
  if (!row) return null;
  return {
    orgId: row.orgId as AuthorizedOrgId,
    orgSlug: row.org.slug,
    orgName: row.org.name,
    membershipId: row.id,
    userId: row.userId,
    userEmail: row.user.email,
    userName: row.user.name,
    role: row.role,
    teamIds: row.teams.map((team) => team.teamId).sort(),
  };
}

/** The membership's grant of `permission`, or null: what `orgProcedure` (server/api/trpc.ts) hands its procedure. */
export function authorize(membership: Membership, permission: Permission): AuthorizedOrg | null {
  const reach = reachOf(membership.role, permission, membership.teamIds);
  if (!reach) return null;
  return { orgId: membership.orgId, membership, permission, reach };
}

/**
 * For a request outside tRPC (an export's route): the caller's membership of `orgId`, read fresh,
 * with `permission`; or the sentence refusing it (`doing` completes "Your role may not ...").
 */
export async function authorizeForRoute(db: Db, userId: string, orgId: string, permission: Permission, doing: string): Promise<{ ok: true; access: AuthorizedOrg } | { ok: false; message: string }> {
  const membership = isUuid(orgId) ? await loadMembership(db, userId, { id: orgId }) : null;
  if (!membership) return { ok: false, message: "You are not a member of this organisation." };
  const access = authorize(membership, permission);
  if (!access) return { ok: false, message: `Your role (${membership.role}) may not ${doing}.` };
  return { ok: true, access };
}

/** Refuses (FORBIDDEN) unless the caller's reach covers `teamId` (team leads: only their own teams). */
export function assertTeamInReach(access: Pick<AuthorizedOrg, "reach">, teamId: string | null): void {
  if (!reachIncludesTeam(access.reach, teamId)) throw new Refused("FORBIDDEN", "That belongs to a team outside your scope.");
}

/** Who a console write is by, for audit entries and the records that name their author. */
export function actorOf(access: AuthorizedOrg): { type: "user"; id: string; label: string } {
  return { type: "user", id: access.membership.userId, label: access.membership.userEmail };
}
