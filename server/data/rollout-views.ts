// Rollouts as the console lists them: running and paused ones (with where the assignment puts the
// instances heard from lately, and what they report running), then the most recent ended ones,
// within the caller's reach. Changes and the guards' evaluation: server/data/rollouts.ts.
import type { AuthorizedOrgId } from "../auth/access";
import type { Db } from "../db";
import type { Reach } from "../domain/access/permissions";
import { versionForUnit, type AgentVersionFacts } from "../domain/rollout/assign";
import type { GuardConfig, Stage } from "../domain/rollout/schemas";
import { percentOf, toRecord, type RolloutRecord, type RolloutRow, type StoredEvaluation } from "./rollouts";
import { loadVersionFacts } from "./version-facts";

export interface RolloutView extends RolloutRecord {
  agentName: string;
  teamName: string | null;
  from: { id: string; label: string; status: string };
  to: { id: string; label: string; status: string };
  percent: number;
  /** Instances heard from in the last 10 minutes: where the assignment puts them and what they report running. */
  instances: { seen: number; assignedToCandidate: number; reportingCandidate: number } | null;
}

const INSTANCE_WINDOW_MS = 10 * 60_000;

/** Running and paused rollouts, then the most recent ended ones, within the caller's reach. */
export async function listRollouts(db: Db, orgId: AuthorizedOrgId, reach: Reach, options: { agentId?: string; limit?: number } = {}): Promise<{ active: RolloutView[]; past: RolloutView[] }> {
  const teamFilter = reach.kind === "teams" ? { teamId: { in: [...reach.teamIds] } } : {};
  const agentFilter = options.agentId ? { agentId: options.agentId } : {};
  const [active, past] = await Promise.all([
    db.rollout.findMany({ where: { orgId, ...teamFilter, ...agentFilter, activeFor: { not: null } }, orderBy: { createdAt: "desc" } }),
    db.rollout.findMany({ where: { orgId, ...teamFilter, ...agentFilter, activeFor: null }, orderBy: { createdAt: "desc" }, take: Math.max(1, Math.min(200, options.limit ?? 50)) }),
  ]);
  const all = [...active, ...past];
  const agentIds = [...new Set(all.map((rollout) => rollout.agentId))];
  const versionIds = [...new Set(all.flatMap((rollout) => [rollout.fromVersionId, rollout.toVersionId]))];
  const [agents, versions, facts, instances] = await Promise.all([
    db.agent.findMany({ where: { orgId, id: { in: agentIds } }, select: { id: true, name: true, team: { select: { name: true } } } }),
    db.agentVersion.findMany({ where: { orgId, id: { in: versionIds } }, select: { id: true, label: true, status: true } }),
    active.length > 0 ? loadVersionFacts(db, orgId) : Promise.resolve(new Map<string, AgentVersionFacts>()),
    active.length > 0
      ? db.agentInstance.findMany({
          where: { orgId, agentId: { in: active.map((rollout) => rollout.agentId) }, lastHeartbeatAt: { gte: new Date(Date.now() - INSTANCE_WINDOW_MS) } },
          select: { agentId: true, instanceId: true, version: true },
        })
      : Promise.resolve([]),
  ]);
  const agentById = new Map(agents.map((agent) => [agent.id, agent]));
  const versionById = new Map(versions.map((version) => [version.id, version]));
  const view = (row: (typeof all)[number], withInstances: boolean): RolloutView => {
    const record = toRecord({
      id: row.id,
      org_id: row.orgId,
      agent_id: row.agentId,
      team_id: row.teamId,
      from_version_id: row.fromVersionId,
      to_version_id: row.toVersionId,
      salt: row.salt,
      status: row.status,
      stages: row.stages as unknown as Stage[],
      guards: row.guards as unknown as GuardConfig[],
      on_breach: row.onBreach,
      auto_advance: row.autoAdvance,
      require_approval: row.requireApproval,
      stage_index: row.stageIndex,
      stage_started_at: row.stageStartedAt,
      stage_baseline: row.stageBaseline as RolloutRow["stage_baseline"],
      skipped_guards: row.skippedGuards,
      approved_by: row.approvedBy,
      approved_at: row.approvedAt,
      paused_reason: row.pausedReason,
      created_by: row.createdBy,
      created_at: row.createdAt,
      ended_at: row.endedAt,
      ended_reason: row.endedReason,
      last_evaluated_at: row.lastEvaluatedAt,
      last_evaluation: row.lastEvaluation as StoredEvaluation | null,
    });
    const agent = agentById.get(row.agentId);
    const from = versionById.get(row.fromVersionId);
    const to = versionById.get(row.toVersionId);
    let instanceSummary: RolloutView["instances"] = null;
    if (withInstances) {
      const agentFacts = facts.get(row.agentId);
      const mine = instances.filter((instance) => instance.agentId === row.agentId);
      instanceSummary = {
        seen: mine.length,
        assignedToCandidate: mine.filter((instance) => versionForUnit(agentFacts, instance.instanceId)?.id === row.toVersionId).length,
        reportingCandidate: mine.filter((instance) => instance.version !== null && (instance.version === row.toVersionId || instance.version === to?.label)).length,
      };
    }
    return {
      ...record,
      // The salt stays on the server: it is what makes assignment unpredictable from outside.
      salt: "",
      agentName: agent?.name ?? "(unknown agent)",
      teamName: agent?.team?.name ?? null,
      from: { id: row.fromVersionId, label: from?.label ?? "?", status: from?.status ?? "released" },
      to: { id: row.toVersionId, label: to?.label ?? "?", status: to?.status ?? "released" },
      percent: record.status === "rolled_back" ? 0 : percentOf(record),
      instances: instanceSummary,
    };
  };
  return { active: active.map((row) => view(row, true)), past: past.map((row) => view(row, false)) };
}
