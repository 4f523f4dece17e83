// The audit log's storage: append under a per-org lock, read in sequence. Every console mutation
// calls appendAudit inside its own transaction, so the change and its entry commit together.
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { AuditEntry } from "../generated/prisma/client";
import type { JsonValue } from "../domain/audit/canonical-json";
import { chainAuditRecord, type AuditActorType, type ChainedAuditRecord } from "../domain/audit/chain";

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  label: string;
}

export interface NewAuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  teamId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Plain JSON, as jsonb will give it back (Dates become strings, undefined members vanish). */
function toJson(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

export async function appendAudit(tx: Tx, orgId: string, actor: AuditActor, entry: NewAuditEntry): Promise<ChainedAuditRecord> {
  // Serialise appends per org: each entry links to the one before it.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`audit:${orgId}`}, 0))`;
  const previous = await tx.auditEntry.findFirst({
    where: { orgId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const record = chainAuditRecord(previous, {
    id: randomUUID(),
    orgId,
    at: new Date().toISOString(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    teamId: entry.teamId ?? null,
    before: toJson(entry.before),
    after: toJson(entry.after),
    reason: entry.reason ?? null,
  });
  await tx.auditEntry.create({
    data: {
      ...record,
      at: new Date(record.at),
      before: record.before === null ? Prisma.DbNull : (record.before as Prisma.InputJsonValue),
      after: record.after === null ? Prisma.DbNull : (record.after as Prisma.InputJsonValue),
    },
  });
  return record;
}

export function toAuditRecord(row: AuditEntry): ChainedAuditRecord {
  return {
    id: row.id,
    orgId: row.orgId,
    seq: row.seq,
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    teamId: row.teamId,
    before: (row.before ?? null) as JsonValue | null,
    after: (row.after ?? null) as JsonValue | null,
    reason: row.reason,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The org's chain in sequence order, a page at a time (for verification and export). */
export async function* readAuditChain(
  db: DbOrTx,
  orgId: string,
  options: { teamIds?: readonly string[]; batchSize?: number } = {},
): AsyncGenerator<ChainedAuditRecord> {
  const batchSize = options.batchSize ?? 2000;
  let afterSeq = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: {
        orgId,
        seq: { gt: afterSeq },
        ...(options.teamIds ? { teamId: { in: [...options.teamIds] } } : {}),
      },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) yield toAuditRecord(row);
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    afterSeq = last.seq;
  }
}
