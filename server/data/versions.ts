// Agent versions' storage: drafts, releases, deprecation, retirement and the stable pointer, each
// change with its audit entry and ledger line in the caller's transaction, and — when instances
// must hear of it — a new directives revision and NOTIFYs (kind "rollout" for the decision path's
// facts, kind "directives" for the directive stream), delivered on commit. The decision path's
// view of them: server/data/version-facts.ts.
import { assertTeamInReach, type AuthorizedOrg, type AuthorizedOrgId } from "../auth/access";
import { notifyChange } from "../db/notify";
import type { VersionStatus } from "../domain/rollout/assign";
import type { Reach } from "../domain/access/permissions";
import { found, refuse, refuseUnless } from "../domain/refusal";
import { checkDeprecate, checkEdit, checkMakeStable, checkRelease, checkRetire, type ActiveRolloutRef } from "../domain/rollout/lifecycle";
import type { VersionFields } from "../domain/rollout/schemas";
import { sqlRows, type SqlClient } from "../db/sql";
import type { AuditWriter } from "./audit";
import { bumpDirectiveRevision } from "./directive-revisions";
import { recordReleaseEvent, type LedgerActor } from "./release-ledger";

/** The change kind whose NOTIFY tells every process to reload an org's version facts. */
export const LIFECYCLE_CHANGE_KIND = "rollout";

/** A version as stored: its content (what a person writes, VersionFields) and its lifecycle. */
export interface VersionRecord extends VersionFields {
  id: string;
  orgId: string;
  agentId: string;
  status: VersionStatus;
  stable: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  deprecatedAt: Date | null;
  retiredAt: Date | null;
}

/** A row as the columns below name it: the record, but for what a raw query may give as null or as text. */
type VersionRow = Omit<VersionRecord, "tools" | "config" | "createdAt" | "updatedAt" | OptionalDate> & {
  tools: string[] | null;
  config: Record<string, unknown> | null;
  createdAt: Date | string;
  updatedAt: Date | string;
} & Record<OptionalDate, Date | string | null>;
type OptionalDate = "releasedAt" | "deprecatedAt" | "retiredAt";

const COLUMNS = `id::text, org_id::text AS "orgId", agent_id::text AS "agentId", label, model, system_prompt AS "systemPrompt", tools, config, notes,
  status::text AS status, (stable_for IS NOT NULL) AS stable, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt",
  released_at AS "releasedAt", released_by AS "releasedBy", deprecated_at AS "deprecatedAt", retired_at AS "retiredAt"`;

function toRecord(row: VersionRow): VersionRecord {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...row,
    tools: row.tools ?? [],
    config: row.config ?? {},
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    releasedAt: date(row.releasedAt),
    deprecatedAt: date(row.deprecatedAt),
    retiredAt: date(row.retiredAt),
  };
}

/** What an audit entry keeps of a version. */
export function versionSnapshot(version: VersionRecord) {
  return {
    label: version.label,
    model: version.model,
    systemPrompt: version.systemPrompt,
    tools: version.tools,
    config: version.config,
    notes: version.notes,
    status: version.status,
    stable: version.stable,
  };
}

/** The agent's versions, newest first. */
export async function versionsOf(client: SqlClient, orgId: string, agentId: string): Promise<VersionRecord[]> {
  const rows = await sqlRows<VersionRow>(client, `SELECT ${COLUMNS} FROM agent_versions WHERE org_id = $1::uuid AND agent_id = $2::uuid ORDER BY created_at DESC, label DESC`, [orgId, agentId]);
  return rows.map(toRecord);
}

