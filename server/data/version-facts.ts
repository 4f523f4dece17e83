// The decision path's view of an org's agent versions: every agent with a released version, its
// stable version, its running (or paused) rollout and its non-draft versions, kept in memory with
// the org's facts (server/data/facts.ts) and reloaded when a NOTIFY of kind "rollout" arrives.
// The rules that assign an instance its version: server/domain/rollout/assign.ts.
import type pg from "pg";
import { sqlRows, type SqlClient } from "../db/sql";
import type { AgentVersionFacts, VersionRef } from "../domain/rollout/assign";
import type { Stage } from "../domain/rollout/schemas";

/**
 * Every agent of the org that has a released version, with its stable version, its running (or
 * paused) rollout and its non-draft versions. Two queries; plain data, ready to keep in memory.
 * Reload it when a NOTIFY of kind "rollout" (LIFECYCLE_CHANGE_KIND) arrives for the org.
 */
export async function loadVersionFacts(queryable: SqlClient | pg.Pool, orgId: string): Promise<Map<string, AgentVersionFacts>> {
  // A pool answers the same query interface as one of its clients.
  const client = queryable as SqlClient;
  // In sequence: `client` may be one connection, where queries cannot overlap.
  const versions = await sqlRows<{ agent_id: string; id: string; label: string; status: VersionRef["status"]; stable: boolean }>(
    client,
    "SELECT agent_id::text, id::text, label, status::text AS status, (stable_for IS NOT NULL) AS stable FROM agent_versions WHERE org_id = $1::uuid AND status <> 'draft' ORDER BY created_at",
    [orgId],
  );
  const rollouts = await sqlRows<{ id: string; agent_id: string; salt: string; stages: Stage[]; stage_index: number; to_version_id: string }>(
    client,
    "SELECT id::text, agent_id::text, salt, stages, stage_index, to_version_id::text FROM rollouts WHERE org_id = $1::uuid AND active_for IS NOT NULL",
    [orgId],
  );
  const facts = new Map<string, AgentVersionFacts>();
  for (const row of versions) {
    const ref: VersionRef = { id: row.id, label: row.label, status: row.status };
    let entry = facts.get(row.agent_id);
    if (!entry) {
      entry = { agentId: row.agent_id, stable: null, rollout: null, versions: [] };
      facts.set(row.agent_id, entry);
    }
    entry.versions.push(ref);
    if (row.stable) entry.stable = ref;
  }
  for (const row of rollouts) {
    const entry = facts.get(row.agent_id);
    const candidate = entry?.versions.find((version) => version.id === row.to_version_id);
    if (!entry || !candidate) continue;
    entry.rollout = { id: row.id, salt: row.salt, percent: row.stages[row.stage_index]?.percent ?? 0, candidate };
  }
  return facts;
}
