// Budgets' live counters: what each (budget, period) usage row holds in reservations, and what the
// budget's scope spent in the period (SpendDaily, written with the events). The decision commit
// reads them under its row locks; directives read them for an agent, kept for a second.
import "server-only";
import type pg from "pg";
import { changeCache } from "../db/change-cache";
import { getPool } from "../db/pool";
import { applicableBudgets, type BudgetState } from "../domain/budget/arithmetic";
import { periodBounds, periodDays } from "../domain/budget/period";
import { budgetKey, type AgentProfile, type BudgetDefinition, type OrgFacts } from "../domain/decide/types";

export interface UsageRow {
  budget: BudgetDefinition;
  /** ISO start of the period the row counts. */
  periodStart: string;
}

export type CounterMap = Map<string, { spentMicros: bigint; reservedMicros: bigint }>;

/**
 * Spent and reserved for each usage row. One statement; the spent sums use one index each
 * (org/day, org/team/day, agent/day). Rows that do not exist yet hold nothing.
 */
export async function readBudgetCounters(client: pg.Pool | pg.PoolClient, orgId: string, rows: readonly UsageRow[]): Promise<CounterMap> {
  const counters: CounterMap = new Map();
  if (rows.length === 0) return counters;
  const days = rows.map((row) => periodDays(periodBounds(row.budget.period, new Date(row.periodStart))));
  const { rows: found } = await client.query<{ budget_id: string; period_start: Date; reserved: string; spent: string }>({
    name: "agentry_budget_counters",
    text: `SELECT r.budget_id::text, r.period_start,
                COALESCE((SELECT u.reserved_micros FROM budget_usage u WHERE u.budget_id = r.budget_id AND u.period_start = r.period_start), 0)::text AS reserved,
                (CASE r.scope
                   WHEN 'org' THEN (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.org_id = $1 AND s.day >= r.from_day AND s.day < r.until_day)
                   WHEN 'team' THEN (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.org_id = $1 AND s.team_id = r.team_id AND s.day >= r.from_day AND s.day < r.until_day)
                   ELSE (SELECT COALESCE(SUM(s.cost_micros), 0) FROM spend_daily s WHERE s.agent_id = r.agent_id AND s.org_id = $1 AND s.day >= r.from_day AND s.day < r.until_day)
                 END)::text AS spent
           FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::uuid[], $6::uuid[], $7::date[], $8::date[])
                AS r(budget_id, period_start, scope, team_id, agent_id, from_day, until_day)`,
    values: [
      orgId,
      rows.map((row) => row.budget.id),
      rows.map((row) => row.periodStart),
      rows.map((row) => row.budget.scope),
      rows.map((row) => row.budget.teamId),
      rows.map((row) => row.budget.agentId),
      days.map((day) => day.from),
      days.map((day) => day.until),
    ],
  });
  for (const row of found) {
    counters.set(budgetKey({ budgetId: row.budget_id, periodStart: new Date(row.period_start).toISOString() }), { spentMicros: BigInt(row.spent), reservedMicros: BigInt(row.reserved) });
  }
  return counters;
}

/** The usage rows of the budgets that apply to `agent` at `now`. */
export function usageRowsFor(budgets: readonly BudgetDefinition[], agent: Pick<AgentProfile, "id" | "teamId">, now: Date): UsageRow[] {
  return applicableBudgets(budgets, agent).map((budget) => ({ budget, periodStart: periodBounds(budget.period, now).start.toISOString() }));
}

/** Budget states as the budget arithmetic reads them, from rows and counters. */
export function budgetStates(rows: readonly UsageRow[], counters: CounterMap): BudgetState[] {
  return rows.map((row) => {
    const counter = counters.get(budgetKey({ budgetId: row.budget.id, periodStart: row.periodStart })) ?? { spentMicros: 0n, reservedMicros: 0n };
    return { budgetId: row.budget.id, scope: row.budget.scope, period: row.budget.period, mode: row.budget.mode, limitMicros: row.budget.limitMicros, ...counter };
  });
}

/** Directives are answered often (every heartbeat, every batch): an agent's budget states are kept for a second. */
const DIRECTIVE_COUNTERS_TTL_MS = 1_000;

/** A number per budget definitions list: states computed from older definitions are not reused. */
const definitionIds = new WeakMap<readonly BudgetDefinition[], number>();
let nextDefinitionId = 0;
function definitionsId(budgets: readonly BudgetDefinition[]): number {
  let id = definitionIds.get(budgets);
  if (id === undefined) definitionIds.set(budgets, (id = ++nextDefinitionId));
  return id;
}

const agentBudgetStates = changeCache<{ facts: OrgFacts; agent: AgentProfile }, BudgetState[]>({
  name: "budget-states",
  kinds: ["budget"],
  orgOf: ({ facts }) => facts.orgId,
  idOf: ({ facts, agent }) => `${facts.orgId}|${agent.id}|${agent.teamId ?? ""}|${definitionsId(facts.budgets)}`,
  load: async ({ facts, agent }) => {
    const rows = usageRowsFor(facts.budgets, agent, new Date());
    return budgetStates(rows, await readBudgetCounters(getPool(), facts.orgId, rows));
  },
  ttlMs: DIRECTIVE_COUNTERS_TTL_MS,
  untrustedTtlMs: DIRECTIVE_COUNTERS_TTL_MS,
});

/** The agent's budget states for its directives (at most a second old). */
export function budgetStatesForDirectives(facts: OrgFacts, agent: AgentProfile): BudgetState[] | Promise<BudgetState[]> {
  if (facts.budgets.length === 0) return [];
  return agentBudgetStates.get({ facts, agent });
}
