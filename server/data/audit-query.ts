// Reading the audit log for the console: filtered, newest first, a page at a time, within the
// caller's reach (team leads: their teams' entries); and verifying the org's chain.
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Reach } from "../domain/access/permissions";
import { verifyAuditChain, type ChainVerification, type ChainedAuditRecord } from "../domain/audit/chain";
import { readAuditChain, toAuditRecord } from "./audit";

export interface AuditFilter {
  action?: string;
  actor?: string;
  targetType?: string;
  teamId?: string;
  from?: Date;
  to?: Date;
}

export function auditWhere(orgId: string, reach: Reach, filter: AuditFilter): Prisma.AuditEntryWhereInput {
  const and: Prisma.AuditEntryWhereInput[] = [{ orgId }];
  if (reach.kind === "teams") and.push({ teamId: { in: [...reach.teamIds] } });
  if (filter.action) and.push({ action: { startsWith: filter.action } });
  if (filter.actor) and.push({ actorLabel: { contains: filter.actor, mode: "insensitive" } });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.teamId) and.push({ teamId: filter.teamId });
  if (filter.from) and.push({ at: { gte: filter.from } });
  if (filter.to) and.push({ at: { lt: filter.to } });
  return { AND: and };
}

/** Naming a team outside the caller's reach is refused. */
export async function listAuditEntries(
  db: DbOrTx,
  access: Pick<AuthorizedOrg, "orgId" | "reach">,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<{ entries: ChainedAuditRecord[]; nextCursor: number | null }> {
  if (filter.teamId) assertTeamInReach(access, filter.teamId);
  const where = auditWhere(access.orgId, access.reach, filter);
  const rows = await db.auditEntry.findMany({
    where: page.beforeSeq ? { AND: [where, { seq: { lt: page.beforeSeq } }] } : where,
    orderBy: { seq: "desc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const entries = rows.slice(0, page.limit).map(toAuditRecord);
  return { entries, nextCursor: more ? (entries[entries.length - 1]?.seq ?? null) : null };
}

export async function distinctAuditActions(db: DbOrTx, orgId: AuthorizedOrgId, reach: Reach): Promise<string[]> {
  const rows = await db.auditEntry.findMany({ where: auditWhere(orgId, reach, {}), distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((row) => row.action);
}

/** Verifies the whole chain of the org from its first entry. */
export async function verifyOrgChain(db: DbOrTx, orgId: AuthorizedOrgId): Promise<ChainVerification> {
  const entries: ChainedAuditRecord[] = [];
  for await (const entry of readAuditChain(db, orgId)) entries.push(entry);
  return verifyAuditChain(entries);
}

/** The verification as the console shows it: whether the chain holds, where it breaks, and when it was checked. */
export async function checkOrgChain(db: DbOrTx, orgId: AuthorizedOrgId): Promise<ChainVerification & { checkedAt: Date }> {
  return { ...(await verifyOrgChain(db, orgId)), checkedAt: new Date() };
}

/**
 * The seqs of the entries written in [from, to), as one contiguous range (null: none). An export
 * by time is cut by seq so it never has holes, even if replicas' clocks disagreed slightly.
 */
export async function auditSeqRange(db: DbOrTx, orgId: string, range: { from?: Date; to?: Date }): Promise<{ fromSeq: number; throughSeq: number } | null> {
  const [first, last] = await Promise.all([
    db.auditEntry.findFirst({
      where: { orgId, ...(range.from ? { at: { gte: range.from } } : {}) },
      orderBy: { seq: "asc" },
      select: { seq: true },
    }),
    db.auditEntry.findFirst({
      where: { orgId, ...(range.to ? { at: { lt: range.to } } : {}) },
      orderBy: { seq: "desc" },
      select: { seq: true },
    }),
  ]);
  if (!first || !last || first.seq > last.seq) return null;
  return { fromSeq: first.seq, throughSeq: last.seq };
}
