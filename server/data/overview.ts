// The Overview dashboard's reads: one call gathers everything the page shows, within the caller's
// reach (team leads: agents now in their teams, and what those agents spent and did). It reuses
// the other areas' reads (budgets, kill switches, alerts, approvals) and adds only the three small
// queries nobody else had: agents with their newest heartbeat, daily spend per agent from
// SpendDaily (the table budgets are enforced on, kept per agent and day, so it stays small at
// millions of events), and the last 48 hours of the hourly rollups.
import type { AuthorizedOrg } from "../auth/access";
import { authorize } from "../auth/access";
import type { Db } from "../db";
import { isExhausted } from "../domain/budget/arithmetic";
import { periodBounds, utcDay } from "../domain/budget/period";
import { activityWindows, compareActivity, countAgents, incidentSummary, overviewHealth, referenceBudget, spendHeadline, type ActivityTotals, type AgentStatus } from "../domain/overview/summary";
import { TEST_ALERT_KIND } from "../domain/alerts/kinds";
import { listAlerts } from "./alerts";
import { sqlRows } from "../db/sql";
import { listApprovals, pendingApprovalCount } from "./approvals";
import { listBudgetViews } from "./budgets";
import { listKillSwitches } from "./killswitch-views";
import { listAnomalies } from "./anomalies";
import { coverageMatrix } from "./compliance";
import { listIncidents } from "./incidents";

const DAY_MS = 86_400_000;
/** How many of each kind of incident the page lists (it links to the full list). */
const LISTED = 5;

interface AgentRow {
  id: string;
  name: string;
  team_id: string | null;
  tags: string[] | null;
  status: AgentStatus;
  heartbeat_interval_sec: number;
  last_heartbeat_at: Date | string | null;
  last_seen_at: Date | string | null;
  created_at: Date | string;
}

/** Agents in reach with their newest heartbeat (health needs only the newest). */
async function agentRows(db: Db, orgId: string, teamIds: readonly string[] | null): Promise<AgentRow[]> {
  return sqlRows<AgentRow>(
    db,
    `SELECT a.id::text, a.name, a.team_id::text, a.tags, a.status::text AS status, a.heartbeat_interval_sec,
            a.last_seen_at, a.created_at, (SELECT MAX(i.last_heartbeat_at) FROM agent_instances i WHERE i.agent_id = a.id) AS last_heartbeat_at
     FROM agents a
     WHERE a.org_id = $1::uuid AND ($2::uuid[] IS NULL OR a.team_id = ANY($2::uuid[]))
     ORDER BY a.name`,
    [orgId, teamIds === null ? null : [...teamIds]],
  );
}

