// The only place that mints an AuthorizedOrg: a user's membership read fresh from the
// database, with the reach of one permission. Code that takes an AuthorizedOrg can trust that
// the check happened.
import type { Db } from "../db";
import { reachOf, type Permission, type Reach, type Role } from "../domain/access/permissions";

declare const authorized: unique symbol;
/** An org id whose membership and permission were checked for this request. */
export type AuthorizedOrgId = string & { readonly [authorized]: true };

export interface Membership {
  orgId: string;
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
    orgId: row.orgId,
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

export function authorize(membership: Membership, permission: Permission): AuthorizedOrg | null {
  const reach = reachOf(membership.role, permission, membership.teamIds);
  if (!reach) return null;
  return { orgId: membership.orgId as AuthorizedOrgId, membership, permission, reach };
}
