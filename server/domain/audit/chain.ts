// The audit chain: each entry's hash = sha256(prevHash + canonical JSON of the entry without its
// hash). Pure: used when writing (server/data/audit.ts), when the Audit page verifies the chain,
// and offline by `npm run audit:verify` on an NDJSON export.
import { createHash } from "node:crypto";
import { canonicalJson, type JsonValue } from "./canonical-json";

export const GENESIS_HASH = "0".repeat(64);

export type AuditActorType = "user" | "system" | "agent";

/** An audit entry as hashed and exported. Times are ISO-8601 UTC strings with milliseconds. */
export interface AuditRecord {
  id: string;
  orgId: string;
  seq: number;
  at: string;
  actorType: AuditActorType;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  teamId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  reason: string | null;
  prevHash: string;
}

export interface ChainedAuditRecord extends AuditRecord {
  hash: string;
}

export function hashAuditRecord(record: AuditRecord): string {
  const body: AuditRecord = {
    id: record.id,
    orgId: record.orgId,
    seq: record.seq,
    at: record.at,
    actorType: record.actorType,
    actorId: record.actorId,
    actorLabel: record.actorLabel,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId,
    teamId: record.teamId,
    before: record.before,
    after: record.after,
    reason: record.reason,
    prevHash: record.prevHash,
  };
  return createHash("sha256").update(record.prevHash).update(canonicalJson(body)).digest("hex");
}

/** Links a new entry after `previous` (or at the start of the org's chain). */
export function chainAuditRecord(previous: { seq: number; hash: string } | null, entry: Omit<AuditRecord, "seq" | "prevHash">): ChainedAuditRecord {
  const record: AuditRecord = {
    ...entry,
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...record, hash: hashAuditRecord(record) };
}

export type ChainVerification = { ok: true; count: number; headHash: string | null } | { ok: false; count: number; brokenAt: { index: number; seq: number | null; id: string | null }; problem: string };

/**
 * Verifies entries of one org in sequence order. With `from` the check starts mid-chain
 * (an export of a range): the first entry must then link to `from`.
 */
export function verifyAuditChain(entries: readonly ChainedAuditRecord[], from: { seq: number; hash: string } | null = null): ChainVerification {
  let previous = from;
  let orgId: string | null = null;
  for (const [index, entry] of entries.entries()) {
    const broken = (problem: string): ChainVerification => ({
      ok: false,
      count: index,
      brokenAt: { index, seq: typeof entry.seq === "number" ? entry.seq : null, id: typeof entry.id === "string" ? entry.id : null },
      problem,
    });
    if (orgId !== null && entry.orgId !== orgId) return broken(`entry belongs to org ${entry.orgId}, not ${orgId}`);
    orgId = entry.orgId;
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (entry.seq !== expectedSeq) return broken(`sequence ${entry.seq} where ${expectedSeq} was expected (an entry is missing or out of order)`);
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) return broken("prevHash does not match the previous entry's hash");
    if (hashAuditRecord(entry) !== entry.hash) return broken("hash does not match the entry's contents (the entry was altered)");
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return { ok: true, count: entries.length, headHash: previous?.hash ?? null };
}
