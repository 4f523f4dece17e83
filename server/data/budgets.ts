// Budget enforcement on the database. The hard cap holds under concurrency because every
// reservation locks the (budget, period) usage rows it touches, in one order (sorted by budget
// id), reads spent from SpendDaily and reserved from the locked rows in the same transaction, and
// only then adds to reserved. Two decisions racing for the last dollars serialise on the row lock;
// the second sees the first's reservation. Money is bigint micro-dollars end to end.
import "server-only";
import type pg from "pg";
import { getPool, inTransaction } from "../db/pool";
import { notifyChange } from "../db/notify";
import type { Directives } from "../agent-api/schemas";
import {
  checkReservation,
  isExhausted,
  remainingMicros,
  thresholdsReached,
  tightestBudget,
  type BudgetMode,
  type BudgetScope,
  type BudgetState,
} from "../domain/budget/arithmetic";
import { periodBounds, periodDays, type BudgetPeriod } from "../domain/budget/period";
import { usdText } from "../domain/budget/validation";
import { microsToUsdString } from "../domain/cost/money";
import { raiseAlert, sqlRows, type AlertSeverity, type SqlClient } from "./alerts";

/** Reservations not settled by an event within this long are released by the sweeper. */
export const RESERVATION_TTL_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// SQL shared by the queries below. Parameters: $1 org, then the period parameters of `now`.

interface PeriodParams {
  dayStart: string;
  monthStart: string;
  dayFrom: string;
  dayUntil: string;
  monthFrom: string;
  monthUntil: string;
}

function periodParams(now: Date): PeriodParams {
  const day = periodBounds("daily", now);
  const month = periodBounds("monthly", now);
  const dayDays = periodDays(day);
  const monthDays = periodDays(month);
  return {
    dayStart: day.start.toISOString(),
    monthStart: month.start.toISOString(),
    dayFrom: dayDays.from,
    dayUntil: dayDays.until,
    monthFrom: monthDays.from,
    monthUntil: monthDays.until,
  };
}

/** SQL placeholders of the period parameters, starting at `$first`. */
function periodSql(first: number) {
  const p = (offset: number) => `$${first + offset}`;
  const periodStart = `(CASE b.period WHEN 'daily' THEN ${p(0)}::timestamptz ELSE ${p(1)}::timestamptz END)`;
  const from = `(CASE b.period WHEN 'daily' THEN ${p(2)}::date ELSE ${p(4)}::date END)`;
  const until = `(CASE b.period WHEN 'daily' THEN ${p(3)}::date ELSE ${p(5)}::date END)`;
  // One branch per scope so each sum uses its own index (org/day, org/team/day, agent/day).
  const spent = `(CASE b.scope
      WHEN 'org' THEN (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.org_id = b.org_id AND s.day >= ${from} AND s.day < ${until})
      WHEN 'team' THEN (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.org_id = b.org_id AND s.team_id = b.team_id AND s.day >= ${from} AND s.day < ${until})
      ELSE (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.agent_id = b.agent_id AND s.org_id = b.org_id AND s.day >= ${from} AND s.day < ${until})
    END)::bigint`;
  return { periodStart, spent };
}

const periodValues = (p: PeriodParams) => [p.dayStart, p.monthStart, p.dayFrom, p.dayUntil, p.monthFrom, p.monthUntil];

/** Budgets of org $1 that govern agent $3 of team $2. */
const APPLIES = `b.org_id = $1::uuid AND (b.scope = 'org' OR (b.scope = 'team' AND b.team_id = $2::uuid) OR (b.scope = 'agent' AND b.agent_id = $3::uuid))`;

interface StateRow {
  id: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  mode: BudgetMode;
  limit_micros: string;
  reserved_micros: string | null;
  spent: string;
  period_start: Date | string;
}

function toState(row: StateRow): BudgetState & { periodStart: Date } {
  return {
    budgetId: row.id,
    scope: row.scope,
    period: row.period,
    mode: row.mode,
    limitMicros: BigInt(row.limit_micros),
    spentMicros: BigInt(row.spent),
    reservedMicros: BigInt(row.reserved_micros ?? "0"),
    periodStart: new Date(row.period_start),
  };
}