export async function findVersion(client: SqlClient, orgId: string, versionId: string): Promise<VersionRecord | null> {
  const rows = await sqlRows<VersionRow>(client, `SELECT ${COLUMNS} FROM agent_versions WHERE org_id = $1::uuid AND id = $2::uuid`, [orgId, versionId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Serialises lifecycle changes of one agent (versions, the stable pointer, its rollout) until commit. */
export async function lockAgentLifecycle(client: SqlClient, agentId: string): Promise<void> {
  await sqlRows(client, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked", [`lifecycle:${agentId}`]);
}

/** Like lockAgentLifecycle, but gives up at once (false) when another transaction holds it. */
export async function tryLockAgentLifecycle(client: SqlClient, agentId: string): Promise<boolean> {
  const rows = await sqlRows<{ locked: boolean }>(client, "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked", [`lifecycle:${agentId}`]);
  return rows[0]?.locked === true;
}

/** The agent's running or paused rollout, as the version rules need it. */
export async function activeRolloutRef(client: SqlClient, orgId: string, agentId: string): Promise<(ActiveRolloutRef & { id: string }) | null> {
  const rows = await sqlRows<{ id: string; from_version_id: string; to_version_id: string; to_label: string }>(
    client,
    `SELECT r.id::text, r.from_version_id::text, r.to_version_id::text, v.label AS to_label
       FROM rollouts r JOIN agent_versions v ON v.id = r.to_version_id
      WHERE r.org_id = $1::uuid AND r.active_for = $2::uuid`,
    [orgId, agentId],
  );
  const row = rows[0];
  return row ? { id: row.id, fromVersionId: row.from_version_id, toVersionId: row.to_version_id, toLabel: row.to_label } : null;
}

/**
 * Tells every process and every connected instance that the org's lifecycle changed: a new
 * directives revision, and NOTIFYs (delivered on commit) for the facts snapshot and the stream.
 */
export async function signalLifecycleChange(client: SqlClient, orgId: string): Promise<number> {
  const revision = await bumpDirectiveRevision(client, orgId);
  await notifyChange(client as Parameters<typeof notifyChange>[0], { orgId, kind: LIFECYCLE_CHANGE_KIND });
  await notifyChange(client as Parameters<typeof notifyChange>[0], { orgId, kind: "directives" });
  return revision;
}

/** Points the agent's stable version at `versionId` (and its registry record's version label at its label). */
export async function setStableVersion(client: SqlClient, orgId: string, agentId: string, version: { id: string; label: string }): Promise<void> {
  await sqlRows(client, "UPDATE agent_versions SET stable_for = NULL WHERE org_id = $1::uuid AND stable_for = $2::uuid RETURNING id::text", [orgId, agentId]);
  await sqlRows(client, "UPDATE agent_versions SET stable_for = agent_id, status = 'released' WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id::text", [orgId, version.id]);
  await sqlRows(client, "UPDATE agents SET version = $3, updated_at = now() WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id::text", [orgId, agentId, version.label]);
}

export interface AgentRef {
  id: string;
  teamId: string | null;
  name: string;
}

export async function findAgentRef(client: SqlClient, orgId: string, agentId: string): Promise<AgentRef | null> {
  const rows = await sqlRows<{ id: string; team_id: string | null; name: string }>(client, "SELECT id::text, team_id::text, name FROM agents WHERE org_id = $1::uuid AND id = $2::uuid", [orgId, agentId]);
  return rows[0] ? { id: rows[0].id, teamId: rows[0].team_id, name: rows[0].name } : null;
}

/** Who changes what, for the ledger and the audit log: the authorised org, the person, their audit writer. */
interface ChangeContext {
  orgId: AuthorizedOrgId;
  actor: LedgerActor;
  audit: AuditWriter;
}

/** A person's change in the console: in their org, under their name, refused outside their reach. */
export function changeByPerson(access: AuthorizedOrg, audit: AuditWriter): ChangeContext & { reach: Reach } {
  return { orgId: access.orgId, actor: { type: "user", label: access.membership.userEmail }, audit, reach: access.reach };
}

/** The agent in the org (NOT_FOUND otherwise) and in the caller's reach (FORBIDDEN otherwise). */
export async function agentRefInReach(client: SqlClient, access: Pick<AuthorizedOrg, "orgId" | "reach">, agentId: string): Promise<AgentRef> {
  const agent = found(await findAgentRef(client, access.orgId, agentId), "agent");
  assertTeamInReach(access, agent.teamId);
  return agent;
}

async function refuseTakenLabel(client: SqlClient, agent: AgentRef, label: string, exceptVersionId: string | null): Promise<void> {
  const clash = await sqlRows<{ id: string }>(client, "SELECT id::text FROM agent_versions WHERE agent_id = $1::uuid AND label = $2 AND ($3::uuid IS NULL OR id <> $3::uuid)", [
    agent.id,
    label,
    exceptVersionId,
  ]);
  if (clash.length > 0) refuse("CONFLICT", `Version ${label} already exists for ${agent.name}: pick another label.`);
}

/** A new draft version of an agent in the caller's reach. */
export async function createVersion(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionFields & { agentId: string }): Promise<VersionRecord> {
  const change = changeByPerson(access, audit);
  const { agentId, ...fields } = input;
  const agent = await agentRefInReach(client, access, agentId);
  await lockAgentLifecycle(client, agent.id);
  await refuseTakenLabel(client, agent, fields.label, null);
  const rows = await sqlRows<VersionRow>(
    client,
    `INSERT INTO agent_versions (org_id, agent_id, label, model, system_prompt, tools, config, notes, created_by)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::text[], $7::jsonb, $8, $9)
     RETURNING ${COLUMNS}`,
    [change.orgId, agent.id, fields.label, fields.model, fields.systemPrompt, fields.tools, JSON.stringify(fields.config), fields.notes, change.actor.label],
  );
  const row = rows[0];
  if (!row) throw new Error("createVersion: nothing stored");
  const version = toRecord(row);
  await audit({ action: "version.created", targetType: "agent_version", targetId: version.id, teamId: agent.teamId, after: { agent: agent.name, ...versionSnapshot(version) } });
  await recordReleaseEvent(client, { orgId: change.orgId, agentId: agent.id, kind: "version_created", actor: change.actor, toVersionId: version.id });
  return version;
}

/** The version, its agent (in the caller's reach), and the agent's active rollout, locked for a change. */
async function loadForChange(client: SqlClient, access: Pick<AuthorizedOrg, "orgId" | "reach">, versionId: string) {
  const unlocked = found(await findVersion(client, access.orgId, versionId), "version");
  const agent = await agentRefInReach(client, access, unlocked.agentId);
  await lockAgentLifecycle(client, agent.id);
  // Read again under the lock: what was checked is what is committed.
  const version = (await findVersion(client, access.orgId, versionId)) ?? unlocked;
  return { version, agent, active: await activeRolloutRef(client, access.orgId, agent.id) };
}

/** Edits a draft; a released version is immutable. */
export async function updateDraft(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: { versionId: string; fields: VersionFields }): Promise<VersionRecord> {
  const { version, agent } = await loadForChange(client, access, input.versionId);
  const { fields } = input;
  refuseUnless(checkEdit(version));
  if (fields.label !== version.label) await refuseTakenLabel(client, agent, fields.label, version.id);
  const rows = await sqlRows<VersionRow>(
    client,
    `UPDATE agent_versions SET label = $3, model = $4, system_prompt = $5, tools = $6::text[], config = $7::jsonb, notes = $8, updated_at = now()
      WHERE org_id = $1::uuid AND id = $2::uuid RETURNING ${COLUMNS}`,
    [access.orgId, version.id, fields.label, fields.model, fields.systemPrompt, fields.tools, JSON.stringify(fields.config), fields.notes],
  );
  const updated = rows[0] ? toRecord(rows[0]) : version;
  await audit({ action: "version.updated", targetType: "agent_version", targetId: version.id, teamId: agent.teamId, before: versionSnapshot(version), after: versionSnapshot(updated) });
  return updated;
}

export interface VersionAction {
  versionId: string;
  reason: string;
}

export async function releaseVersion(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionAction): Promise<VersionRecord & { becameStable: boolean }> {
  const change = changeByPerson(access, audit);
  const { version, agent } = await loadForChange(client, access, input.versionId);
  refuseUnless(checkRelease(version));
  await sqlRows(client, "UPDATE agent_versions SET status = 'released', released_at = now(), released_by = $3 WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id::text", [
    change.orgId,
    version.id,
    change.actor.label,
  ]);
  const stable = await sqlRows<{ id: string }>(client, "SELECT id::text FROM agent_versions WHERE stable_for = $1::uuid", [agent.id]);
  const becameStable = stable.length === 0;
  // The first release is what the agent runs: it becomes stable. Later ones wait for a rollout.
  if (becameStable) await setStableVersion(client, change.orgId, agent.id, version);
  await audit({
    action: "version.released",
    targetType: "agent_version",
    targetId: version.id,
    teamId: agent.teamId,
    before: { status: version.status },
    after: { label: version.label, status: "released", stable: becameStable },
    reason: input.reason,
  });
  await recordReleaseEvent(client, { orgId: change.orgId, agentId: agent.id, kind: "version_released", actor: change.actor, reason: input.reason, toVersionId: version.id });
  if (becameStable) {
    await recordReleaseEvent(client, { orgId: change.orgId, agentId: agent.id, kind: "stable_changed", actor: change.actor, reason: "First release of the agent", toVersionId: version.id, toPercent: 100 });
  }
  await signalLifecycleChange(client, change.orgId);
  const released = await findVersion(client, change.orgId, version.id);
  return { ...(released ?? version), becameStable };
}

/** Deprecating and retiring end a version's life the same way: a status, its time, an entry, a ledger line. */
const ENDINGS = {
  deprecated: { check: checkDeprecate, column: "deprecated_at", action: "version.deprecated", ledger: "version_deprecated" },
  retired: { check: checkRetire, column: "retired_at", action: "version.retired", ledger: "version_retired" },
} as const;

async function endVersion(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionAction, status: keyof typeof ENDINGS): Promise<VersionRecord> {
  const ending = ENDINGS[status];
  const change = changeByPerson(access, audit);
  const { version, agent, active } = await loadForChange(client, access, input.versionId);
  refuseUnless(ending.check(version, active));
  await sqlRows(client, `UPDATE agent_versions SET status = $3::"VersionStatus", ${ending.column} = now() WHERE org_id = $1::uuid AND id = $2::uuid RETURNING id::text`, [change.orgId, version.id, status]);
  await audit({
    action: ending.action,
    targetType: "agent_version",
    targetId: version.id,
    teamId: agent.teamId,
    before: { status: version.status },
    after: { label: version.label, status },
    reason: input.reason,
  });
  await recordReleaseEvent(client, { orgId: change.orgId, agentId: agent.id, kind: ending.ledger, actor: change.actor, reason: input.reason, fromVersionId: version.id });
  await signalLifecycleChange(client, change.orgId);
  return (await findVersion(client, change.orgId, version.id)) ?? version;
}

/** No new rollout may start from or to a deprecated version; instances running it keep running. */
export function deprecateVersion(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionAction): Promise<VersionRecord> {
  return endVersion(client, audit, access, input, "deprecated");
}

/** A retired version is stopped: its instances' decisions are denied. */
export function retireVersion(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionAction): Promise<VersionRecord> {
  return endVersion(client, audit, access, input, "retired");
}

/** Makes an earlier released (or deprecated) version the stable one again: a revert from the ledger. */
export async function makeStable(client: SqlClient, audit: AuditWriter, access: AuthorizedOrg, input: VersionAction): Promise<VersionRecord> {
  const change = changeByPerson(access, audit);
  const { version, agent, active } = await loadForChange(client, access, input.versionId);
  refuseUnless(checkMakeStable(version, active));
  const previous = (await versionsOf(client, change.orgId, agent.id)).find((candidate) => candidate.stable) ?? null;
  await setStableVersion(client, change.orgId, agent.id, version);
  await audit({
    action: "version.made_stable",
    targetType: "agent_version",
    targetId: version.id,
    teamId: agent.teamId,
    before: { stable: previous?.label ?? null, status: version.status },
    after: { stable: version.label, status: "released" },
    reason: input.reason,
  });
  await recordReleaseEvent(client, {
    orgId: change.orgId,
    agentId: agent.id,
    kind: "stable_changed",
    actor: change.actor,
    reason: input.reason,
    fromVersionId: previous?.id ?? null,
    toVersionId: version.id,
    toPercent: 100,
  });
  await signalLifecycleChange(client, change.orgId);
  return (await findVersion(client, change.orgId, version.id)) ?? version;
}
