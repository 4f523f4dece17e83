// The evidence pack export (GET /api/orgs/:orgId/compliance/evidence) minus HTTP: who may export
// which scope, the evaluation over the period, the files and their hashes, the export's own audit
// entry (which carries those hashes, so the audit chain vouches for them), and the zip. An empty
// period produces no pack: the answer says so.
import { createHash } from "node:crypto";
import { zipSync, strToU8 } from "fflate";
import { authorizeForRoute } from "../auth/access";
import type { Db } from "../db";
import { getPool } from "../db/pool";
import { reachIncludesTeam } from "../domain/access/permissions";
import { fileDigests, isEmptyPeriod, manifestOf, packFiles, type PackInput } from "../domain/compliance/evidence-pack";
import { evidenceRequestSchema, type EvidenceRequest } from "../domain/compliance/schemas";
import { inOrder, sqlRows, type SqlClient } from "../db/sql";
import { recordInOwnTransaction } from "./audit";
import { computeEvaluations } from "./compliance-evaluate";

export type EvidenceExport =
  | { kind: "forbidden"; message: string }
  | { kind: "invalid"; message: string; details: Record<string, string[]> }
  | { kind: "not_found"; message: string }
  | { kind: "empty"; message: string }
  | { kind: "ok"; filename: string; contentType: string; body: Uint8Array; manifest: string; exportEntry: { seq: number; hash: string } };

/** Deterministic UUIDs for the OSCAL document (v5-like, from the export entry and a seed). */
function uuidFrom(namespace: string) {
  return (seed: string) => {
    const hex = createHash("sha256").update(`${namespace}:${seed}`).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
  };
}

function parse(params: URLSearchParams): { ok: true; request: EvidenceRequest; format: "zip" | "html" } | { ok: false; message: string; details: Record<string, string[]> } {
  const raw = Object.fromEntries(params);
  const format = raw.format === "html" ? "html" : raw.format === undefined || raw.format === "zip" ? "zip" : null;
  if (!format) return { ok: false, message: "format is zip or html.", details: { format: ["expected zip or html"] } };
  const { format: _format, ...rest } = raw;
  const parsed = evidenceRequestSchema.safeParse(rest);
  if (parsed.success) return { ok: true, request: parsed.data, format };
  const details: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (details[issue.path.join(".") || "query"] ??= []).push(issue.message);
  return { ok: false, message: "Invalid request: scope (org, team or agent), id for a team or agent, from and to as ISO dates, from before to.", details };
}

