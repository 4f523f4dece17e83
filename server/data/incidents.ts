// Incidents: opened by a kill switch, a loop halt, a rollback, an anomaly or a person; classified
// (severity, serious or not, which Art. 73 clock), reported to the authority, closed with a note.
// Every change writes its audit entry on the caller's client, in the caller's transaction. The
// console sees them within the caller's reach: a team lead sees their teams' and org-wide ones.
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { orgWideOrInReach, reachTeamIds, type Reach } from "../domain/access/permissions";
import type { SeriousIncidentKind } from "../domain/compliance/catalogue";
import { clockState, reportingDeadline, type ClockState } from "../domain/compliance/incident-clock";
import type { IncidentSeverity, IncidentSource } from "../domain/compliance/schemas";
import { found, refuse } from "../domain/refusal";
import { sqlRows, type SqlClient } from "../db/sql";
import { appendAuditOn, type AuditActor, type AuditWriter, type NewAuditEntry } from "./audit";
import { findAgent } from "./agents";
import { findAnomaly } from "./anomalies";

export interface OpenIncidentInput {
  orgId: string;
  agentId?: string | null;
  teamId?: string | null;
  title: string;
  description?: string;
  source: IncidentSource;
  /** The kill switch, rollback or anomaly behind it: one incident per source and ref. */
  sourceRef?: string | null;
  severity: IncidentSeverity;
  serious?: boolean;
  seriousKind?: SeriousIncidentKind | null;
  /** When the organisation became aware; now by default. The Art. 73 clock starts here. */
  awareAt?: Date;
  /** Who opened it, as shown on the page ("system" for automatic ones). */
  openedBy: string;
  /**
   * How its audit entry is written: `audit` when the caller collects its entries (a console
   * mutation's ctx.audited, a kill switch's engage), or `actor` to write it directly on `client`.
   */
  audit?: AuditWriter;
  actor?: AuditActor;
}

/**
 * Opens an incident inside the caller's transaction and audits it there (action `incident.opened`).
 * Idempotent per (source, sourceRef): opening the same kill switch's incident twice returns the
 * first one's id and writes nothing. Returns the incident id.
 */
export async function openIncident(client: SqlClient, input: OpenIncidentInput): Promise<string> {
  if (!input.audit && !input.actor) throw new Error("openIncident: give `audit` or `actor`, so the incident is audited");
  const awareAt = input.awareAt ?? new Date();
  const serious = input.serious ?? false;
  const kind = serious ? (input.seriousKind ?? "other") : null;
  const deadline = reportingDeadline(awareAt, serious, kind);
  const inserted = await sqlRows<{ id: string }>(
    client,
    `INSERT INTO incidents (org_id, agent_id, team_id, title, description, source, source_ref, severity, serious, serious_kind, aware_at, deadline_at, opened_by)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11::timestamptz, $12::timestamptz, $13)
     ON CONFLICT (org_id, source, source_ref) DO NOTHING
     RETURNING id::text`,
    [
      input.orgId,
      input.agentId ?? null,
      input.teamId ?? null,
      input.title,
      input.description ?? "",
      input.source,
      input.sourceRef ?? null,
      input.severity,
      serious,
      kind,
      awareAt.toISOString(),
      deadline?.toISOString() ?? null,
      input.openedBy,
    ],
  );
  const id = inserted[0]?.id;
  if (!id) {
    const existing = await sqlRows<{ id: string }>(client, "SELECT id::text FROM incidents WHERE org_id = $1::uuid AND source = $2 AND source_ref = $3", [input.orgId, input.source, input.sourceRef ?? null]);
    if (!existing[0]) throw new Error("openIncident: the incident was not stored");
    return existing[0].id;
  }
  const entry: NewAuditEntry = {
    action: "incident.opened",
    targetType: "incident",
    targetId: id,
    teamId: input.teamId ?? null,
    after: {
      title: input.title,
      agentId: input.agentId ?? null,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      severity: input.severity,
      serious,
      seriousKind: kind,
      awareAt: awareAt.toISOString(),
      deadlineAt: deadline?.toISOString() ?? null,
    },
  };
  if (input.audit) await input.audit(entry);
  else await appendAuditOn(client, input.orgId, input.actor as AuditActor, entry);
  return id;
}

export interface IncidentRow {
  id: string;
  agent_id: string | null;
  agent_name: string | null;
  team_id: string | null;
  title: string;
  description: string;
  source: string;
  source_ref: string | null;
  severity: string;
  serious: boolean;
  serious_kind: SeriousIncidentKind | null;
  aware_at: Date;
  deadline_at: Date | null;
  reported_at: Date | null;
  reported_by: string | null;
  report_reference: string | null;
  status: string;
  opened_by: string;
  opened_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  closing_note: string | null;
}

