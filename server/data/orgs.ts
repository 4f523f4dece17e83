// Organisations: the ones a person belongs to, one org's summary, and its name (admins, audited in
// the caller's transaction). Org settings read by decisions live in the org's facts.
import type { AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { found } from "../domain/refusal";
import type { AuditWriter } from "./audit";

/** The organisations a signed-in person belongs to, by name, with their role in each. */
export async function orgsOfUser(db: DbOrTx, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    include: { org: { select: { id: true, slug: true, name: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((row) => ({ ...row.org, role: row.role }));
}

export async function orgSummary(db: DbOrTx, orgId: AuthorizedOrgId) {
  const org = found(await db.org.findUnique({ where: { id: orgId } }), "organisation");
  const [teams, members] = await Promise.all([db.team.count({ where: { orgId } }), db.membership.count({ where: { orgId } })]);
  return { id: org.id, slug: org.slug, name: org.name, createdAt: org.createdAt, teamCount: teams, memberCount: members };
}

export async function renameOrg(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, name: string) {
  const before = await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } });
  await tx.org.update({ where: { id: orgId }, data: { name } });
  await audit({ action: "org.updated", targetType: "org", targetId: orgId, before, after: { name } });
  return { name };
}