export async function exportEvidencePack(db: Db, userId: string, orgId: string, params: URLSearchParams, now = new Date()): Promise<EvidenceExport> {
  // The pack carries audit entries: whoever may read and export the audit log may export it.
  const authorized = await authorizeForRoute(db, userId, orgId, "audit:read", "export evidence");
  if (!authorized.ok) return { kind: "forbidden", message: authorized.message };
  const { access } = authorized;
  const membership = access.membership;
  const parsed = parse(params);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message, details: parsed.details };
  const { request, format } = parsed;
  const to = request.to > now ? now : request.to;

  // The scope and its agents, within the caller's reach.
  let scope: PackInput["scope"];
  let agentIds: string[];
  const pool = getPool();
  // A pool answers query() like a client; these reads need no transaction.
  const reads = pool as unknown as SqlClient;
  if (request.scope === "org") {
    if (access.reach.kind !== "org") return { kind: "forbidden", message: "Team leads export their own teams' or agents' evidence." };
    scope = { kind: "org", id: null, name: "Whole organisation" };
    agentIds = (await sqlRows<{ id: string }>(reads, "SELECT id::text FROM agents WHERE org_id = $1::uuid AND status <> 'archived'", [access.orgId])).map((row) => row.id);
  } else if (request.scope === "team") {
    const team = (await sqlRows<{ id: string; name: string }>(reads, "SELECT id::text, name FROM teams WHERE org_id = $1::uuid AND id = $2::uuid", [access.orgId, request.id]))[0];
    if (!team) return { kind: "not_found", message: "No such team." };
    if (!reachIncludesTeam(access.reach, team.id)) return { kind: "forbidden", message: "That team is outside your scope." };
    scope = { kind: "team", id: team.id, name: `Team ${team.name}` };
    agentIds = (await sqlRows<{ id: string }>(reads, "SELECT id::text FROM agents WHERE org_id = $1::uuid AND team_id = $2::uuid AND status <> 'archived'", [access.orgId, team.id])).map((row) => row.id);
  } else {
    const agent = (
      await sqlRows<{ id: string; name: string; team_id: string | null }>(reads, "SELECT id::text, name, team_id::text FROM agents WHERE org_id = $1::uuid AND id = $2::uuid", [access.orgId, request.id])
    )[0];
    if (!agent) return { kind: "not_found", message: "No such agent." };
    if (!reachIncludesTeam(access.reach, agent.team_id)) return { kind: "forbidden", message: "That agent is outside your scope." };
    scope = { kind: "agent", id: agent.id, name: `Agent ${agent.name}` };
    agentIds = [agent.id];
  }

  // One consistent snapshot of the state for the whole pack.
  const client = await pool.connect();
  let input: PackInput;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const activity = await activityIn(client, access.orgId, agentIds, request.scope === "org", request.from, to);
    const head = await sqlRows<{ seq: number; hash: string }>(client, "SELECT seq, hash FROM audit_entries WHERE org_id = $1::uuid ORDER BY seq DESC LIMIT 1", [access.orgId]);
    const computed = agentIds.length > 0 ? await computeEvaluations(client, access.orgId, { from: request.from, to }, { agentIds }) : null;
    await client.query("COMMIT");
    input = {
      org: { id: access.orgId, name: membership.orgName, slug: membership.orgSlug },
      scope,
      period: { from: request.from, to },
      generatedAt: now,
      generatedBy: membership.userEmail,
      agents: (computed?.agents ?? []).map((agent) => ({ id: agent.id, name: agent.name, teamName: agent.teamName, riskClass: agent.riskClass, annexArea: agent.annexArea, riskReason: agent.riskReason })),
      evaluations: computed?.rows ?? [],
      activity,
      chainHead: head[0] ?? null,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }

  if (isEmptyPeriod(input)) {
    return {
      kind: "empty",
      message: `Nothing to evidence for ${scope.name.toLowerCase()} between ${request.from.toISOString()} and ${to.toISOString()}: no events, no decisions and no audit entries${input.agents.length === 0 ? " (and no agents in scope)" : ""}. No pack was produced, so nothing can pass for a complete one.`,
    };
  }

  const exportEntryRef = { seq: 0, hash: "" };
  const { files } = packFiles(input, uuidFrom(`${access.orgId}:${now.toISOString()}`));
  const chosen = format === "html" ? files.filter((file) => file.name === "evidence.html") : files;
  // The export is on the record before a byte is sent, with the hashes of what is sent.
  const entry = await recordInOwnTransaction(db, access, {
    action: "compliance.evidence_exported",
    targetType: scope.kind === "org" ? "org" : scope.kind,
    targetId: scope.id ?? access.orgId,
    teamId: scope.kind === "team" ? scope.id : null,
    after: {
      scope: scope.kind,
      scopeName: scope.name,
      from: request.from.toISOString(),
      to: to.toISOString(),
      format,
      files: Object.fromEntries(fileDigests(chosen).map((file) => [file.name, file.sha256])),
      chainHeadAtBuild: input.chainHead,
    },
  });
  exportEntryRef.seq = entry.seq;
  exportEntryRef.hash = entry.hash;
  const manifest = manifestOf(now, chosen, exportEntryRef, input.chainHead);
  const stamp = now.toISOString().slice(0, 10);
  const base = `evidence-${membership.orgSlug}-${scope.kind}-${stamp}`;
  if (format === "html") {
    const html = chosen[0]?.content ?? "";
    return { kind: "ok", filename: `${base}.html`, contentType: "text/html; charset=utf-8", body: strToU8(html), manifest, exportEntry: exportEntryRef };
  }
  const zip = zipSync(Object.fromEntries([...chosen.map((file) => [file.name, strToU8(file.content)] as const), ["manifest.json", strToU8(manifest)] as const]), { level: 6, mtime: now });
  return { kind: "ok", filename: `${base}.zip`, contentType: "application/zip", body: zip, manifest, exportEntry: exportEntryRef };
}

/** Events (from the rollups), decisions and audit entries of the scope in [from, to). */
async function activityIn(client: SqlClient, orgId: string, agentIds: string[], wholeOrg: boolean, from: Date, to: Date): Promise<PackInput["activity"]> {
  const [events, decisions, audit] = await inOrder([
    () =>
      sqlRows<{ n: string | null }>(
        client,
        "SELECT sum(events)::text AS n FROM event_rollups_hourly WHERE org_id = $1::uuid AND agent_id = ANY($2::uuid[]) AND hour >= date_trunc('hour', $3::timestamptz) AND hour < $4::timestamptz",
        [orgId, agentIds, from.toISOString(), to.toISOString()],
      ),
    () =>
      sqlRows<{ n: number }>(client, "SELECT count(*)::int AS n FROM decisions WHERE org_id = $1::uuid AND agent_id = ANY($2::uuid[]) AND at >= $3::timestamptz AND at < $4::timestamptz", [
        orgId,
        agentIds,
        from.toISOString(),
        to.toISOString(),
      ]),
    () =>
      sqlRows<{ n: number }>(
        client,
        `SELECT count(*)::int AS n FROM audit_entries WHERE org_id = $1::uuid AND at >= $3::timestamptz AND at < $4::timestamptz
         AND ($5::boolean OR target_id = ANY($2::text[]) OR actor_id = ANY($2::text[]))`,
        [orgId, agentIds, from.toISOString(), to.toISOString(), wholeOrg],
      ),
  ]);
  return { events: Number(events[0]?.n ?? 0), decisions: decisions[0]?.n ?? 0, auditEntries: audit[0]?.n ?? 0 };
}
