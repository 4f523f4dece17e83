// Kill switches' storage. Engaging or releasing one, in one transaction: the switch, a new
// directive revision for the org (the switch stores the revision it introduced, so acknowledgements
// can be counted), the audit entry and an alert; the tables' triggers tell every process on commit.
// Reads on the decision path come from the org's facts in memory (server/data/facts.ts).
import "server-only";
import type pg from "pg";
import type { Db } from "../db";
import { ackStats, type AckStats } from "../domain/killswitch/acks";
import { switchFor, type ActiveSwitch, type KillSwitchScope } from "../domain/killswitch/match";
import { isTeamScoped } from "../domain/killswitch/rules";
import { reachIncludesTeam, type Reach } from "../domain/access/permissions";
import { raiseAlert, sqlRows, type SqlClient } from "./alerts";
import { appendAuditRaw, type NewAuditEntry } from "./audit";
import { openIncident } from "./incidents";

export type { ActiveSwitch } from "../domain/killswitch/match";

// ---------------------------------------------------------------------------------------------
// Changes.

/** Bumps the org's directive revision (taking its row lock until commit) and returns the new one. */
export async function bumpDirectiveRevision(client: SqlClient, orgId: string): Promise<number> {
  const rows = await sqlRows<{ revision: number }>(
    client,
    `INSERT INTO directive_revisions (org_id, revision, updated_at) VALUES ($1::uuid, 1, now())
     ON CONFLICT (org_id) DO UPDATE SET revision = directive_revisions.revision + 1, updated_at = now()
     RETURNING revision`,
    [orgId],
  );
  const revision = rows[0]?.revision;
  if (revision === undefined) throw new Error("bumpDirectiveRevision: no revision returned");
  return revision;
}

export interface ResolvedTarget {
  /** What is stored: agent id, team id, model name, tag, or "" for the org. */
  target: string;
  teamId: string | null;
  /** What a person types to confirm, and what lists show. */
  displayName: string;
}

