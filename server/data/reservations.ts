// Budget reservations after the decision that made them: settled when the event reporting the real
// cost arrives (the estimate is released; the real cost is already in SpendDaily, stored with the
// event), or released when they expire unsettled. Both lock the usage rows in (budget, period)
// order, the order every holder of those rows takes them in.
import "server-only";
import type pg from "pg";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";

interface HeldRow {
  id: string;
  amount_micros: string;
  holds: { budgetId: string; periodStart: string }[];
}

/** Gives back what `reservations` hold on their usage rows, locking the rows in (budget, period) order. */
async function releaseHolds(client: pg.PoolClient, reservations: readonly HeldRow[]): Promise<void> {
  const totals = new Map<string, { budgetId: string; periodStart: string; amount: bigint }>();
  for (const reservation of reservations) {
    const amount = BigInt(reservation.amount_micros);
    for (const hold of reservation.holds) {
      const periodStart = new Date(hold.periodStart).toISOString();
      const key = `${hold.budgetId}\u0000${periodStart}`;
      const total = totals.get(key);
      if (total) total.amount += amount;
      else totals.set(key, { budgetId: hold.budgetId, periodStart, amount });
    }
  }
  if (totals.size === 0) return;
  const list = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
  const ids = list.map((total) => total.budgetId);
  const starts = list.map((total) => total.periodStart);
  await client.query(
    `SELECT 1 FROM budget_usage u JOIN unnest($1::uuid[], $2::timestamptz[]) AS h(budget_id, period_start)
       ON u.budget_id = h.budget_id AND u.period_start = h.period_start
     ORDER BY u.budget_id, u.period_start FOR UPDATE OF u`,
    [ids, starts],
  );
  // Never below zero: a budget deleted and re-created under the same id cannot go negative.
  await client.query(
    `UPDATE budget_usage u SET reserved_micros = GREATEST(0, u.reserved_micros - h.amount)
     FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[]) AS h(budget_id, period_start, amount)
     WHERE u.budget_id = h.budget_id AND u.period_start = h.period_start`,
    [ids, starts, list.map((total) => total.amount.toString())],
  );
}

/**
 * Settles the held reservations of these decisions inside the caller's transaction. Decisions
 * without a held reservation (none, already settled, expired) are ignored, so running it twice
 * changes nothing.
 */
export async function settleReservations(client: pg.PoolClient, orgId: string, settlements: readonly { decisionId: string; costMicros: bigint }[]): Promise<number> {
  const byDecision = new Map<string, bigint>();
  for (const settlement of settlements) {
    const id = settlement.decisionId.toLowerCase();
    byDecision.set(id, (byDecision.get(id) ?? 0n) + settlement.costMicros);
  }
  if (byDecision.size === 0) return 0;
  const { rows } = await client.query<HeldRow & { decision_id: string }>(
    `SELECT id, decision_id::text, amount_micros::text, holds FROM budget_reservations
     WHERE org_id = $1::uuid AND decision_id = ANY($2::uuid[]) AND status = 'held'
     ORDER BY decision_id FOR UPDATE`,
    [orgId, [...byDecision.keys()].sort()],
  );
  if (rows.length === 0) return 0;
  await client.query(
    `UPDATE budget_reservations r SET status = 'settled', settled_at = now(), settled_micros = s.cost
     FROM unnest($1::uuid[], $2::bigint[]) AS s(id, cost) WHERE r.id = s.id`,
    [rows.map((row) => row.id), rows.map((row) => (byDecision.get(row.decision_id) ?? 0n).toString())],
  );
  await releaseHolds(client, rows);
  return rows.length;
}

/**
 * Releases reservations (of one org, or of all) whose time ran out without an event settling them.
 * Safe with several processes at once: each takes rows the others have not locked (SKIP LOCKED).
 * Returns how many were released.
 */
export async function expireReservations(options: { orgId?: string; now?: Date; batchSize?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  let released = 0;
  for (;;) {
    const count = await retryingConflicts(() =>
      inTransaction(getPool(), async (client) => {
        const { rows } = await client.query<HeldRow>(
          `SELECT id, amount_micros::text, holds FROM budget_reservations
           WHERE status = 'held' AND expires_at <= $1::timestamptz AND ($3::uuid IS NULL OR org_id = $3::uuid)
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now.toISOString(), batchSize, options.orgId ?? null],
        );
        if (rows.length === 0) return 0;
        await client.query("UPDATE budget_reservations SET status = 'expired' WHERE id = ANY($1::uuid[])", [rows.map((row) => row.id)]);
        await releaseHolds(client, rows);
        return rows.length;
      }),
    );
    released += count;
    if (count < batchSize) return released;
  }
}
