// Kill switches as the console shows them: engaged ones with the agents they stop and how many
// connected instances acknowledged them, the released history, what a person may switch off, and
// the switch halting one agent. Changes: server/data/killswitches.ts.
import "server-only";
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import type { Db } from "../db";
import { can, reachIncludesTeam, type Reach } from "../domain/access/permissions";
import { ackStats, type AckStats } from "../domain/killswitch/acks";
import { switchFor, type KillSwitchScope } from "../domain/killswitch/match";
import { isTeamScoped, permissionForScope } from "../domain/killswitch/rules";
import { findAgentInReach } from "./agents";
import { RECORD_COLUMNS, resolveTarget, toRecord, type KillSwitchRecord, type RecordRow } from "./killswitches";

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

export async function listKillSwitches(db: Db, orgId: AuthorizedOrgId, reach: Reach, historyLimit = 50): Promise<{ active: KillSwitchView[]; history: KillSwitchView[] }> {
  const [activeRows, historyRows] = await Promise.all([
    db.$queryRawUnsafe<RecordRow[]>(`SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND released_at IS NULL ORDER BY engaged_at DESC`, orgId),
    db.$queryRawUnsafe<RecordRow[]>(
      `SELECT ${RECORD_COLUMNS} FROM kill_switches WHERE org_id = $1::uuid AND released_at IS NOT NULL ORDER BY released_at DESC LIMIT ${Math.max(1, Math.min(500, historyLimit))}`,
      orgId,
    ),
  ]);
  const names = await targetNames(db, orgId);
  const nameOf = (record: KillSwitchRecord) =>
    (record.scope === "org" ? names.org : record.scope === "agent" ? names.agents.get(record.target) : record.scope === "team" ? names.teams.get(record.target) : record.target) ?? record.target;
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

/** What the caller may switch off in a scope (agents and teams within reach; the rest org-wide); nothing in a scope their role does not allow. */
export async function listTargets(db: Db, access: AuthorizedOrg, scope: KillSwitchScope): Promise<TargetOption[]> {
  if (!can(access.membership.role, permissionForScope(scope))) return [];
  const { orgId, reach } = access;
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
      const rows = await db.$queryRawUnsafe<{ tag: string }[]>("SELECT DISTINCT unnest(tags) AS tag FROM agents WHERE org_id = $1::uuid AND status <> 'archived' ORDER BY 1", orgId);
      return rows.map((row) => ({ value: row.tag, label: row.tag, teamId: null }));
    }
  }
}

/** The switch that halts one agent now (the agent must be in reach), for its page's banner (null when it runs). */
export async function haltingSwitchForAgent(db: Db, access: AuthorizedOrg, agentId: string): Promise<(KillSwitchRecord & { targetName: string }) | null> {
  const agent = await findAgentInReach(db, access, agentId);
  const orgId = access.orgId;
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
