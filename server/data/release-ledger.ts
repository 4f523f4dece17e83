// The release ledger: every release, stage change, pause, rollback, deprecation and retirement of
// an agent's versions, with who, when, why, from and to. Written in the transaction of the change
// it records (beside the change's audit entry); append-only in the database. The agent's timeline
// in the console reads it.
import type { AuthorizedOrgId } from "../auth/access";
import type { DbOrTx } from "../db";
import { sqlRows, type SqlClient } from "../db/sql";

export const RELEASE_EVENT_KINDS = [
  "version_created",
  "version_released",
  "version_deprecated",
  "version_retired",
  "stable_changed",
  "rollout_started",
  "stage_advanced",
  "ready_to_promote",
  "awaiting_approval",
  "approved",
  "held",
  "resumed",
  "guard_skipped",
  "breach_paused",
  "sample_ratio_paused",
  "rolled_back",
  "completed",
] as const;
export type ReleaseEventKind = (typeof RELEASE_EVENT_KINDS)[number];

export interface LedgerActor {
  type: "user" | "system";
  label: string;
}

export interface NewReleaseEvent {
  orgId: string;
  agentId: string;
  rolloutId?: string | null;
  kind: ReleaseEventKind;
  actor: LedgerActor;
  reason?: string | null;
  fromVersionId?: string | null;
  toVersionId?: string | null;
  fromPercent?: number | null;
  toPercent?: number | null;
  details?: object | null;
}

export async function recordReleaseEvent(client: SqlClient, event: NewReleaseEvent): Promise<void> {
  await sqlRows(
    client,
    // clock_timestamp(), not now(): several lines written in one transaction keep their order.
    `INSERT INTO release_events (org_id, agent_id, rollout_id, kind, actor_type, actor_label, reason, from_version_id, to_version_id, from_percent, to_percent, details, at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::"ActorType", $6, $7, $8::uuid, $9::uuid, $10::int, $11::int, $12::jsonb, clock_timestamp())
     RETURNING id::text`,
    [
      event.orgId,
      event.agentId,
      event.rolloutId ?? null,
      event.kind,
      event.actor.type,
      event.actor.label,
      event.reason ?? null,
      event.fromVersionId ?? null,
      event.toVersionId ?? null,
      event.fromPercent ?? null,
      event.toPercent ?? null,
      event.details ? JSON.stringify(event.details) : null,
    ],
  );
}

export interface ReleaseEventView {
  id: string;
  kind: string;
  at: Date;
  actorType: string;
  actorLabel: string;
  reason: string | null;
  rolloutId: string | null;
  from: { id: string; label: string; status: string } | null;
  to: { id: string; label: string; status: string } | null;
  fromPercent: number | null;
  toPercent: number | null;
  details: unknown;
}

/** The agent's timeline, newest first. */
export async function listReleaseEvents(db: DbOrTx, orgId: AuthorizedOrgId, agentId: string, limit = 200): Promise<ReleaseEventView[]> {
  const [events, versions] = await Promise.all([
    db.releaseEvent.findMany({ where: { orgId, agentId }, orderBy: { seq: "desc" }, take: Math.max(1, Math.min(500, limit)) }),
    db.agentVersion.findMany({ where: { orgId, agentId }, select: { id: true, label: true, status: true } }),
  ]);
  const byId = new Map(versions.map((version) => [version.id, { id: version.id, label: version.label, status: version.status }]));
  return events.map((event) => ({
    id: event.id,
    kind: event.kind,
    at: event.at,
    actorType: event.actorType,
    actorLabel: event.actorLabel,
    reason: event.reason,
    rolloutId: event.rolloutId,
    from: event.fromVersionId ? (byId.get(event.fromVersionId) ?? null) : null,
    to: event.toVersionId ? (byId.get(event.toVersionId) ?? null) : null,
    fromPercent: event.fromPercent,
    toPercent: event.toPercent,
    details: event.details,
  }));
}
