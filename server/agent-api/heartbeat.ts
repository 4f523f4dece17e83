// POST /api/v1/heartbeat: an instance says it is alive (and which directives it has applied);
// the answer is its directives. Health in the registry is computed from these.
import "server-only";
import { recordHeartbeat as storeHeartbeat } from "../data/instances";
import type { Directives } from "../domain/decide/directives";
import type { AgentProfile, OrgFacts } from "../domain/decide/types";
import { directivesFor } from "./directives";
import type { HeartbeatRequest } from "./schemas";

export async function recordHeartbeat(facts: OrgFacts, agent: AgentProfile, heartbeat: HeartbeatRequest): Promise<{ directives: Directives }> {
  const [, directives] = await Promise.all([storeHeartbeat(facts.orgId, agent.id, heartbeat), directivesFor(facts, agent, { unit: heartbeat.instanceId, reported: heartbeat.version ?? null })]);
  return { directives };
}
