// Kill switches' storage. Engaging or releasing one, in one transaction: the switch, a new
// directive revision for the org (the switch stores the revision it introduced, so acknowledgements
// can be counted), the audit entry and an alert; the tables' triggers tell every process on commit.
// Engaged by a person in the console (within their role and reach, with the typed confirmation) or
// by loop detection. Reads on the decision path come from the org's facts in memory
// (server/data/facts.ts); the console's reads are server/data/killswitch-views.ts.
import "server-only";
import type pg from "pg";
import { assertTeamInReach, type AuthorizedOrg } from "../auth/access";
import type { Tx } from "../db";
import { afterCommit } from "../db/after-commit";
import { can } from "../domain/access/permissions";
import type { ActiveSwitch, KillSwitchScope } from "../domain/killswitch/match";
import { confirmationMatches, isTeamScoped, permissionForScope } from "../domain/killswitch/rules";
import { refuse } from "../domain/refusal";
import { raiseAlert } from "./alerts";
import { sqlRows, type SqlClient } from "../db/sql";
import { appendAuditRaw, type AuditWriter } from "./audit";
import { forgetFacts } from "./facts";
import { bumpDirectiveRevision } from "./directive-revisions";
import { openIncident } from "./incidents";
import { isUuid } from "../domain/text/uuid";

export type { ActiveSwitch } from "../domain/killswitch/match";

// ---------------------------------------------------------------------------------------------
// Changes.

export interface ResolvedTarget {
  /** What is stored: agent id, team id, model name, tag, or "" for the org. */
  target: string;
  teamId: string | null;
  /** What a person types to confirm, and what lists show. */
  displayName: string;
}

/** The target as stored and shown, or null when there is no such agent, team, model or tag. */
export async function resolveTarget(client: SqlClient, orgId: string, scope: KillSwitchScope, target: string): Promise<ResolvedTarget | null> {
  switch (scope) {
    case "org": {
      const rows = await sqlRows<{ name: string }>(client, "SELECT name FROM orgs WHERE id = $1::uuid", [orgId]);
      return rows[0] ? { target: "", teamId: null, displayName: rows[0].name } : null;
    }
    case "agent": {
      if (!isUuid(target)) return null;
      const rows = await sqlRows<{ id: string; name: string; team_id: string | null }>(client, "SELECT id::text, name, team_id::text FROM agents WHERE org_id = $1::uuid AND id = $2::uuid", [orgId, target]);
      return rows[0] ? { target: rows[0].id, teamId: rows[0].team_id, displayName: rows[0].name } : null;
    }
    case "team": {
      if (!isUuid(target)) return null;
      const rows = await sqlRows<{ id: string; name: string }>(client, "SELECT id::text, name FROM teams WHERE org_id = $1::uuid AND id = $2::uuid", [orgId, target]);
      return rows[0] ? { target: rows[0].id, teamId: rows[0].id, displayName: rows[0].name } : null;
    }
    case "model": {
      const rows = await sqlRows<{ name: string }>(client, "SELECT name FROM models WHERE org_id = $1::uuid AND name = $2", [orgId, target]);
      return rows[0] ? { target: rows[0].name, teamId: null, displayName: rows[0].name } : null;
    }
    case "tag": {
      const tag = target.trim();
      if (!tag) return null;
      // A tag no agent carries yet may still be switched off ahead of time (a workflow about to start).
      return { target: tag, teamId: null, displayName: tag };
    }
  }
}

export interface KillSwitchRecord {
  id: string;
  scope: KillSwitchScope;
  target: string;
  teamId: string | null;
  reason: string;
  reasonCode: string;
  engagedBy: string;
  engagedAt: Date;
  releasedBy: string | null;
  releasedAt: Date | null;
  revision: number;
}

export interface RecordRow {
  id: string;
  scope: KillSwitchScope;
  target: string;
  team_id: string | null;
  reason: string;
  reason_code: string;
  engaged_by: string;
  engaged_at: Date;
  released_by: string | null;
  released_at: Date | null;
  revision: number;
}

export const RECORD_COLUMNS = "id::text, scope::text AS scope, target, team_id::text, reason, reason_code, engaged_by, engaged_at, released_by, released_at, revision";

export function toRecord(row: RecordRow): KillSwitchRecord {
  return {
    id: row.id,
    scope: row.scope,
    target: row.target,
    teamId: row.team_id,
    reason: row.reason,
    reasonCode: row.reason_code,
    engagedBy: row.engaged_by,
    engagedAt: new Date(row.engaged_at),
    releasedBy: row.released_by,
    releasedAt: row.released_at === null ? null : new Date(row.released_at),
    revision: row.revision,
  };
}

export class KillSwitchConflict extends Error {
  constructor(readonly existing: KillSwitchRecord) {
    super("This switch is already engaged.");
  }
}

