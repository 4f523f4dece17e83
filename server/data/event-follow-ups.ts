// The follow-up of ingested batches through an outbox table: the batch writes one row in its own
// transaction (event-store.ts), and the events:drain-follow-ups job takes the rows out in order,
// doing their work in the same transaction as it deletes them, so each row's work happens exactly
// once. Many batches' follow-ups are done together: their settlements in one pass, their reported
// tool calls counted together, one set of checks queued per org.
import "server-only";
import type pg from "pg";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";
import { addJobs, job, type JobPayload } from "../jobs/queue";
import { orgFacts } from "./facts";
import { recordReportedCalls } from "./loops";
import { settleReservations } from "./reservations";

export type FollowUp = Omit<JobPayload<"events:follow-up">, "orgId">;

/** Budget alerts wait this long for more spend to arrive, so a burst of batches costs one check. */
const BUDGET_ALERT_DELAY_MS = 1_000;
/** Spend rate is checked at most this often per agent. */
const SPEND_RATE_DELAY_MS = 10_000;
/** While events arrive, an org's anomalies are looked for at most this often. */
const ANOMALY_DELAY_MS = 15_000;
/** Rows taken per transaction of the drain. */
const DRAIN_BATCH = 500;

/** One org's follow-up, inside the caller's transaction: settle, count reported calls, queue the checks. */
export async function followUp(client: pg.PoolClient, orgId: string, work: FollowUp): Promise<void> {
  const facts = await orgFacts(orgId);
  await settleReservations(
    client,
    orgId,
    work.settlements.map((settlement) => ({ decisionId: settlement.decisionId, costMicros: BigInt(settlement.costMicros) })),
  );
  await recordReportedCalls(client, orgId, facts.agents, work.toolCalls);
  const now = Date.now();
  const spent = [...new Set(work.spentAgentIds)];
  await addJobs(client, [
    ...(spent.length > 0 ? [job("budgets:check-alerts", { orgId }, { runAt: new Date(now + BUDGET_ALERT_DELAY_MS), key: `budget-alerts:${orgId}` })] : []),
    ...spent.map((agentId) => job("loops:check-spend-rate", { orgId, agentId }, { runAt: new Date(now + SPEND_RATE_DELAY_MS), key: `spend-rate:${agentId}` })),
    job("compliance:detect-anomalies", { orgId }, { runAt: new Date(now + ANOMALY_DELAY_MS), key: `anomalies:${orgId}` }),
  ]);
}

interface OutboxRow {
  org_id: string;
  settlements: FollowUp["settlements"];
  tool_calls: FollowUp["toolCalls"];
  spent_agent_ids: string[] | null;
}

/**
 * Takes the waiting follow-ups out of the outbox, oldest first, and does their work, a transaction
 * per DRAIN_BATCH rows; another process draining at the same time takes other rows. Returns how
 * many were done.
 */
export async function drainFollowUps(pool: pg.Pool = getPool()): Promise<number> {
  let done = 0;
  for (;;) {
    const taken = await retryingConflicts(() =>
      inTransaction(pool, async (client) => {
        const { rows } = await client.query<OutboxRow>(
          `DELETE FROM event_follow_ups f
            WHERE (f.org_id, f.id) IN (SELECT org_id, id FROM event_follow_ups ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING f.org_id::text, f.settlements, f.tool_calls, f.spent_agent_ids::text[]`,
          [DRAIN_BATCH],
        );
        const byOrg = new Map<string, FollowUp>();
        for (const row of rows) {
          const work = byOrg.get(row.org_id) ?? { settlements: [], toolCalls: [], spentAgentIds: [] };
          work.settlements.push(...row.settlements);
          work.toolCalls.push(...row.tool_calls);
          work.spentAgentIds.push(...(row.spent_agent_ids ?? []));
          byOrg.set(row.org_id, work);
        }
        for (const [orgId, work] of [...byOrg].sort(([a], [b]) => (a < b ? -1 : 1))) await followUp(client, orgId, work);
        return rows.length;
      }),
    );
    done += taken;
    if (taken < DRAIN_BATCH) return done;
  }
}