export interface IncidentView {
  id: string;
  agent: { id: string; name: string } | null;
  teamId: string | null;
  title: string;
  description: string;
  source: string;
  sourceRef: string | null;
  severity: string;
  serious: boolean;
  seriousKind: SeriousIncidentKind | null;
  awareAt: Date;
  deadlineAt: Date | null;
  reportedAt: Date | null;
  reportedBy: string | null;
  reportReference: string | null;
  status: string;
  openedBy: string;
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
  closingNote: string | null;
  clock: ClockState;
}

const INCIDENT_COLUMNS = `i.id::text, i.agent_id::text, a.name AS agent_name, i.team_id::text, i.title, i.description, i.source, i.source_ref, i.severity,
  i.serious, i.serious_kind, i.aware_at, i.deadline_at, i.reported_at, i.reported_by, i.report_reference, i.status, i.opened_by, i.opened_at,
  i.closed_by, i.closed_at, i.closing_note`;

export function toIncidentView(row: IncidentRow, now: Date): IncidentView {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  const deadlineAt = date(row.deadline_at);
  const reportedAt = date(row.reported_at);
  return {
    id: row.id,
    agent: row.agent_id ? { id: row.agent_id, name: row.agent_name ?? "(deleted agent)" } : null,
    teamId: row.team_id,
    title: row.title,
    description: row.description,
    source: row.source,
    sourceRef: row.source_ref,
    severity: row.severity,
    serious: row.serious,
    seriousKind: row.serious_kind,
    awareAt: new Date(row.aware_at),
    deadlineAt,
    reportedAt,
    reportedBy: row.reported_by,
    reportReference: row.report_reference,
    status: row.status,
    openedBy: row.opened_by,
    openedAt: new Date(row.opened_at),
    closedBy: row.closed_by,
    closedAt: date(row.closed_at),
    closingNote: row.closing_note,
    clock: clockState(deadlineAt, reportedAt, now),
  };
}

/**
 * Incidents the caller can see: a team lead sees their teams' incidents and org-wide ones (no
 * team), as with alerts. Open first, the nearest deadline first among them, then newest.
 */
export async function listIncidents(
  db: SqlClient | DbOrTx,
  orgId: AuthorizedOrgId,
  reach: Reach,
  filter: { status?: "open" | "closed" | "all"; agentId?: string; limit?: number },
  now: Date,
): Promise<IncidentView[]> {
  const teamIds = reachTeamIds(reach);
  const rows = await sqlRows<IncidentRow>(
    db as SqlClient,
    `SELECT ${INCIDENT_COLUMNS}
       FROM incidents i LEFT JOIN agents a ON a.id = i.agent_id
      WHERE i.org_id = $1::uuid
        AND ($2::text IS NULL OR i.status = $2)
        AND ($3::uuid IS NULL OR i.agent_id = $3::uuid)
        AND ($4::uuid[] IS NULL OR i.team_id IS NULL OR i.team_id = ANY($4::uuid[]))
      ORDER BY (i.status = 'open') DESC, i.deadline_at ASC NULLS LAST, i.opened_at DESC
      LIMIT $5`,
    [orgId, filter.status && filter.status !== "all" ? filter.status : null, filter.agentId ?? null, teamIds, filter.limit ?? 200],
  );
  return rows.map((row) => toIncidentView(row, now));
}

export async function findIncident(client: SqlClient, orgId: AuthorizedOrgId, id: string, now: Date, lock = false): Promise<IncidentView | null> {
  const rows = await sqlRows<IncidentRow>(
    client,
    `SELECT ${INCIDENT_COLUMNS} FROM incidents i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.org_id = $1::uuid AND i.id = $2::uuid${lock ? " FOR UPDATE OF i" : ""}`,
    [orgId, id],
  );
  return rows[0] ? toIncidentView(rows[0], now) : null;
}

/** The incident locked for a change, if the caller may see it; NOT_FOUND otherwise (another team's incident does not exist for them). */
async function incidentToChange(client: SqlClient, access: Pick<AuthorizedOrg, "orgId" | "reach">, id: string, now: Date): Promise<IncidentView> {
  const incident = await findIncident(client, access.orgId, id, now, true);
  if (!incident || !orgWideOrInReach(access.reach, incident.teamId)) refuse("NOT_FOUND", "No such incident.");
  return incident;
}