async function lockOrgSwitches(client: SqlClient, orgId: string): Promise<void> {
  // Serialises engage/release per org, so "already engaged" is decided on what is committed.
  await sqlRows(client, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked", [`killswitch:${orgId}`]);
}

async function findActive(client: SqlClient, orgId: string, scope: KillSwitchScope, target: string): Promise<KillSwitchRecord | null> {
  const rows = await sqlRows<RecordRow>(client, `SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND scope = $2::"KillSwitchScope" AND target = $3 AND released_at IS NULL LIMIT 1`, [
    orgId,
    scope,
    target,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface EngageInput {
  orgId: string;
  scope: KillSwitchScope;
  target: ResolvedTarget;
  reason: string;
  reasonCode: string;
  engagedBy: string;
  audit: AuditWriter;
}

/**
 * Engages a switch inside the caller's transaction: switch, revision, audit, alert, NOTIFY (delivered
 * on commit). Throws KillSwitchConflict when the same switch is already engaged.
 */
export async function engageKillSwitch(client: SqlClient, input: EngageInput): Promise<KillSwitchRecord> {
  await lockOrgSwitches(client, input.orgId);
  const existing = await findActive(client, input.orgId, input.scope, input.target.target);
  if (existing) throw new KillSwitchConflict(existing);
  const revision = await bumpDirectiveRevision(client, input.orgId);
  const rows = await sqlRows<RecordRow>(
    client,
    `INSERT INTO kill_switches (org_id, scope, target, team_id, reason, reason_code, engaged_by, revision)
     VALUES ($1::uuid, $2::"KillSwitchScope", $3, $4::uuid, $5, $6, $7, $8)
     RETURNING ${RECORD_COLUMNS}`,
    [input.orgId, input.scope, input.target.target, input.target.teamId, input.reason, input.reasonCode, input.engagedBy, revision],
  );
  const row = rows[0];
  if (!row) throw new Error("engageKillSwitch: the switch was not stored");
  const record = toRecord(row);
  // Every stop is an incident to follow up (docs/compliance.md): one per switch, audited in this transaction.
  await openIncident(client, {
    orgId: input.orgId,
    agentId: record.scope === "agent" ? record.target : null,
    teamId: record.teamId,
    title: input.reasonCode === "loop_detected" ? `Loop detected: ${input.target.displayName} suspended` : `Kill switch engaged on ${scopeNoun(record.scope)} ${input.target.displayName}`,
    description: input.reason,
    source: input.reasonCode === "loop_detected" ? "loop_halt" : "kill_switch",
    sourceRef: record.id,
    severity: record.scope === "org" ? "critical" : "high",
    openedBy: input.engagedBy,
    audit: input.audit,
  });
  const summary = { scope: record.scope, target: record.target, targetName: input.target.displayName, reasonCode: record.reasonCode, revision };
  await input.audit({ action: "killswitch.engaged", targetType: "kill_switch", targetId: record.id, teamId: record.teamId, after: summary, reason: input.reason });
  const loop = input.reasonCode === "loop_detected";
  await raiseAlert(client, {
    orgId: input.orgId,
    kind: loop ? "loop_detected" : "kill_switch",
    severity: "critical",
    title: loop ? `Loop detected: ${input.target.displayName} suspended` : `Kill switch engaged on ${scopeNoun(record.scope)} ${input.target.displayName}`,
    details: { killSwitchId: record.id, ...summary, reason: record.reason, engagedBy: record.engagedBy },
    agentId: record.scope === "agent" ? record.target : null,
    teamId: record.teamId,
  });
  return record;
}

export interface ReleaseInput {
  orgId: string;
  id: string;
  reason: string;
  releasedBy: string;
  /** Checked before anything changes (e.g. the caller's team reach); throw to refuse. */
  authorize: (existing: KillSwitchRecord) => void;
  audit: AuditWriter;
}

/** Releases a switch: null when there is no such switch; the record (releasedAt set) otherwise. */
export async function releaseKillSwitch(client: SqlClient, input: ReleaseInput): Promise<{ record: KillSwitchRecord; alreadyReleased: boolean } | null> {
  await lockOrgSwitches(client, input.orgId);
  const rows = await sqlRows<RecordRow>(client, `SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND id = $2::uuid`, [input.orgId, input.id]);
  if (!rows[0]) return null;
  const existing = toRecord(rows[0]);
  input.authorize(existing);
  if (existing.releasedAt) return { record: existing, alreadyReleased: true };
  const revision = await bumpDirectiveRevision(client, input.orgId);
  const updated = await sqlRows<RecordRow>(client, `UPDATE kill_switches SET released_at = now(), released_by = $3 WHERE org_id = $1::uuid AND id = $2::uuid RETURNING ${RECORD_COLUMNS}`, [
    input.orgId,
    input.id,
    input.releasedBy,
  ]);
  if (!updated[0]) throw new Error("releaseKillSwitch: the switch vanished");
  const record = toRecord(updated[0]);
  const targetName = (await resolveTarget(client, input.orgId, record.scope, record.target))?.displayName ?? record.target;
  await input.audit({
    action: "killswitch.released",
    targetType: "kill_switch",
    targetId: record.id,
    teamId: record.teamId,
    before: { scope: record.scope, target: record.target, targetName, engagedAt: existing.engagedAt.toISOString(), revision: existing.revision },
    after: { released: true, revision },
    reason: input.reason,
  });
  await raiseAlert(client, {
    orgId: input.orgId,
    kind: "kill_switch",
    severity: "info",
    title: `Kill switch released on ${scopeNoun(record.scope)} ${targetName}`,
    details: { killSwitchId: record.id, scope: record.scope, target: record.target, targetName, released: true, reason: input.reason, releasedBy: input.releasedBy, revision },
    agentId: record.scope === "agent" ? record.target : null,
    teamId: record.teamId,
  });
  return { record, alreadyReleased: false };
}

function scopeNoun(scope: KillSwitchScope): string {
  return scope === "org" ? "the organisation" : scope;
}

const SYSTEM_ACTOR = { type: "system" as const, id: null, label: "system" };

/**
 * The switch loop detection engages (actor `system`), inside the caller's transaction. Engaged once:
 * when the same switch is already on, that one is returned and nothing else happens.
 */
export async function engageSystemSwitch(
  client: pg.PoolClient,
  input: { orgId: string; scope: KillSwitchScope; target: string; teamId: string | null; reasonCode: "loop_detected"; reason: string },
): Promise<ActiveSwitch> {
  const resolved = (await resolveTarget(client, input.orgId, input.scope, input.target)) ?? { target: input.target, teamId: input.teamId, displayName: input.target };
  try {
    const record = await engageKillSwitch(client, {
      orgId: input.orgId,
      scope: input.scope,
      target: { ...resolved, teamId: resolved.teamId ?? input.teamId },
      reason: input.reason,
      reasonCode: input.reasonCode,
      engagedBy: "system",
      audit: async (entry) => {
        await appendAuditRaw(client, input.orgId, SYSTEM_ACTOR, entry);
      },
    });
    return { id: record.id, scope: record.scope, target: record.target, reasonCode: record.reasonCode, reason: record.reason, revision: record.revision };
  } catch (error) {
    if (!(error instanceof KillSwitchConflict)) throw error;
    const existing = error.existing;
    return { id: existing.id, scope: existing.scope, target: existing.target, reasonCode: existing.reasonCode, reason: existing.reason, revision: existing.revision };
  }
}

// ---------------------------------------------------------------------------------------------
// A person, in the console.

/** Refuses (FORBIDDEN) a scope the caller's role may never switch: model, tag and org switches are owners' and admins'. */
export function assertScopeAllowed(access: AuthorizedOrg, scope: KillSwitchScope): void {
  if (!can(access.membership.role, permissionForScope(scope))) refuse("FORBIDDEN", `Only owners and admins may use a ${scope} kill switch.`);
}

/** FORBIDDEN unless the caller may switch this scope, on this target's team. */
function assertMayAct(access: AuthorizedOrg, scope: KillSwitchScope, teamId: string | null): void {
  assertScopeAllowed(access, scope);
  if (isTeamScoped(scope)) assertTeamInReach(access, teamId);
}

/**
 * Engages a switch for a person: the target must exist and be theirs to switch, and the typed
 * confirmation must be its name. This process drops its facts on commit (the others on the NOTIFY).
 */
export async function engageKillSwitchByHand(
  tx: Tx,
  audit: AuditWriter,
  access: AuthorizedOrg,
  input: { scope: KillSwitchScope; target: string; reason: string; confirmation: string },
): Promise<{ id: string; revision: number }> {
  // Refuse what the role can never do before touching anything, whatever the target.
  assertScopeAllowed(access, input.scope);
  const target = await resolveTarget(tx, access.orgId, input.scope, input.target);
  if (!target) refuse("NOT_FOUND", `No such ${input.scope}.`);
  assertMayAct(access, input.scope, target.teamId);
  if (!confirmationMatches(input.confirmation, target.displayName)) refuse("BAD_REQUEST", `Type "${target.displayName}" exactly to confirm.`);
  let record: KillSwitchRecord;
  try {
    record = await engageKillSwitch(tx, { orgId: access.orgId, scope: input.scope, target, reason: input.reason, reasonCode: "kill_switch", engagedBy: access.membership.userEmail, audit });
  } catch (error) {
    if (error instanceof KillSwitchConflict) refuse("CONFLICT", "That switch is already engaged.");
    throw error;
  }
  afterCommit(tx, () => forgetFacts(access.orgId));
  return { id: record.id, revision: record.revision };
}

/** Releases a switch for a person who may switch its scope and team. */
export async function releaseKillSwitchByHand(tx: Tx, audit: AuditWriter, access: AuthorizedOrg, input: { id: string; reason: string }): Promise<{ id: string }> {
  const released = await releaseKillSwitch(tx, {
    orgId: access.orgId,
    id: input.id,
    reason: input.reason,
    releasedBy: access.membership.userEmail,
    authorize: (existing) => assertMayAct(access, existing.scope, existing.teamId),
    audit,
  });
  if (!released) refuse("NOT_FOUND", "No such kill switch.");
  if (released.alreadyReleased) refuse("BAD_REQUEST", "This switch was already released.");
  afterCommit(tx, () => forgetFacts(access.orgId));
  return { id: released.record.id };
}
