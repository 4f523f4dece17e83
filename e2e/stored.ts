// What the database holds, read for the specs' checks ("the database holds exactly what they
// sent") and for ids the console shows only in its URLs. Reads only: states are made through the
// app or the seed module (and the one state only time can make, in fixtures.ts's expireApprovalNow).
import type { RoutableModel } from "../server/domain/routing/route";
import { withDatabase } from "./fixtures";

async function one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
  return withDatabase(async (db) => (await db.query<T & Record<string, unknown>>(sql, params)).rows[0]);
}

export async function orgIdOf(slug: string): Promise<string> {
  const row = await one<{ id: string }>("SELECT id FROM orgs WHERE slug = $1", [slug]);
  if (!row) throw new Error(`no org ${slug}`);
  return row.id;
}

export async function agentIdOf(name: string, org = "acme"): Promise<string> {
  const row = await one<{ id: string }>("SELECT a.id::text FROM agents a JOIN orgs o ON o.id = a.org_id WHERE o.slug = $1 AND a.name = $2", [org, name]);
  if (!row) throw new Error(`no agent ${name} in ${org}`);
  return row.id;
}

/** The registry status of the agent named `name` (undefined: no such agent). */
export async function agentStatusOf(name: string): Promise<string | undefined> {
  return (await one<{ status: string }>("SELECT status FROM agents WHERE name = $1", [name]))?.status;
}

export async function eventCountOfTask(taskId: string): Promise<number> {
  return withDatabase(async (db) => (await db.query("SELECT 1 FROM events WHERE task_id = $1", [taskId])).rowCount ?? 0);
}

/** The salt of the agent's running rollout: with an instance id, it decides which version the instance runs. */
export async function runningRolloutSaltOf(agentId: string): Promise<string> {
  const row = await one<{ salt: string }>("SELECT salt FROM rollouts WHERE agent_id = $1 AND status = 'running'", [agentId]);
  if (!row) throw new Error(`no running rollout for agent ${agentId}`);
  return row.salt;
}

export async function rolloutCountOf(agentId: string): Promise<number> {
  return withDatabase(async (db) => (await db.query("SELECT 1 FROM rollouts WHERE agent_id = $1", [agentId])).rowCount ?? 0);
}

/** When the approval request was decided (null: never decided by a person). */
export async function approvalDecidedAt(approvalId: string): Promise<Date | null | undefined> {
  return (await one<{ decided_at: Date | null }>("SELECT decided_at FROM approvals WHERE id = $1", [approvalId]))?.decided_at;
}

export async function passwordHashOf(email: string): Promise<string | null | undefined> {
  return (await one<{ password_hash: string | null }>("SELECT password_hash FROM users WHERE email = $1", [email]))?.password_hash;
}

/** A model's registry prices in micro-dollars per million tokens, as text (bigint). */
export async function modelPriceOf(model: string, org = "acme"): Promise<{ input: string; output: string } | undefined> {
  return one<{ input: string; output: string }>(
    "SELECT input_micros_per_mtok::text AS input, output_micros_per_mtok::text AS output FROM models m JOIN orgs o ON o.id = m.org_id WHERE o.slug = $1 AND m.name = $2",
    [org, model],
  );
}

/** The org's model registry and routing rules, as the routing function takes them. */
export async function routingRegistryOf(org = "acme") {
  const orgId = await orgIdOf(org);
  return withDatabase(async (client) => {
    const modelRows = await client.query<{ name: string; provider: string; input: string; output: string; quality_tier: number; status: RoutableModel["status"] }>(
      "SELECT name, provider, input_micros_per_mtok AS input, output_micros_per_mtok AS output, quality_tier, status FROM models WHERE org_id = $1",
      [orgId],
    );
    const ruleRows = await client.query<{ task_type: string; min_quality: number; allowed_providers: string[]; fallback_chain: string[] }>(
      "SELECT task_type, min_quality, allowed_providers, fallback_chain FROM routing_rules WHERE org_id = $1 ORDER BY task_type",
      [orgId],
    );
    return {
      models: modelRows.rows.map((row) => ({
        name: row.name,
        provider: row.provider,
        inputMicrosPerMTok: BigInt(row.input),
        outputMicrosPerMTok: BigInt(row.output),
        qualityTier: row.quality_tier,
        status: row.status,
      })),
      rules: ruleRows.rows,
    };
  });
}

/** The stored copies of one event of the agent named `agent` (one, once deduplicated). */
export async function storedCopiesOf(agent: string, eventId: string): Promise<{ cost_micros: string | null }[]> {
  return withDatabase(
    async (db) => (await db.query<{ cost_micros: string | null }>("SELECT e.cost_micros FROM events e JOIN agents a ON a.id = e.agent_id WHERE a.name = $1 AND e.event_id = $2", [agent, eventId])).rows,
  );
}

/** The decision recorded under `decisionId` (allow, deny, require_approval). */
export async function recordedDecisionOf(decisionId: string): Promise<string | undefined> {
  return (await one<{ decision: string }>("SELECT decision FROM decisions WHERE id = $1", [decisionId]))?.decision;
}