/** Changes severity and seriousness; the deadline follows from the awareness time and the clock. */
export async function classifyIncident(
  tx: Tx,
  audit: AuditWriter,
  access: AuthorizedOrg,
  change: { incidentId: string; severity: IncidentSeverity; serious: boolean; seriousKind: SeriousIncidentKind | null; reason: string },
  now: Date,
): Promise<IncidentView | null> {
  const before = await incidentToChange(tx, access, change.incidentId, now);
  if (before.status === "closed") refuse("BAD_REQUEST", "This incident is closed.");
  const kind = change.serious ? (change.seriousKind ?? "other") : null;
  const deadline = reportingDeadline(before.awareAt, change.serious, kind);
  await sqlRows(tx, "UPDATE incidents SET severity = $3, serious = $4, serious_kind = $5, deadline_at = $6::timestamptz WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id", [
    access.orgId,
    before.id,
    change.severity,
    change.serious,
    kind,
    deadline?.toISOString() ?? null,
  ]);
  await audit({
    action: "incident.classified",
    targetType: "incident",
    targetId: before.id,
    teamId: before.teamId,
    before: { severity: before.severity, serious: before.serious, seriousKind: before.seriousKind, deadlineAt: before.deadlineAt?.toISOString() ?? null },
    after: { severity: change.severity, serious: change.serious, seriousKind: kind, deadlineAt: deadline?.toISOString() ?? null },
    reason: change.reason,
  });
  return findIncident(tx, access.orgId, before.id, now);
}

/** Records that the incident was reported to the authority (when, and its reference). */
export async function markIncidentReported(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, report: { incidentId: string; reportedAt: Date; reference: string }, now: Date): Promise<IncidentView | null> {
  const before = await incidentToChange(tx, access, report.incidentId, now);
  if (before.reportedAt) refuse("BAD_REQUEST", "This incident was already reported.");
  if (report.reportedAt.getTime() > now.getTime() + 60_000) refuse("BAD_REQUEST", "The report date is in the future.");
  if (report.reportedAt < before.awareAt) refuse("BAD_REQUEST", "The report date is before the organisation became aware of the incident.");
  await sqlRows(tx, "UPDATE incidents SET reported_at = $3::timestamptz, report_reference = $4, reported_by = $5 WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id", [
    access.orgId,
    before.id,
    report.reportedAt.toISOString(),
    report.reference,
    access.membership.userEmail,
  ]);
  const clock = clockState(before.deadlineAt, report.reportedAt, now);
  await audit({
    action: "incident.reported",
    targetType: "incident",
    targetId: before.id,
    teamId: before.teamId,
    after: { reportedAt: report.reportedAt.toISOString(), reference: report.reference, deadlineAt: before.deadlineAt?.toISOString() ?? null, onTime: clock.state !== "reported_late" },
  });
  return findIncident(tx, access.orgId, before.id, now);
}

/** Closes an incident; the note is required (the router's schema checks its length). */
export async function closeIncident(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, closing: { incidentId: string; note: string }, now: Date): Promise<IncidentView | null> {
  const before = await incidentToChange(tx, access, closing.incidentId, now);
  if (before.status === "closed") refuse("BAD_REQUEST", "This incident is already closed.");
  if (before.serious && !before.reportedAt) refuse("BAD_REQUEST", "A serious incident is closed only after it was reported to the authority.");
  await sqlRows(tx, "UPDATE incidents SET status = 'closed', closed_at = $3::timestamptz, closed_by = $4, closing_note = $5 WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id", [
    access.orgId,
    before.id,
    now.toISOString(),
    access.membership.userEmail,
    closing.note,
  ]);
  await audit({ action: "incident.closed", targetType: "incident", targetId: before.id, teamId: before.teamId, after: { status: "closed" }, reason: closing.note });
  return findIncident(tx, access.orgId, before.id, now);
}

/**
 * A person opens an incident, about an anomaly (one incident per anomaly), an agent, or the org.
 * A team lead names one of their teams' agents (whoever may pull its kill switch may open one).
 */
export async function openIncidentByHand(
  tx: Tx,
  audit: AuditWriter,
  access: AuthorizedOrg,
  input: {
    anomalyId?: string | undefined;
    agentId?: string | null | undefined;
    title: string;
    description: string;
    severity: IncidentSeverity;
    serious: boolean;
    seriousKind: SeriousIncidentKind | null;
    awareAt?: Date | undefined;
  },
): Promise<{ id: string }> {
  const orgId = access.orgId;
  const anomaly = input.anomalyId ? found(await findAnomaly(tx, orgId, input.anomalyId), "anomaly") : null;
  if (anomaly && (await tx.incident.count({ where: { orgId, source: "anomaly", sourceRef: anomaly.id } })) > 0) refuse("CONFLICT", "An incident is already open for this anomaly.");
  const agentId = anomaly?.agentId ?? input.agentId ?? null;
  const teamId = agentId ? found(await findAgent(tx, orgId, agentId), "agent").teamId : null;
  if (access.reach.kind === "teams") {
    if (!agentId) refuse("FORBIDDEN", "Name one of your teams' agents.");
    assertTeamInReach(access, teamId);
  }
  const id = await openIncident(tx, {
    orgId,
    agentId,
    teamId,
    title: input.title,
    description: input.description,
    source: anomaly ? "anomaly" : "person",
    sourceRef: anomaly?.id ?? null,
    severity: input.severity,
    serious: input.serious,
    seriousKind: input.seriousKind,
    ...(input.awareAt ? { awareAt: input.awareAt } : {}),
    openedBy: access.membership.userEmail,
    audit,
  });
  return { id };
}
