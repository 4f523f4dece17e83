// The audit log's storage: append under a per-org lock, read in sequence. Every console mutation
// calls appendAudit inside its own transaction, so the change and its entry commit together.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { actorOf, type AuthorizedOrg } from "../auth/access";
import type { Db, DbOrTx, Tx } from "../db";
import { isPrismaTx, type SqlClient } from "../db/sql";
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

/** Writes one entry in the caller's transaction: what a console write gets from `ctx.audited`. */
export type AuditWriter = (entry: NewAuditEntry) => Promise<void>;

/** Plain JSON, as jsonb will give it back (Dates become strings, undefined members vanish). */
function toJson(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Where an append happens: a Prisma transaction (console) or a pg client in a transaction (agent API). */
interface AuditStore {
  lockOrg(orgId: string): Promise<void>;
  head(orgId: string): Promise<{ seq: number; hash: string } | null>;
  insert(record: ChainedAuditRecord): Promise<void>;
}

/** The entry as the chain stores it, before it is linked. */
function unchained(orgId: string, actor: AuditActor, entry: NewAuditEntry, at: Date) {
  return {
    id: randomUUID(),
    orgId,
    at: at.toISOString(),
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
  };
}

async function append(store: AuditStore, orgId: string, actor: AuditActor, entry: NewAuditEntry): Promise<ChainedAuditRecord> {
  // Serialise appends per org: each entry links to the one before it.
  await store.lockOrg(orgId);
  const record = chainAuditRecord(await store.head(orgId), unchained(orgId, actor, entry, new Date()));
  await store.insert(record);
  return record;
}

const lockKey = (orgId: string) => `audit:${orgId}`;

/** Appends inside the caller's Prisma transaction, so the change and its entry commit together. */
export function appendAudit(tx: Tx, orgId: string, actor: AuditActor, entry: NewAuditEntry): Promise<ChainedAuditRecord> {
  return append(
    {
      lockOrg: async (id) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey(id)}, 0))`;
      },
      head: (id) => tx.auditEntry.findFirst({ where: { orgId: id }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } }),
      insert: async (record) => {
        await tx.auditEntry.create({
          data: {
            ...record,
            at: new Date(record.at),
            before: record.before === null ? Prisma.DbNull : (record.before as Prisma.InputJsonValue),
            after: record.after === null ? Prisma.DbNull : (record.after as Prisma.InputJsonValue),
          },
        });
      },
    },
    orgId,
    actor,
    entry,
  );
}

/** Appends on a node-postgres client that is inside a transaction (the agent API's hot paths). */
export function appendAuditRaw(client: pg.PoolClient, orgId: string, actor: AuditActor, entry: NewAuditEntry): Promise<ChainedAuditRecord> {
  return append(
    {
      lockOrg: async (id) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [lockKey(id)]);
      },
      head: async (id) => {
        const { rows } = await client.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 1", [id]);
        return rows[0] ?? null;
      },
      insert: async (record) => {
        await client.query(
          `INSERT INTO audit_entries (id, org_id, seq, at, actor_type, actor_id, actor_label, action, target_type, target_id,
                                      team_id, before, after, reason, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            record.id,
            record.orgId,
            record.seq,
            record.at,
            record.actorType,
            record.actorId,
            record.actorLabel,
            record.action,
            record.targetType,
            record.targetId,
            record.teamId,
            record.before === null ? null : JSON.stringify(record.before),
            record.after === null ? null : JSON.stringify(record.after),
            record.reason,
            record.prevHash,
            record.hash,
          ],
        );
      },
    },
    orgId,
    actor,
    entry,
  );
}

/** One entry by the person acting, in a transaction of its own: an export's record, committed before a byte is sent. */
export function recordInOwnTransaction(db: Db, access: AuthorizedOrg, entry: NewAuditEntry): Promise<ChainedAuditRecord> {
  return db.$transaction((tx) => appendAudit(tx, access.orgId, actorOf(access), entry));
}

/** Appends on whichever kind of client the caller holds, inside its transaction. */
export async function appendAuditOn(client: SqlClient, orgId: string, actor: AuditActor, entry: NewAuditEntry): Promise<void> {
  if (isPrismaTx(client)) await appendAudit(client, orgId, actor, entry);
  else await appendAuditRaw(client as pg.PoolClient, orgId, actor, entry);
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

/**
 * The org's chain in sequence order, a page at a time (for verification and export); optionally
 * only the seqs `fromSeq`..`throughSeq` (inclusive).
 */
export async function* readAuditChain(db: DbOrTx, orgId: string, options: { teamIds?: readonly string[]; batchSize?: number; fromSeq?: number; throughSeq?: number } = {}): AsyncGenerator<ChainedAuditRecord> {
  const batchSize = options.batchSize ?? 2000;
  let afterSeq = (options.fromSeq ?? 1) - 1;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: {
        orgId,
        seq: { gt: afterSeq, ...(options.throughSeq !== undefined ? { lte: options.throughSeq } : {}) },
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

// ---------------------------------------------------------------------------------------------
// Appending many entries at once (the decision commit): lock the org's chain and read its head,
// link the entries in order in memory; the commit inserts them with the rest of its batch.

/** Takes the org's audit lock (until the transaction ends) and returns the chain's head. */
export async function lockAuditHead(client: pg.PoolClient, orgId: string): Promise<{ seq: number; hash: string } | null> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [lockKey(orgId)]);
  // A statement of its own, after the lock: its snapshot sees every append committed before we got it.
  const { rows } = await client.query<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_entries WHERE org_id = $1 ORDER BY seq DESC LIMIT 1", [orgId]);
  return rows[0] ?? null;
}

/** Links `entries` after `head`, in order. Pure. */
export function chainAuditEntries(orgId: string, head: { seq: number; hash: string } | null, entries: readonly { actor: AuditActor; entry: NewAuditEntry; at: Date }[]): ChainedAuditRecord[] {
  const records: ChainedAuditRecord[] = [];
  let previous = head;
  for (const { actor, entry, at } of entries) {
    const record = chainAuditRecord(previous, unchained(orgId, actor, entry, at));
    records.push(record);
    previous = { seq: record.seq, hash: record.hash };
  }
  return records;
}