/** Spend per (UTC day, agent) over [from, until), for agents now in reach. */
async function dailySpend(db: Db, orgId: string, teamIds: readonly string[] | null, from: string, until: string) {
  const rows = await sqlRows<{ day: string; agent_id: string; cost: string }>(
    db,
    `SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.agent_id::text, SUM(s.cost_micros)::text AS cost
     FROM spend_daily s JOIN agents a ON a.id = s.agent_id
     WHERE s.org_id = $1::uuid AND s.day >= $2::date AND s.day < $3::date AND s.cost_micros <> 0
       AND ($4::uuid[] IS NULL OR a.team_id = ANY($4::uuid[]))
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [orgId, from, until, teamIds === null ? null : [...teamIds]],
  );
  return rows.map((row) => ({ day: row.day, agentId: row.agent_id, costMicros: BigInt(row.cost) }));
}

/** Events, calls and errors of agents in reach in the two 24-hour windows (from the hourly rollups). */
async function activityTotals(db: Db, orgId: string, teamIds: readonly string[] | null, now: Date): Promise<{ current: ActivityTotals; previous: ActivityTotals }> {
  const windows = activityWindows(now);
  const rows = await sqlRows<{ current: boolean; events: string; llm_calls: string; tool_calls: string; errors: string }>(
    db,
    `SELECT (r.hour >= $3::timestamptz) AS current, SUM(r.events)::text AS events, SUM(r.llm_calls)::text AS llm_calls,
            SUM(r.tool_calls)::text AS tool_calls, SUM(r.errors)::text AS errors
     FROM event_rollups_hourly r JOIN agents a ON a.id = r.agent_id
     WHERE r.org_id = $1::uuid AND r.hour >= $2::timestamptz AND r.hour < $4::timestamptz
       AND ($5::uuid[] IS NULL OR a.team_id = ANY($5::uuid[]))
     GROUP BY 1`,
    [orgId, windows.previousStart.toISOString(), windows.currentStart.toISOString(), windows.end.toISOString(), teamIds === null ? null : [...teamIds]],
  );
  const totals = (current: boolean): ActivityTotals => {
    const row = rows.find((entry) => entry.current === current);
    return {
      events: Number(row?.events ?? 0),
      llmCalls: Number(row?.llm_calls ?? 0),
      toolCalls: Number(row?.tool_calls ?? 0),
      errors: Number(row?.errors ?? 0),
    };
  };
  return { current: totals(true), previous: totals(false) };
}

/** Open alerts the caller can see, by severity (the same visibility as the Alerts page: own teams plus org-wide ones). */
async function openAlertsBySeverity(db: Db, orgId: string, access: AuthorizedOrg): Promise<Record<string, number>> {
  const rows = await db.alert.groupBy({
    by: ["severity"],
    where: {
      orgId,
      kind: { not: TEST_ALERT_KIND },
      acknowledgedAt: null,
      ...(access.reach.kind === "teams" ? { OR: [{ teamId: { in: [...access.reach.teamIds] } }, { teamId: null }] } : {}),
    },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((row) => [row.severity, row._count._all]));
}

function date(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** Everything the Overview page shows, for `access` (dashboard:read), at `now`. */
export async function overviewSummary(db: Db, access: AuthorizedOrg, now: Date = new Date()) {
  const orgId = access.orgId;
  const teamIds = access.reach.kind === "teams" ? access.reach.teamIds : null;
  // The approval queue (who asked to do what) is the deciders' list: others get the count only.
  const deciders = authorize(access.membership, "approvals:decide");

  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monthStart = periodBounds("monthly", now).start.getTime();
  // The chart's 30 days, and the whole month for the month-to-date figures when it began earlier.
  const from = utcDay(new Date(Math.min(today - 29 * DAY_MS, monthStart)));
  const until = utcDay(new Date(today + DAY_MS));

  const [agents, teams, spend, activity, budgets, switches, alerts, alertCounts, approvals, pendingApprovals, posture] = await Promise.all([
    agentRows(db, orgId, teamIds),
    db.team.findMany({ where: { orgId, ...(teamIds ? { id: { in: [...teamIds] } } : {}) }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    dailySpend(db, orgId, teamIds, from, until),
    activityTotals(db, orgId, teamIds, now),
    // Org-wide on purpose: a spent org or team budget halts agents in reach whoever may see it.
    listBudgetViews(db, orgId, now, null),
    listKillSwitches(db, orgId, access.reach, 1),
    listAlerts(db, orgId, access.reach, { status: "open", limit: LISTED }),
    openAlertsBySeverity(db, orgId, access),
    deciders ? listApprovals(db, deciders, { view: "pending", limit: LISTED }, now) : null,
    pendingApprovalCount(db, orgId, access.reach, now),
    compliancePosture(db, access, now),
  ]);

  const activeSwitches = switches.active.map((sw) => ({ id: sw.id, scope: sw.scope, target: sw.target, reasonCode: sw.reasonCode, reason: sw.reason, revision: sw.revision }));
  const exhaustedBudgets = budgets.filter(isExhausted);
  const withHealth = agents.map((row) => ({
    row,
    health: overviewHealth(
      {
        id: row.id,
        teamId: row.team_id,
        tags: row.tags ?? [],
        status: row.status,
        lastHeartbeatAt: date(row.last_heartbeat_at),
        heartbeatIntervalSec: row.heartbeat_interval_sec,
      },
      { switches: activeSwitches, exhaustedBudgets, now },
    ),
  }));
  const counts = countAgents(withHealth.map(({ row, health }) => ({ status: row.status, health })));
  const discovered = withHealth
    .filter(({ row }) => row.status === "discovered")
    .map(({ row }) => ({ id: row.id, name: row.name, lastSeenAt: date(row.last_seen_at), firstSeenAt: new Date(row.created_at) }))
    .sort((a, b) => (b.lastSeenAt?.getTime() ?? 0) - (a.lastSeenAt?.getTime() ?? 0));

  const budget = referenceBudget(budgets, access.reach);
  const headline = spendHeadline(spend, budget?.limitMicros ?? null, now);
  const openAlerts = Object.values(alertCounts).reduce((sum, count) => sum + count, 0);
  const criticalAlerts = alertCounts.critical ?? 0;

  return {
    generatedAt: now,
    scope: access.reach.kind === "org" ? { kind: "org" as const, teamNames: [] } : { kind: "teams" as const, teamNames: teams.map((team) => team.name) },
    agents: { ...counts, discoveredList: discovered.slice(0, LISTED) },
    spend: {
      ...headline,
      budgetLabel: budget?.label ?? null,
      from,
      until,
      daily: spend,
      agents: agents.map((row) => ({ id: row.id, name: row.name, teamId: row.team_id })),
      teams,
    },
    activity: compareActivity(activity.current, activity.previous),
    compliance: posture.compliance,
    anomalies: posture.anomalies,
    incidents: {
      ...incidentSummary({ killSwitches: switches.active.length, openAlerts, criticalAlerts, pendingApprovals }),
      killSwitches: {
        total: switches.active.length,
        items: switches.active.slice(0, LISTED).map((sw) => ({
          id: sw.id,
          scope: sw.scope,
          targetName: sw.targetName,
          reason: sw.reason,
          reasonCode: sw.reasonCode,
          engagedBy: sw.engagedBy,
          engagedAt: sw.engagedAt,
          affectedAgents: sw.affected.total,
        })),
      },
      alerts: {
        total: openAlerts,
        critical: criticalAlerts,
        items: alerts.items.map((alert) => ({
          id: alert.id,
          kind: alert.kind,
          severity: alert.severity,
          title: alert.title,
          agent: alert.agentId ? { id: alert.agentId, name: alert.agentName ?? "(deleted agent)" } : null,
          teamName: alert.teamName,
          createdAt: alert.createdAt,
        })),
      },
      approvals: {
        total: pendingApprovals,
        /** Null when the caller may not decide approvals (they see how many wait, not what). */
        items: approvals
          ? approvals.items.map((item) => ({ id: item.id, agent: item.agent, action: { type: item.action.type, name: item.action.name }, requestedAt: item.requestedAt, expiresAt: item.expiresAt }))
          : null,
      },
    },
  };
}

/**
 * Compliance posture and the last 7 days' anomalies, from the same reads as the Compliance page
 * (stored control evaluations, incidents, anomalies: never the events), so the figures match.
 */
async function compliancePosture(db: Db, access: AuthorizedOrg, now: Date) {
  const since = new Date(now.getTime() - 7 * DAY_MS);
  const teamIds = access.reach.kind === "teams" ? [...access.reach.teamIds] : null;
  const [matrix, incidents, anomalies, anomalyCounts] = await Promise.all([
    coverageMatrix(db, access),
    listIncidents(db, access.orgId, access.reach, { status: "open" }, now),
    listAnomalies(db, access, { since, limit: LISTED }),
    sqlRows<{ metric: string; n: number }>(
      db,
      `SELECT metric, count(*)::int AS n FROM anomalies WHERE org_id = $1::uuid AND detected_at >= $2::timestamptz AND ($3::uuid[] IS NULL OR team_id = ANY($3::uuid[])) GROUP BY metric`,
      [access.orgId, since.toISOString(), teamIds],
    ),
  ]);
  const byClass = (riskClass: string | null) => matrix.agents.filter((agent) => agent.riskClass === riskClass).length;
  const byMetric = Object.fromEntries(anomalyCounts.map((row) => [row.metric, row.n])) as Record<string, number>;
  return {
    compliance: {
      agents: matrix.agents.length,
      highRisk: byClass("high"),
      prohibited: byClass("prohibited"),
      unclassified: byClass(null),
      openGaps: matrix.agents.reduce((sum, agent) => sum + agent.gaps, 0),
      agentsWithGaps: matrix.agents.filter((agent) => agent.gaps > 0).length,
      notAssessed: matrix.agents.reduce((sum, agent) => sum + agent.notAssessed, 0),
      lastEvaluatedAt: matrix.lastEvaluatedAt,
      incidents: {
        open: incidents.length,
        serious: incidents.filter((incident) => incident.serious).length,
        overdue: incidents.filter((incident) => incident.clock.state === "overdue").length,
        items: incidents.slice(0, LISTED).map((incident) => ({
          id: incident.id,
          title: incident.title,
          severity: incident.severity,
          serious: incident.serious,
          agent: incident.agent,
          deadlineAt: incident.deadlineAt,
          reportedAt: incident.reportedAt,
          clock: incident.clock,
          openedAt: incident.openedAt,
        })),
      },
    },
    anomalies: {
      total: Object.values(byMetric).reduce((sum, count) => sum + count, 0),
      byMetric,
      items: anomalies.map((anomaly) => ({
        id: anomaly.id,
        agent: anomaly.agent,
        metric: anomaly.metric,
        hour: anomaly.hour,
        statistic: anomaly.statistic,
        score: anomaly.score,
        observed: anomaly.observed,
        baseline: anomaly.baseline,
        detectedAt: anomaly.detectedAt,
      })),
    },
  };
}

export type OverviewSummary = Awaited<ReturnType<typeof overviewSummary>>;