/** The target as stored and shown, or null when there is no such agent, team, model or tag. */
export async function resolveTarget(client: SqlClient, orgId: string, scope: KillSwitchScope, target: string): Promise<ResolvedTarget | null> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  switch (scope) {
    case "org": {
      const rows = await sqlRows<{ name: string }>(client, "SELECT name FROM orgs WHERE id = $1::uuid", [orgId]);
      return rows[0] ? { target: "", teamId: null, displayName: rows[0].name } : null;
    }
    case "agent": {
      if (!uuid.test(target)) return null;
      const rows = await sqlRows<{ id: string; name: string; team_id: string | null }>(
        client,
        "SELECT id::text, name, team_id::text FROM agents WHERE org_id = $1::uuid AND id = $2::uuid",
        [orgId, target],
      );
      return rows[0] ? { target: rows[0].id, teamId: rows[0].team_id, displayName: rows[0].name } : null;
    }
    case "team": {
      if (!uuid.test(target)) return null;
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

interface RecordRow {
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

const RECORD_COLUMNS =
  "id::text, scope::text AS scope, target, team_id::text, reason, reason_code, engaged_by, engaged_at, released_by, released_at, revision";

function toRecord(row: RecordRow): KillSwitchRecord {
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
  const rows = await sqlRows<RecordRow>(
    client,
    `SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND scope = $2::"KillSwitchScope" AND target = $3 AND released_at IS NULL LIMIT 1`,
    [orgId, scope, target],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface EngageInput {
  orgId: string;
  scope: KillSwitchScope;
  target: ResolvedTarget;
  reason: string;
  reasonCode: string;
  engagedBy: string;
  audit: (entry: NewAuditEntry) => Promise<void>;
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
  // Every stop is an incident to follow up (issue 10): one per switch, audited in this transaction.
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
    title: loop
      ? `Loop detected: ${input.target.displayName} suspended`
      : `Kill switch engaged on ${scopeNoun(record.scope)} ${input.target.displayName}`,
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
  audit: (entry: NewAuditEntry) => Promise<void>;
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
  const updated = await sqlRows<RecordRow>(
    client,
    `UPDATE kill_switches SET released_at = now(), released_by = $3 WHERE org_id = $1::uuid AND id = $2::uuid RETURNING ${RECORD_COLUMNS}`,
    [input.orgId, input.id, input.releasedBy],
  );
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
// Acknowledgements and the streaming instances.

/** Instances seen (heartbeat or stream) within this window count as connected. */
export const CONNECTED_WINDOW_SEC = 60;

function affectedAgentsPredicate(scope: KillSwitchScope): string {
  switch (scope) {
    case "org":
      // Every scope names $2, so PostgreSQL can type the parameter.
      return "$2::text IS NOT NULL";
    case "team":
      return "a.team_id::text = $2::text";
    case "agent":
      return "a.id::text = $2::text";
    case "tag":
      return "$2::text = ANY (a.tags)";
    case "model":
      return "$2::text = ANY (a.models)";
  }
}

export interface AffectedAgent {
  id: string;
  name: string;
}

export async function affectedAgents(db: Db, orgId: string, sw: { scope: KillSwitchScope; target: string }, limit = 50): Promise<{ total: number; agents: AffectedAgent[] }> {
  const rows = await db.$queryRawUnsafe<{ id: string; name: string; total: number }[]>(
    `SELECT a.id::text, a.name, (count(*) OVER ())::int AS total FROM agents a
      WHERE a.org_id = $1::uuid AND a.status <> 'archived' AND ${affectedAgentsPredicate(sw.scope)}
      ORDER BY a.name LIMIT ${Math.max(1, Math.min(500, Math.floor(limit)))}`,
    orgId,
    sw.target,
  );
  return { total: rows[0]?.total ?? 0, agents: rows.map((row) => ({ id: row.id, name: row.name })) };
}

/** For an engaged switch: the connected instances it affects, how many acknowledged it, and how fast. */
export async function switchAckStats(db: Db, orgId: string, sw: { scope: KillSwitchScope; target: string; revision: number; engagedAt: Date }): Promise<AckStats> {
  const rows = await db.$queryRawUnsafe<{ directive_version: number | null; acked_at: Date | null }[]>(
    `SELECT i.directive_version,
            (SELECT min(d.acked_at) FROM directive_acks d
              WHERE d.agent_id = i.agent_id AND d.instance_id = i.instance_id AND d.revision >= $3::int) AS acked_at
       FROM agent_instances i
       JOIN agents a ON a.id = i.agent_id
      WHERE i.org_id = $1::uuid AND a.status <> 'archived' AND ${affectedAgentsPredicate(sw.scope)}
        AND GREATEST(i.last_heartbeat_at, COALESCE(i.stream_seen_at, i.last_heartbeat_at)) >= now() - interval '${CONNECTED_WINDOW_SEC} seconds'`,
    orgId,
    sw.target,
    sw.revision,
  );
  return ackStats(
    sw.engagedAt,
    sw.revision,
    rows.map((row) => ({ directiveVersion: row.directive_version, ackedAt: row.acked_at === null ? null : new Date(row.acked_at) })),
  );
}

// ---------------------------------------------------------------------------------------------
// The console's reads.

export interface KillSwitchView extends KillSwitchRecord {
  targetName: string;
  affected: { total: number; agents: AffectedAgent[] };
  acks: AckStats | null;
}

/** Who sees a switch: org-wide switches everyone with the page; agent/team switches within reach. */
function visible(reach: Reach, record: KillSwitchRecord): boolean {
  return !isTeamScoped(record.scope) || reachIncludesTeam(reach, record.teamId);
}

export async function listKillSwitches(db: Db, orgId: string, reach: Reach, historyLimit = 50): Promise<{ active: KillSwitchView[]; history: KillSwitchView[] }> {
  const [activeRows, historyRows] = await Promise.all([
    db.$queryRawUnsafe<RecordRow[]>(`SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND released_at IS NULL ORDER BY engaged_at DESC`, orgId),
    db.$queryRawUnsafe<RecordRow[]>(
      `SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND released_at IS NOT NULL ORDER BY released_at DESC LIMIT ${Math.max(1, Math.min(500, historyLimit))}`,
      orgId,
    ),
  ]);
  const names = await targetNames(db, orgId);
  const nameOf = (record: KillSwitchRecord) => (record.scope === "org" ? names.org : record.scope === "agent" ? names.agents.get(record.target) : record.scope === "team" ? names.teams.get(record.target) : record.target) ?? record.target;
  const active = await Promise.all(
    activeRows
      .map(toRecord)
      .filter((record) => visible(reach, record))
      .map(async (record) => ({
        ...record,
        targetName: nameOf(record),
        affected: await affectedAgents(db, orgId, record, 20),
        acks: await switchAckStats(db, orgId, record),
      })),
  );
  const history = historyRows
    .map(toRecord)
    .filter((record) => visible(reach, record))
    .map((record) => ({ ...record, targetName: nameOf(record), affected: { total: 0, agents: [] }, acks: null }));
  return { active, history };
}

async function targetNames(db: Db, orgId: string): Promise<{ org: string; agents: Map<string, string>; teams: Map<string, string> }> {
  const [org, agents, teams] = await Promise.all([
    db.org.findUnique({ where: { id: orgId }, select: { name: true } }),
    db.agent.findMany({ where: { orgId }, select: { id: true, name: true } }),
    db.team.findMany({ where: { orgId }, select: { id: true, name: true } }),
  ]);
  return { org: org?.name ?? "", agents: new Map(agents.map((a) => [a.id, a.name])), teams: new Map(teams.map((t) => [t.id, t.name])) };
}

export interface TargetOption {
  value: string;
  label: string;
  teamId: string | null;
}

/** What the caller may switch off in a scope (agents and teams within reach; the rest org-wide). */
export async function listTargets(db: Db, orgId: string, scope: KillSwitchScope, reach: Reach): Promise<TargetOption[]> {
  const teamFilter = reach.kind === "org" ? {} : { teamId: { in: [...reach.teamIds] } };
  switch (scope) {
    case "org": {
      const org = await db.org.findUnique({ where: { id: orgId }, select: { name: true } });
      return org ? [{ value: "", label: org.name, teamId: null }] : [];
    }
    case "agent": {
      const agents = await db.agent.findMany({ where: { orgId, status: { not: "archived" }, ...teamFilter }, select: { id: true, name: true, teamId: true }, orderBy: { name: "asc" } });
      return agents.map((a) => ({ value: a.id, label: a.name, teamId: a.teamId }));
    }
    case "team": {
      const teams = await db.team.findMany({ where: { orgId, ...(reach.kind === "org" ? {} : { id: { in: [...reach.teamIds] } }) }, select: { id: true, name: true }, orderBy: { name: "asc" } });
      return teams.map((t) => ({ value: t.id, label: t.name, teamId: t.id }));
    }
    case "model": {
      const models = await db.model.findMany({ where: { orgId }, select: { name: true }, orderBy: { name: "asc" } });
      return models.map((m) => ({ value: m.name, label: m.name, teamId: null }));
    }
    case "tag": {
      const rows = await db.$queryRawUnsafe<{ tag: string }[]>(
        "SELECT DISTINCT unnest(tags) AS tag FROM agents WHERE org_id = $1::uuid AND status <> 'archived' ORDER BY 1",
        orgId,
      );
      return rows.map((row) => ({ value: row.tag, label: row.tag, teamId: null }));
    }
  }
}

/** The switch that halts one agent now, for its page's banner (null when it runs). */
export async function haltingSwitchForAgent(db: Db, orgId: string, agent: { id: string; teamId: string | null; tags: string[] }): Promise<(KillSwitchRecord & { targetName: string }) | null> {
  const rows = await db.$queryRawUnsafe<RecordRow[]>(`SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND released_at IS NULL`, orgId);
  const records = rows.map(toRecord);
  const covering = switchFor(
    records.map((r) => ({ id: r.id, scope: r.scope, target: r.target, reasonCode: r.reasonCode, reason: r.reason, revision: r.revision })),
    { agentId: agent.id, teamId: agent.teamId, tags: agent.tags },
  );
  const record = covering ? records.find((r) => r.id === covering.id) : undefined;
  if (!record) return null;
  const resolved = await resolveTarget(db, orgId, record.scope, record.target);
  return { ...record, targetName: resolved?.displayName ?? record.target };
}