/** PostgreSQL aborts one side of a deadlock or serialisation conflict; the whole transaction is safe to run again. */
async function retrying<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || (code !== "40P01" && code !== "40001")) throw error;
    }
  }
}

const SCOPE_TEXT: Record<BudgetScope, string> = { org: "the organisation's", team: "the team's", agent: "this agent's" };

// ---------------------------------------------------------------------------------------------
// Reservation, settlement, expiry.

export type ReserveResult =
  | { ok: true; reservationId: string | null }
  | { ok: false; budgetId: string; scope: BudgetScope; remainingMicros: bigint; message: string };

/**
 * Holds `amountMicros` against every budget that applies to the agent (its own, its team's, the
 * org's; daily and monthly), in one transaction. Hard budgets refuse when spent + reserved +
 * amount would pass the limit; soft budgets hold but never refuse.
 */
export async function reserveBudgets(input: {
  orgId: string;
  agent: { id: string; teamId: string | null };
  decisionId: string;
  amountMicros: bigint;
  now: Date;
}): Promise<ReserveResult> {
  if (input.amountMicros < 0n) throw new RangeError("A reservation cannot be negative");
  const period = periodParams(input.now);
  const params = [input.orgId, input.agent.teamId, input.agent.id, ...periodValues(period)];
  const sql = periodSql(4);

  const pool = getPool();
  // The period's usage rows come into being on first use (a budget created mid-period too), in a
  // statement of their own: an existing row is left alone without waiting for its lock.
  await pool.query(
    `INSERT INTO budget_usage (budget_id, period_start, org_id)
     SELECT b.id, ${sql.periodStart}, b.org_id FROM budgets b WHERE ${APPLIES} ORDER BY b.id
     ON CONFLICT DO NOTHING`,
    params.slice(0, 5), // only the period starts ($4, $5) are used here
  );

  // One statement: lock the usage rows (in id order), check every hard budget, and hold the
  // amount on all of them or none. Run on its own, the row locks last only as long as the
  // statement, not across round trips to a busy app process: that is what lets concurrent
  // decisions against one org budget keep up. The check is wouldExceed (server/domain/budget)
  // written in SQL; the refusal below is explained from the same locked rows by checkReservation.
  const amount = input.amountMicros.toString();
  const expiresAt = new Date(input.now.getTime() + RESERVATION_TTL_MS).toISOString();
  const { rows } = await retrying(() =>
    pool.query<{ states: StateRow[] | null; reservation_id: string | null }>(
      `WITH state AS MATERIALIZED (
         SELECT b.id, b.scope, b.period, b.mode, b.limit_micros::text, u.reserved_micros::text, u.period_start, ${sql.spent}::text AS spent
         FROM budgets b JOIN budget_usage u ON u.budget_id = b.id AND u.period_start = ${sql.periodStart}
         WHERE ${APPLIES}
         ORDER BY b.id
         FOR UPDATE OF u
       ),
       verdict AS (
         SELECT COALESCE(bool_and(mode <> 'hard' OR spent::bigint + reserved_micros::bigint + $10::bigint <= limit_micros::bigint), true) AS ok,
                count(*) AS budgets
         FROM state
       ),
       held AS (
         UPDATE budget_usage u SET reserved_micros = u.reserved_micros + $10::bigint
         FROM state s, verdict v
         WHERE v.ok AND $10::bigint > 0 AND u.budget_id = s.id AND u.period_start = s.period_start
         RETURNING u.budget_id
       ),
       reservation AS (
         INSERT INTO budget_reservations (org_id, agent_id, decision_id, amount_micros, holds, expires_at)
         SELECT $1::uuid, $3::uuid, $11::uuid, $10::bigint,
                (SELECT jsonb_agg(jsonb_build_object('budgetId', s.id, 'periodStart', s.period_start) ORDER BY s.id) FROM state s),
                $12::timestamptz
         FROM verdict v WHERE v.ok AND v.budgets > 0 AND $10::bigint > 0
         RETURNING id
       )
       SELECT (SELECT json_agg(state ORDER BY state.id) FROM state) AS states,
              (SELECT id FROM reservation) AS reservation_id,
              (SELECT count(*) FROM held) AS held`,
      [...params, amount, input.decisionId, expiresAt],
    ),
  );
  const answer = rows[0];
  const states = (answer?.states ?? []).map(toState);
  const check = checkReservation(states, input.amountMicros);
  if (check.ok) return { ok: true, reservationId: answer?.reservation_id ?? null };
  const refused = check.refusedBy;
  const remaining = remainingMicros(refused);
  return {
    ok: false,
    budgetId: refused.budgetId,
    scope: refused.scope,
    remainingMicros: remaining,
    message: `Budget exhausted: ${SCOPE_TEXT[refused.scope]} ${refused.period} hard budget of ${usdText(refused.limitMicros)} has ${usdText(remaining)} left, and this action is estimated at ${usdText(input.amountMicros)}.`,
  };
}

