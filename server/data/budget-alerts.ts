// Threshold and exhaustion alerts, raised once per budget and period, whichever process sees them
// first (the budgets.check-alerts job, coalesced per org, runs this after events report spend). A
// hard budget newly exhausted also tells every process to push new directives.
import "server-only";
import type pg from "pg";
import { notifyChange } from "../db/notify";
import { getPool, inTransaction, retryingConflicts } from "../db/pool";
import { isExhausted, thresholdsReached, type BudgetState } from "../domain/budget/arithmetic";
import { periodBounds } from "../domain/budget/period";
import { usdText } from "../domain/budget/validation";
import { microsToUsdString } from "../domain/cost/money";
import type { BudgetDefinition } from "../domain/decide/types";
import type { AlertSeverity } from "../domain/alerts/kinds";
import { raiseAlert } from "./alerts";
import { budgetStates, readBudgetCounters, type UsageRow } from "./budget-counters";
import { orgFacts } from "./facts";

function severityOf(percent: number): AlertSeverity {
  if (percent >= 100) return "critical";
  if (percent >= 80) return "warning";
  return "info";
}

function label(budget: BudgetDefinition, names: { team: string | null; agent: string | null }): string {
  const who = budget.scope === "org" ? "Organisation" : budget.scope === "team" ? `Team ${names.team ?? "(deleted)"}` : `Agent ${names.agent ?? "(deleted)"}`;
  return `${who} ${budget.period} ${budget.mode} budget`;
}

/** What is due for one budget now: thresholds newly reached and whether it is newly exhausted. */
function dueFor(budget: BudgetDefinition, state: BudgetState, alerted: readonly number[], exhaustedAt: Date | null): { crossed: number[]; exhaustedNow: boolean } {
  const already = new Set(alerted);
  return {
    crossed: thresholdsReached(budget.thresholds, state.limitMicros, state.spentMicros).filter((percent) => !already.has(percent)),
    exhaustedNow: isExhausted(state) && exhaustedAt === null,
  };
}

interface AlertStateRow {
  budget_id: string;
  period_start: Date;
  thresholds_alerted: number[] | null;
  exhausted_at: Date | null;
  team_name: string | null;
  agent_name: string | null;
}

/** Raises the org's due budget alerts; returns how many. */
export async function checkBudgetAlerts(orgId: string, now: Date = new Date()): Promise<number> {
  const { budgets } = await orgFacts(orgId);
  if (budgets.length === 0) return 0;
  const rows: UsageRow[] = budgets.map((budget) => ({ budget, periodStart: periodBounds(budget.period, now).start.toISOString() }));
  const states = budgetStates(rows, await readBudgetCounters(getPool(), orgId, rows));
  const alertStateSql = (locked: boolean) => `SELECT r.budget_id::text, r.period_start, u.thresholds_alerted, u.exhausted_at,
            (SELECT t.name FROM budgets b JOIN teams t ON t.id = b.team_id WHERE b.id = r.budget_id) AS team_name,
            (SELECT a.name FROM budgets b JOIN agents a ON a.id = b.agent_id WHERE b.id = r.budget_id) AS agent_name
       FROM unnest($1::uuid[], $2::timestamptz[]) AS r(budget_id, period_start)
       ${locked ? "JOIN" : "LEFT JOIN"} budget_usage u ON u.budget_id = r.budget_id AND u.period_start = r.period_start
       ${locked ? "ORDER BY r.budget_id, r.period_start FOR UPDATE OF u" : ""}`;
  const keyOf = (budgetId: string, periodStart: Date | string) => `${budgetId}|${new Date(periodStart).toISOString()}`;
  const readAlertStates = async (client: pg.Pool | pg.PoolClient, locked: boolean) => {
    const { rows: found } = await client.query<AlertStateRow>(alertStateSql(locked), [rows.map((row) => row.budget.id), rows.map((row) => row.periodStart)]);
    return new Map(found.map((row) => [keyOf(row.budget_id, row.period_start), row]));
  };

  const before = await readAlertStates(getPool(), false);
  const anyDue = rows.some((row, index) => {
    const alert = before.get(keyOf(row.budget.id, row.periodStart));
    const due = dueFor(row.budget, states[index] as BudgetState, alert?.thresholds_alerted ?? [], alert?.exhausted_at ?? null);
    return due.crossed.length > 0 || due.exhaustedNow;
  });
  if (!anyDue) return 0;

  return retryingConflicts(() =>
    inTransaction(getPool(), async (client) => {
      await client.query("INSERT INTO budget_usage (budget_id, period_start, org_id) SELECT r.b, r.p, $3 FROM unnest($1::uuid[], $2::timestamptz[]) AS r(b, p) ORDER BY 1, 2 ON CONFLICT DO NOTHING", [
        rows.map((row) => row.budget.id),
        rows.map((row) => row.periodStart),
        orgId,
      ]);
      // Under the rows' locks, so two processes never alert the same threshold twice.
      const locked = await readAlertStates(client, true);
      let raised = 0;
      let exhaustedAny = false;
      for (const [index, row] of rows.entries()) {
        const state = states[index] as BudgetState;
        const current = locked.get(keyOf(row.budget.id, row.periodStart));
        if (!current) continue;
        const { crossed, exhaustedNow } = dueFor(row.budget, state, current.thresholds_alerted ?? [], current.exhausted_at);
        if (crossed.length === 0 && !exhaustedNow) continue;
        await client.query(
          `UPDATE budget_usage SET thresholds_alerted = (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(COALESCE(thresholds_alerted, '{}') || $3::int[]) AS x),
                                   exhausted_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE exhausted_at END
           WHERE budget_id = $1 AND period_start = $2`,
          [row.budget.id, row.periodStart, crossed, exhaustedNow, now.toISOString()],
        );
        const name = label(row.budget, { team: current.team_name, agent: current.agent_name });
        const details = {
          budgetId: row.budget.id,
          scope: row.budget.scope,
          period: row.budget.period,
          mode: row.budget.mode,
          periodStart: row.periodStart,
          periodEnd: periodBounds(row.budget.period, now).end.toISOString(),
          limitUsd: microsToUsdString(state.limitMicros),
          spentUsd: microsToUsdString(state.spentMicros),
          thresholdsCrossed: crossed,
        };
        const target = { agentId: row.budget.agentId, teamId: row.budget.teamId };
        if (exhaustedNow) {
          exhaustedAny = true;
          await raiseAlert(client, {
            orgId,
            kind: "budget_exhausted",
            severity: "critical",
            title: `${name} exhausted: ${usdText(state.spentMicros)} spent of ${usdText(state.limitMicros)}; its agents are halted until the period ends or the limit is raised`,
            details,
            ...target,
          });
        } else {
          const top = Math.max(...crossed);
          await raiseAlert(client, {
            orgId,
            kind: "budget_threshold",
            severity: row.budget.mode === "hard" ? severityOf(top) : top >= 100 ? "warning" : "info",
            title: `${name} passed ${top} %: ${usdText(state.spentMicros)} spent of ${usdText(state.limitMicros)}`,
            details,
            ...target,
          });
        }
        raised += 1;
      }
      if (exhaustedAny) await notifyChange(client, { orgId, kind: "budget" });
      return raised;
    }),
  );
}
