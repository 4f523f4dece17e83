// The demo org's past (docs/demo.md: "enough history that every dashboard has something
// true to show"): about three weeks of the fleet's telemetry, planned by the simulator's traffic
// model (scripts/simulate/history.ts, deterministic) and stored through the ingest pipeline's own
// storeEvents, so events, hourly rollups, daily spend and discovered agents are exactly what live
// traffic would have produced. Then each registered agent's instances heartbeat "now".
import type pg from "pg";
import type { AgentProfile } from "../../server/domain/decide/types";
import type { AgentEvent } from "../../server/domain/telemetry/events";
import { allowServerModulesOutsideNext } from "../../server/runtime/server-modules";
import { planHistory } from "../../scripts/simulate/history";

export interface DemoHistoryOptions {
  days?: number;
  now?: Date;
  seed?: number;
  log?: (line: string) => void;
}

export interface DemoHistoryResult {
  events: number;
  tasks: number;
  agents: number;
  ms: number;
}

/** Events per storeEvents call: big enough to amortise a transaction, small enough to keep arrays modest. */
const CHUNK = 2500;
/** Chunks stored at once (the machine has two cores; PostgreSQL takes the other). */
const PARALLEL = 2;

export async function seedDemoHistory(pool: pg.Pool, orgId: string, options: DemoHistoryOptions = {}): Promise<DemoHistoryResult> {
  const started = performance.now();
  const days = options.days ?? 21;
  const now = options.now ?? new Date();
  allowServerModulesOutsideNext();
  // The same facts (registry, prices, redaction) and the same store live traffic goes through.
  const [{ storeEvents }, { orgFacts }] = await Promise.all([import("../../server/data/event-store"), import("../../server/data/facts")]);
  const facts = await orgFacts(orgId);
  const plan = planHistory({ days, now, ...(options.seed !== undefined ? { seed: options.seed } : {}) });

  const jobs: { agent: AgentProfile | null; events: AgentEvent[] }[] = [];
  let tasks = 0;
  let agents = 0;
  for (const planned of plan) {
    const agent = facts.agentsByName.get(planned.member.agent) ?? null;
    // Registered agents report with their own key; the others through the ingest key, which discovers them.
    if (planned.member.via === "agent-key" && !agent) continue;
    const reporter = planned.member.via === "agent-key" ? agent : null;
    for (let from = 0; from < planned.events.length; from += CHUNK) jobs.push({ agent: reporter, events: planned.events.slice(from, from + CHUNK) });
    tasks += planned.tasks;
    agents++;
  }

  let stored = 0;
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      // History: nothing to follow up (no reservations to settle, loops long over).
      const result = await storeEvents({ orgId, agent: job.agent, facts, valid: job.events.map((event, index) => ({ index, event })), followUp: false }, pool);
      stored += result.accepted + result.duplicates;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));

  // Every registered demo agent is running right now on its instances.
  const instances = plan.flatMap((planned) => {
    const agent = planned.member.via === "agent-key" ? facts.agentsByName.get(planned.member.agent) : undefined;
    return agent
      ? planned.member.instances.map((instanceId, n) => ({
          agentId: agent.id,
          instanceId,
          version: planned.member.versionAt ? planned.member.versionAt(instanceId, now) : planned.member.version,
          secondsAgo: 1 + n * 3,
        }))
      : [];
  });
  await pool.query(
    `INSERT INTO agent_instances (org_id, agent_id, instance_id, version, status, first_seen_at, last_heartbeat_at)
     SELECT $1::uuid, agent_id, instance_id, version, 'ok', $2::timestamptz, $3::timestamptz - make_interval(secs => seconds_ago)
       FROM unnest($4::uuid[], $5::text[], $6::text[], $7::int[]) AS i(agent_id, instance_id, version, seconds_ago)
     ON CONFLICT (agent_id, instance_id) DO NOTHING`,
    [
      orgId,
      new Date(now.getTime() - days * 86_400_000).toISOString(),
      now.toISOString(),
      instances.map((instance) => instance.agentId),
      instances.map((instance) => instance.instanceId),
      instances.map((instance) => instance.version),
      instances.map((instance) => instance.secondsAgo),
    ],
  );
  await pool.query("UPDATE agents SET last_seen_at = $2 WHERE org_id = $1", [orgId, now.toISOString()]);

  const ms = Math.round(performance.now() - started);
  options.log?.(`Seeded ${stored} events of demo history (${days} days, ${tasks} tasks, ${agents} agents) in ${(ms / 1000).toFixed(1)} s.`);
  return { events: stored, tasks, agents, ms };
}

/** For start-up: the demo org's history, through the process's pool. */
export async function seedDemoHistoryAt(orgSlug: string, options: DemoHistoryOptions = {}): Promise<DemoHistoryResult> {
  allowServerModulesOutsideNext();
  const { getPool } = await import("../../server/db/pool");
  const pool = getPool();
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM orgs WHERE slug = $1", [orgSlug]);
  const orgId = rows[0]?.id;
  if (!orgId) throw new Error(`no org with slug "${orgSlug}"`);
  return seedDemoHistory(pool, orgId, options);
}