interface HeldRow {
  id: string;
  amount_micros: string;
  holds: { budgetId: string; periodStart: string }[];
}

/** Gives back what `reservations` hold on their usage rows, locking the rows in (budget, period) order. */
async function releaseHolds(client: pg.PoolClient, reservations: HeldRow[]): Promise<void> {
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
 * Settles the reservations of decisions whose events reported their real cost: the estimate is
 * released (the real cost is already in SpendDaily, stored with the event). Decisions without a
 * held reservation (none, already settled, expired) are ignored.
 */
export async function settleReservations(orgId: string, settlements: { decisionId: string; costMicros: bigint }[]): Promise<void> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const byDecision = new Map<string, bigint>();
  for (const settlement of settlements) {
    if (!uuid.test(settlement.decisionId)) continue;
    const id = settlement.decisionId.toLowerCase();
    byDecision.set(id, (byDecision.get(id) ?? 0n) + settlement.costMicros);
  }
  if (byDecision.size === 0) return;
  const decisions = [...byDecision.keys()].sort();

  await retrying(() =>
    inTransaction(getPool(), async (client) => {
      const { rows } = await client.query<HeldRow & { decision_id: string }>(
        `SELECT id, decision_id::text, amount_micros::text, holds FROM budget_reservations
         WHERE org_id = $1::uuid AND decision_id = ANY($2::uuid[]) AND status = 'held'
         ORDER BY decision_id FOR UPDATE`,
        [orgId, decisions],
      );
      if (rows.length === 0) return;
      await client.query(
        `UPDATE budget_reservations r SET status = 'settled', settled_at = now(), settled_micros = s.cost
         FROM unnest($1::uuid[], $2::bigint[]) AS s(id, cost) WHERE r.id = s.id`,
        [rows.map((row) => row.id), rows.map((row) => (byDecision.get(row.decision_id) ?? 0n).toString())],
      );
      await releaseHolds(client, rows);
    }),
  );
}

/**
 * Releases reservations whose time ran out without an event settling them. Safe with several
 * processes sweeping at once: each takes rows the others have not locked (SKIP LOCKED).
 * Returns how many were released.
 */
