// Budgets as the console sees them: every budget in reach with this period's spent and reserved,
// and what a scope has spent in a period (a limit may not be set below it). Enforcement is
// elsewhere: the decision commit (decisions.ts) holds estimates, reservations.ts settles and
// expires them, budget-alerts.ts raises threshold alerts.
import "server-only";
import type { AuthorizedOrg, AuthorizedOrgId } from "../auth/access";
import { reachTeamIds } from "../domain/access/permissions";
import { forecastAtPeriodEnd, isExhausted, remainingMicros, thresholdsReached, type BudgetMode, type BudgetScope } from "../domain/budget/arithmetic";
import { periodBounds, periodDays, type BudgetPeriod } from "../domain/budget/period";
import { sqlRows, type SqlClient } from "../db/sql";

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

interface ViewRow {
  id: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  mode: BudgetMode;
  limit_micros: string;
  reserved_micros: string | null;
  spent: string;
  period_start: Date | string;
  team_id: string | null;
  agent_id: string | null;
  thresholds: number[] | null;
  thresholds_alerted: number[] | null;
  exhausted_at: Date | null;
  team_name: string | null;
  agent_name: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/**
 * Every budget of the org (or only those of `teamIds` and their agents, for a team lead), with
 * this period's spent and reserved.
 */
export async function listBudgetViews(client: SqlClient, orgId: AuthorizedOrgId, now: Date, teamIds: readonly string[] | null, budgetId?: string): Promise<BudgetView[]> {
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
    return {
      id: row.id,
      scope: row.scope,
      teamId: row.team_id,
      agentId: row.agent_id,
      teamName: row.team_name,
      agentName: row.agent_name,
      period: row.period,
      mode: row.mode,
      limitMicros: BigInt(row.limit_micros),
      thresholds: [...(row.thresholds ?? [])].sort((a, b) => a - b),
      spentMicros: BigInt(row.spent),
      reservedMicros: BigInt(row.reserved_micros ?? "0"),
      periodStart: new Date(row.period_start),
      periodEnd: periodBounds(row.period, now).end,
      thresholdsAlerted: [...(row.thresholds_alerted ?? [])].sort((a, b) => a - b),
      exhaustedAt: row.exhausted_at === null ? null : new Date(row.exhausted_at),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  });
}

/** Every budget in the caller's reach (team leads: their teams' and their agents'), with this period's figures. */
export async function listBudgets(client: SqlClient, access: Pick<AuthorizedOrg, "orgId" | "reach">, now: Date = new Date()) {
  const views = await listBudgetViews(client, access.orgId, now, reachTeamIds(access.reach));
  return {
    now,
    budgets: views.map((view) => ({
      ...view,
      remainingMicros: remainingMicros(view),
      forecastMicros: forecastAtPeriodEnd(view.spentMicros, { start: view.periodStart, end: view.periodEnd }, now),
      thresholdsReached: thresholdsReached(view.thresholds, view.limitMicros, view.spentMicros),
      exhausted: isExhausted(view),
    })),
  };
}

/** What a scope has spent in the period containing `now` (for "a limit below spent" checks). */
export async function spentInPeriod(client: SqlClient, orgId: string, target: { scope: BudgetScope; teamId: string | null; agentId: string | null }, period: BudgetPeriod, now: Date): Promise<bigint> {
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
