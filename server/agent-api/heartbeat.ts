// POST /api/v1/heartbeat: an instance says it is alive (and which directives it has applied);
// the answer is its directives. Health in the registry is computed from these.
import "server-only";
import { recordDirectiveAck } from "../data/killswitches";
import { loadVersionFacts } from "../data/versions";
import { versionVerdict } from "../domain/rollout/verdict";
import { getPool } from "../db/pool";
import type { AgentRef } from "./auth";
import { directivesFor } from "./directives";
import type { Directives, HeartbeatRequest } from "./schemas";

export async function recordHeartbeat(orgId: string, agent: AgentRef, heartbeat: HeartbeatRequest): Promise<{ directives: Directives }> {
  const pool = getPool();
  await pool.query(
    `INSERT INTO agent_instances (org_id, agent_id, instance_id, version, status, directive_version, last_heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (agent_id, instance_id) DO UPDATE SET
       version = COALESCE(EXCLUDED.version, agent_instances.version),
       status = EXCLUDED.status,
       directive_version = COALESCE(EXCLUDED.directive_version, agent_instances.directive_version),
       last_heartbeat_at = now()`,
    [orgId, agent.id, heartbeat.instanceId, heartbeat.version ?? null, heartbeat.status ?? null, heartbeat.directiveVersion ?? null],
  );
  await pool.query("UPDATE agents SET last_seen_at = now() WHERE id = $1", [agent.id]);
  // When the instance first applied this revision: how fast a kill switch reached it (Kill switches page).
  if (heartbeat.directiveVersion !== undefined) await recordDirectiveAck(orgId, agent.id, heartbeat.instanceId, heartbeat.directiveVersion);
  const directives = await directivesFor(orgId, agent);
  // TEMPORARY (lifecycle branch only): the directed version, until the decision path's facts snapshot carries it.
  const verdict = versionVerdict((await loadVersionFacts(pool, orgId)).get(agent.id), heartbeat.instanceId, heartbeat.version ?? null);
  return {
    directives: {
      ...directives,
      ...(verdict.version ? { version: { id: verdict.version.id, label: verdict.version.label } } : {}),
      ...(verdict.warning ? { warning: verdict.warning } : {}),
      ...(verdict.refuse && !verdict.version && !directives.halt ? { halt: true, reason: "retired" as const } : {}),
    },
  };
}