export async function expireReservations(now: Date = new Date(), batchSize = 500): Promise<number> {
  let released = 0;
  for (;;) {
    const count = await retrying(() =>
      inTransaction(getPool(), async (client) => {
        const { rows } = await client.query<HeldRow>(
          `SELECT id, amount_micros::text, holds FROM budget_reservations
           WHERE status = 'held' AND expires_at <= $1::timestamptz
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [now.toISOString(), batchSize],
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

const globalForSweeper = globalThis as unknown as { agentryBudgetSweeper?: ReturnType<typeof setInterval> };

/**
 * Starts this process's sweeper of expired reservations (once per process; later calls do
 * nothing). Every process may run one: they share the work through SKIP LOCKED.
 */
export function startBudgetSweeper(intervalMs = 30_000): () => void {
  if (!globalForSweeper.agentryBudgetSweeper) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      expireReservations(new Date())
        .catch((error: unknown) => console.error("Budget reservation sweep failed:", error instanceof Error ? error.message : error))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref?.();
    globalForSweeper.agentryBudgetSweeper = timer;
  }
  return () => {
    if (globalForSweeper.agentryBudgetSweeper) clearInterval(globalForSweeper.agentryBudgetSweeper);
    globalForSweeper.agentryBudgetSweeper = undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// SpendDaily (called by the ingest pipeline inside the events' transaction).

export async function upsertSpendDaily(
  client: pg.PoolClient,
  deltas: readonly { orgId: string; agentId: string; teamId: string | null; day: string; costMicros: bigint }[],
): Promise<void> {
  if (deltas.length === 0) return;
  await client.query(
    `INSERT INTO spend_daily AS s (org_id, agent_id, team_id, day, cost_micros)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::bigint[])
     ON CONFLICT (agent_id, day) DO UPDATE SET team_id = EXCLUDED.team_id, cost_micros = s.cost_micros + EXCLUDED.cost_micros`,
    [
      deltas.map((delta) => delta.orgId),
      deltas.map((delta) => delta.agentId),
      deltas.map((delta) => delta.teamId),
      deltas.map((delta) => delta.day),
      deltas.map((delta) => delta.costMicros.toString()),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// What an agent is told (directives).

/** The budgets that apply to one agent, with this period's spent and reserved: one query. */
export async function agentBudgetStates(orgId: string, agent: { id: string; teamId: string | null }, now: Date): Promise<(BudgetState & { periodStart: Date })[]> {
  const params = [orgId, agent.teamId, agent.id, ...periodValues(periodParams(now))];
  const sql = periodSql(4);
  const { rows } = await getPool().query<StateRow>(
    `SELECT b.id, b.scope, b.period, b.mode, b.limit_micros::text, COALESCE(u.reserved_micros, 0)::text AS reserved_micros,
            ${sql.periodStart} AS period_start, ${sql.spent}::text AS spent
     FROM budgets b LEFT JOIN budget_usage u ON u.budget_id = b.id AND u.period_start = ${sql.periodStart}
     WHERE ${APPLIES}`,
    params,
  );
  return rows.map(toState);
}

export interface BudgetDirective {
  /** A hard budget is spent: the agent must stop until the period rolls over or the limit is raised. */
  halt: boolean;
  budget: Directives["budget"];
}

const DIRECTIVE_TTL_MS = 1_000;
const directiveCache = new Map<string, { at: number; value: Promise<BudgetDirective> }>();

/** The tightest applicable budget and whether a spent hard budget halts the agent; cached for a second per agent. */
export function budgetDirective(
  orgId: string,
  agent: { id: string; teamId: string | null },
  options: { now?: Date; fresh?: boolean } = {},
): Promise<BudgetDirective> {
  const key = `${orgId}\u0000${agent.id}\u0000${agent.teamId ?? ""}`;
  const at = Date.now();
  const cached = directiveCache.get(key);
  if (!options.fresh && !options.now && cached && at - cached.at < DIRECTIVE_TTL_MS) return cached.value;
  const value = computeDirective(orgId, agent, options.now ?? new Date());
  if (!options.now) {
    directiveCache.set(key, { at, value });
    value.catch(() => directiveCache.delete(key));
    // Keep the map small: entries older than the TTL are worthless.
    if (directiveCache.size > 10_000) for (const [k, entry] of directiveCache) if (at - entry.at >= DIRECTIVE_TTL_MS) directiveCache.delete(k);
  }
  return value;
}

async function computeDirective(orgId: string, agent: { id: string; teamId: string | null }, now: Date): Promise<BudgetDirective> {
  const states = await agentBudgetStates(orgId, agent, now);
  const exhausted = states.filter(isExhausted);
  const chosen = tightestBudget(exhausted.length > 0 ? exhausted : states);
  if (!chosen) return { halt: false, budget: null };
  return {
    halt: exhausted.length > 0,
    budget: {
      limitUsd: microsToUsdString(chosen.limitMicros),
      spentUsd: microsToUsdString(chosen.spentMicros),
      reservedUsd: microsToUsdString(chosen.reservedMicros),
      remainingUsd: microsToUsdString(remainingMicros(chosen)),
      periodEnd: periodBounds(chosen.period, now).end.toISOString(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Threshold and exhaustion alerts, raised once per budget and period.

interface AlertRow extends StateRow {
  team_id: string | null;
  agent_id: string | null;
  thresholds: number[] | null;
  thresholds_alerted: number[] | null;
  exhausted_at: Date | null;
  team_name: string | null;
  agent_name: string | null;
}

function budgetLabel(row: Pick<AlertRow, "scope" | "period" | "mode" | "team_name" | "agent_name">): string {
  const who = row.scope === "org" ? "Organisation" : row.scope === "team" ? `Team ${row.team_name ?? "(deleted)"}` : `Agent ${row.agent_name ?? "(deleted)"}`;
  return `${who} ${row.period} ${row.mode} budget`;
}

function severityOf(percent: number): AlertSeverity {
  if (percent >= 100) return "critical";
  if (percent >= 80) return "warning";
  return "info";
}

/**
 * Raises the alerts due for the budgets that govern `agentIds`: thresholds newly reached by
 * this period's spend, and hard budgets newly exhausted (which also tells every process to push
 * new directives). Each fires once per budget and period, whichever process sees it first.
 */
export async function checkBudgetAlerts(orgId: string, agentIds: readonly string[], now: Date = new Date()): Promise<number> {
  if (agentIds.length === 0) return 0;
  const sql = periodSql(3);
  const params = [orgId, [...agentIds], ...periodValues(periodParams(now))];
  const candidates = await getPool().query<AlertRow>(
    `WITH a AS (SELECT id, team_id FROM agents WHERE org_id = $1::uuid AND id = ANY($2::uuid[]))
     SELECT b.id, b.scope, b.period, b.mode, b.limit_micros::text, b.thresholds, b.team_id, b.agent_id,
            ${sql.periodStart} AS period_start, ${sql.spent}::text AS spent,
            COALESCE(u.reserved_micros, 0)::text AS reserved_micros, COALESCE(u.thresholds_alerted, '{}') AS thresholds_alerted, u.exhausted_at,
            (SELECT name FROM teams t WHERE t.id = b.team_id) AS team_name, (SELECT name FROM agents x WHERE x.id = b.agent_id) AS agent_name
     FROM budgets b LEFT JOIN budget_usage u ON u.budget_id = b.id AND u.period_start = ${sql.periodStart}
     WHERE b.org_id = $1::uuid AND (b.scope = 'org'
       OR (b.scope = 'team' AND b.team_id IN (SELECT team_id FROM a))
       OR (b.scope = 'agent' AND b.agent_id IN (SELECT id FROM a)))
     ORDER BY b.id`,
    params,
  );
  const due = candidates.rows.filter((row) => {
    const state = toState(row);
    const alerted = new Set(row.thresholds_alerted ?? []);
    const fresh = thresholdsReached(row.thresholds ?? [], state.limitMicros, state.spentMicros).some((percent) => !alerted.has(percent));
    return fresh || (isExhausted(state) && row.exhausted_at === null);
  });
  if (due.length === 0) return 0;

  return retrying(() =>
    inTransaction(getPool(), async (client) => {
      let raised = 0;
      let exhaustedAny = false;
      for (const row of due) {
        const state = toState(row);
        const periodStart = state.periodStart.toISOString();
        await client.query("INSERT INTO budget_usage (budget_id, period_start, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [row.id, periodStart, orgId]);
        // Under the row lock, so two processes never alert the same threshold twice.
        const { rows: locked } = await client.query<{ thresholds_alerted: number[] | null; exhausted_at: Date | null }>(
          "SELECT thresholds_alerted, exhausted_at FROM budget_usage WHERE budget_id = $1 AND period_start = $2 FOR UPDATE",
          [row.id, periodStart],
        );
        const current = locked[0];
        if (!current) continue;
        const alerted = new Set(current.thresholds_alerted ?? []);
        const crossed = thresholdsReached(row.thresholds ?? [], state.limitMicros, state.spentMicros).filter((percent) => !alerted.has(percent));
        const exhaustedNow = isExhausted(state) && current.exhausted_at === null;
        if (crossed.length === 0 && !exhaustedNow) continue;
        await client.query(
          `UPDATE budget_usage SET thresholds_alerted = (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(COALESCE(thresholds_alerted, '{}') || $3::int[]) AS x),
                                   exhausted_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE exhausted_at END
           WHERE budget_id = $1 AND period_start = $2`,
          [row.id, periodStart, crossed, exhaustedNow, now.toISOString()],
        );
        const label = budgetLabel(row);
        const details = {
          budgetId: row.id,
          scope: row.scope,
          period: row.period,
          mode: row.mode,
          periodStart,
          periodEnd: periodBounds(state.period, now).end.toISOString(),
          limitUsd: microsToUsdString(state.limitMicros),
          spentUsd: microsToUsdString(state.spentMicros),
          thresholdsCrossed: crossed,
        };
        const target = { agentId: row.agent_id, teamId: row.team_id };
        if (exhaustedNow) {
          exhaustedAny = true;
          await raiseAlert(client, {
            orgId,
            kind: "budget_exhausted",
            severity: "critical",
            title: `${label} exhausted: ${usdText(state.spentMicros)} spent of ${usdText(state.limitMicros)}; its agents are halted until the period ends or the limit is raised`,
            details,
            ...target,
          });
          raised += 1;
        } else {
          const top = Math.max(...crossed);
          await raiseAlert(client, {
            orgId,
            kind: "budget_threshold",
            severity: row.mode === "hard" ? severityOf(top) : top >= 100 ? "warning" : "info",
            title: `${label} passed ${top} %: ${usdText(state.spentMicros)} spent of ${usdText(state.limitMicros)}`,
            details,
            ...target,
          });
          raised += 1;
        }
      }
      if (exhaustedAny) await notifyChange(client, { orgId, kind: "budget" });
      return raised;
    }),
  );
}

const globalForChecks = globalThis as unknown as {
  agentryBudgetChecks?: { pending: Map<string, Set<string>>; running: Map<string, Promise<void>> };
};

/**
 * Queues an alert check for agents that just spent. Checks for one org run one at a time and
 * coalesce: a burst of batches costs one check per round, not one per batch.
 */
export function queueBudgetAlertCheck(orgId: string, agentIds: readonly string[]): Promise<void> {
  globalForChecks.agentryBudgetChecks ??= { pending: new Map(), running: new Map() };
  const { pending, running } = globalForChecks.agentryBudgetChecks;
  const set = pending.get(orgId) ?? new Set<string>();
  for (const id of agentIds) set.add(id);
  pending.set(orgId, set);
  const active = running.get(orgId);
  if (active) return active;
  const drain = (async () => {
    try {
      for (;;) {
        const ids = pending.get(orgId);
        if (!ids || ids.size === 0) break;
        pending.delete(orgId);
        await checkBudgetAlerts(orgId, [...ids]);
      }
    } catch (error) {
      console.error("Budget alert check failed:", error instanceof Error ? error.message : error);
    } finally {
      running.delete(orgId);
    }
  })();
  running.set(orgId, drain);
  return drain;
}

// ---------------------------------------------------------------------------------------------
// The console's view of budgets (through Prisma or pg alike).

export interface BudgetView {
  id: string;
  scope: BudgetScope;
  teamId: string | null;
  agentId: string | null;
  teamName: string | null;
  agentName: string | null;
  period: BudgetPeriod;
  mode: BudgetMode;
  limitMicros: bigint;
  thresholds: number[];
  spentMicros: bigint;
  reservedMicros: bigint;
  periodStart: Date;
  periodEnd: Date;
  thresholdsAlerted: number[];
  exhaustedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ViewRow extends AlertRow {
  created_at: Date | string;
  updated_at: Date | string;
}

/**
 * Every budget of the org (or only those of `teamIds` and their agents, for a team lead), with
 * this period's spent and reserved.
 */
export async function listBudgetViews(client: SqlClient, orgId: string, now: Date, teamIds: readonly string[] | null, budgetId?: string): Promise<BudgetView[]> {
  const sql = periodSql(4);
  const rows = await sqlRows<ViewRow>(
    client,
    `SELECT v.*, (SELECT name FROM teams t WHERE t.id = v.team_id::uuid) AS team_name FROM (
       SELECT b.id::text, b.scope::text, b.period::text, b.mode::text, b.limit_micros::text, b.thresholds,
              -- An agent's budget belongs to the agent's team of today (agents move between teams).
              (CASE WHEN b.scope = 'agent' THEN ag.team_id ELSE b.team_id END)::text AS team_id, b.agent_id::text, ag.name AS agent_name,
              b.created_at, b.updated_at, ${sql.periodStart} AS period_start, ${sql.spent}::text AS spent,
              COALESCE(u.reserved_micros, 0)::text AS reserved_micros, COALESCE(u.thresholds_alerted, '{}') AS thresholds_alerted, u.exhausted_at
       FROM budgets b
       LEFT JOIN agents ag ON ag.id = b.agent_id
       LEFT JOIN budget_usage u ON u.budget_id = b.id AND u.period_start = ${sql.periodStart}
       WHERE b.org_id = $1::uuid AND ($3::uuid IS NULL OR b.id = $3::uuid)
     ) v
     WHERE $2::uuid[] IS NULL OR v.team_id::uuid = ANY($2::uuid[])
     ORDER BY CASE v.scope WHEN 'org' THEN 0 WHEN 'team' THEN 1 ELSE 2 END, team_name NULLS FIRST, v.agent_name NULLS FIRST, v.period`,
    [orgId, teamIds === null ? null : [...teamIds], budgetId ?? null, ...periodValues(periodParams(now))],
  );
  return rows.map((row) => {
    const state = toState(row);
    return {
      id: row.id,
      scope: row.scope,
      teamId: row.team_id,
      agentId: row.agent_id,
      teamName: row.team_name,
      agentName: row.agent_name,
      period: row.period,
      mode: row.mode,
      limitMicros: state.limitMicros,
      thresholds: [...(row.thresholds ?? [])].sort((a, b) => a - b),
      spentMicros: state.spentMicros,
      reservedMicros: state.reservedMicros,
      periodStart: state.periodStart,
      periodEnd: periodBounds(row.period, now).end,
      thresholdsAlerted: [...(row.thresholds_alerted ?? [])].sort((a, b) => a - b),
      exhaustedAt: row.exhausted_at === null ? null : new Date(row.exhausted_at),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  });
}

/** What a scope has spent in the period containing `now` (for "a limit below spent" checks). */
export async function spentInPeriod(
  client: SqlClient,
  orgId: string,
  target: { scope: BudgetScope; teamId: string | null; agentId: string | null },
  period: BudgetPeriod,
  now: Date,
): Promise<bigint> {
  const days = periodDays(periodBounds(period, now));
  const rows = await sqlRows<{ spent: string }>(
    client,
    `SELECT COALESCE(SUM(cost_micros), 0)::text AS spent FROM spend_daily
     WHERE org_id = $1::uuid AND day >= $2::date AND day < $3::date
       AND ($4::text = 'org' OR ($4::text = 'team' AND team_id = $5::uuid) OR ($4::text = 'agent' AND agent_id = $6::uuid))`,
    [orgId, days.from, days.until, target.scope, target.teamId, target.agentId],
  );
  return BigInt(rows[0]?.spent ?? "0");
}
