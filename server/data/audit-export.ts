// The audit export (GET /api/orgs/:orgId/audit/export) minus HTTP: who may export, what range,
// the export's own audit entry, and the NDJSON lines. The route handler only adds the session
// and streams the lines, so this can be tested against a real database.
import { authorizeForRoute } from "../auth/access";
import type { Db } from "../db";
import { canonicalJson } from "../domain/audit/canonical-json";
import type { ChainedAuditRecord } from "../domain/audit/chain";
import { exportFilename, parseExportQuery } from "../domain/audit/export-request";
import { readAuditChain, recordInOwnTransaction } from "./audit";
import { auditSeqRange } from "./audit-query";

export type AuditExport =
  | { kind: "forbidden"; message: string }
  | { kind: "invalid"; message: string; details: Record<string, string[]> }
  | {
      kind: "ok";
      filename: string;
      scope: "org" | "teams";
      /** The audit.exported entry written for this export. */
      exportEntry: ChainedAuditRecord;
      /** One canonical-JSON entry per line, "\n"-terminated, in sequence order. */
      lines: AsyncGenerator<string>;
    };

async function* toLines(entries: AsyncGenerator<ChainedAuditRecord>): AsyncGenerator<string> {
  for await (const entry of entries) yield `${canonicalJson(entry)}\n`;
}

export async function startAuditExport(db: Db, userId: string, orgId: string, params: URLSearchParams): Promise<AuditExport> {
  // Membership is read fresh from the database: a role taken away takes effect now.
  const authorized = await authorizeForRoute(db, userId, orgId, "audit:read", "read or export the audit log");
  if (!authorized.ok) return { kind: "forbidden", message: authorized.message };
  const { access } = authorized;

  const parsed = parseExportQuery(params);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message, details: parsed.details };
  const { from, to } = parsed.query;

  const teamIds = access.reach.kind === "teams" ? access.reach.teamIds : undefined;
  // The export is itself on the record, committed before a byte is sent. A team lead's export is
  // filed under their team when they lead exactly one, so it shows in that team's trail (and in
  // the export itself).
  const exportEntry = await recordInOwnTransaction(db, access, {
    action: "audit.exported",
    targetType: "audit_log",
    teamId: teamIds?.length === 1 ? teamIds[0] : null,
    after: {
      format: "ndjson",
      scope: access.reach.kind,
      ...(teamIds ? { teamIds: [...teamIds] } : {}),
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
    },
  });

  // Entries written while the download runs are not part of this export. No entry in the
  // range: an empty seq range, so an empty file.
  const range = (await auditSeqRange(db, access.orgId, { from, to })) ?? { fromSeq: 1, throughSeq: 0 };
  const entries = readAuditChain(db, access.orgId, {
    teamIds,
    fromSeq: range.fromSeq,
    throughSeq: Math.min(range.throughSeq, exportEntry.seq),
    batchSize: 1000,
  });

  return {
    kind: "ok",
    filename: exportFilename(access.membership.orgSlug, new Date(exportEntry.at), access.reach.kind),
    scope: access.reach.kind,
    exportEntry,
    lines: toLines(entries),
  };
}
