// Running instances of agents, known from their heartbeats: one statement per heartbeat records the
// instance, the agent's "last seen", and (first time only) when the instance applied a directives
// revision, which is how fast a kill switch reached it.
import "server-only";
import { getPool } from "../db/pool";

export async function recordHeartbeat(orgId: string, agentId: string, heartbeat: { instanceId: string; version?: string; status?: string; directiveVersion?: number }): Promise<void> {
  await getPool().query({
    name: "agentry_heartbeat",
    text: `WITH instance AS (
             INSERT INTO agent_instances (org_id, agent_id, instance_id, version, status, directive_version, last_heartbeat_at)
             VALUES ($1, $2, $3, $4, $5, $6, now())
             ON CONFLICT (agent_id, instance_id) DO UPDATE SET
               version = COALESCE(EXCLUDED.version, agent_instances.version),
               status = EXCLUDED.status,
               directive_version = COALESCE(EXCLUDED.directive_version, agent_instances.directive_version),
               last_heartbeat_at = now()
             RETURNING 1),
           seen AS (UPDATE agents SET last_seen_at = now() WHERE id = $2 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 second') RETURNING 1),
           acked AS (
             INSERT INTO directive_acks (org_id, agent_id, instance_id, revision)
             SELECT $1, $2, $3, $6 WHERE $6::int > 0
             ON CONFLICT (agent_id, instance_id, revision) DO NOTHING
             RETURNING 1)
           SELECT (SELECT count(*) FROM instance) AS instance, (SELECT count(*) FROM seen) AS seen, (SELECT count(*) FROM acked) AS acked`,
    values: [orgId, agentId, heartbeat.instanceId, heartbeat.version ?? null, heartbeat.status ?? null, heartbeat.directiveVersion ?? null],
  });
}

/** Instances connected to the directives stream: counted as alive (and streaming) by every replica. */
export async function touchStreamingInstances(instances: readonly { orgId: string; agentId: string; instanceId: string }[]): Promise<void> {
  if (instances.length === 0) return;
  // Sorted, so concurrent batches from several processes lock rows in the same order.
  const sorted = [...instances].sort((a, b) => (a.agentId === b.agentId ? a.instanceId.localeCompare(b.instanceId) : a.agentId.localeCompare(b.agentId)));
  await getPool().query(
    `INSERT INTO agent_instances (org_id, agent_id, instance_id, last_heartbeat_at, stream_seen_at)
     SELECT c.org_id, c.agent_id, c.instance_id, now(), now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS c(org_id, agent_id, instance_id)
     ON CONFLICT (agent_id, instance_id) DO UPDATE SET last_heartbeat_at = now(), stream_seen_at = now()`,
    [sorted.map((i) => i.orgId), sorted.map((i) => i.agentId), sorted.map((i) => i.instanceId)],
  );
}
