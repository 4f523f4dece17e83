// Control evaluation from the system's own state: gathers, for an org (or some of its agents), the
// facts the checks need in a handful of set-based queries, runs the pure checks
// (server/domain/compliance/checks.ts) for every agent × control, and stores each outcome with its
// evidence and time in control_evaluations, so "last evaluated" is real. Idempotent and safe to run
// in several processes at once (each row is an upsert of the latest evaluation).
import { evaluatePolicies } from "../policy/engine";
import { verifyAuditChain, type ChainedAuditRecord } from "../domain/audit/chain";
import { switchCovers, type KillSwitchScope } from "../domain/killswitch/match";
import { controlApplies } from "../domain/compliance/applicability";
import { CONTROLS, isConsequentialTool, isRiskClass, type RiskClass } from "../domain/compliance/catalogue";
import { runCheck, type AgentCheckFacts, type AuditRef, type OrgCheckFacts } from "../domain/compliance/checks";
import { complianceVerdict } from "../domain/compliance/decide-rules";
import { statusOf, type ControlStatus } from "../domain/compliance/status";
import { getPool, inTransaction } from "../db/pool";
import { inOrder, sqlRows, type SqlClient } from "../db/sql";
import type { AuditEntry } from "../generated/prisma/client";
import { toAuditRecord } from "./audit";

const DAY_MS = 86_400_000;
/** Evidence is looked at over this period (decisions, incidents, the audit chain). */
export const EVALUATION_PERIOD_DAYS = 90;
export const KILL_SWITCH_WINDOW_DAYS = 90;
export const TELEMETRY_WINDOW_DAYS = 7;

interface AgentRow {
  id: string;
  name: string;
  owner: string | null;
  team_id: string | null;
  team_name: string | null;
  description: string;
  models: string[];
  tools: string[];
  tags: string[];
  data_categories: string[];
  risk_class: string | null;
  risk_reason: string | null;
  risk_annex_area: string | null;
  has_questionnaire: boolean;
  risk_assessed_by: string | null;
  risk_assessed_at: Date | null;
  last_seen_at: Date | null;
}

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

async function loadAgents(client: SqlClient, orgId: string, agentIds: readonly string[] | null): Promise<AgentRow[]> {
  return sqlRows<AgentRow>(
    client,
    `SELECT a.id::text, a.name, a.owner, a.team_id::text, t.name AS team_name, a.description, a.models, a.tools, a.tags, a.data_categories,
            a.risk_class, a.risk_reason, a.risk_annex_area, (a.risk_questionnaire IS NOT NULL) AS has_questionnaire, a.risk_assessed_by,
            a.risk_assessed_at, a.last_seen_at
       FROM agents a LEFT JOIN teams t ON t.id = a.team_id
      WHERE a.org_id = $1::uuid AND a.status <> 'archived' AND ($2::uuid[] IS NULL OR a.id = ANY($2::uuid[]))
      ORDER BY a.name`,
    [orgId, agentIds ? [...agentIds] : null],
  );
}

/** Verifies the org's chain from the first entry of the period to its head, a page at a time. */
export async function verifyChainSince(client: SqlClient, orgId: string, since: Date): Promise<OrgCheckFacts["chain"]> {
  const first = await sqlRows<{ seq: number }>(client, "SELECT min(seq) AS seq FROM audit_entries WHERE org_id = $1::uuid AND at >= $2::timestamptz", [orgId, since.toISOString()]);
  const firstSeq = first[0]?.seq ?? null;
  if (firstSeq === null) {
    const head = await sqlRows<{ seq: number; hash: string }>(client, "SELECT seq, hash FROM audit_entries WHERE org_id = $1::uuid ORDER BY seq DESC LIMIT 1", [orgId]);
    return { ok: true, checked: 0, head: head[0] ?? null, problem: null };
  }
  let anchor: { seq: number; hash: string } | null = null;
  if (firstSeq > 1) {
    const previous = await sqlRows<{ seq: number; hash: string }>(client, "SELECT seq, hash FROM audit_entries WHERE org_id = $1::uuid AND seq = $2", [orgId, firstSeq - 1]);
    anchor = previous[0] ?? { seq: firstSeq - 1, hash: "" };
  }
  let checked = 0;
  const PAGE = 5000;
  for (;;) {
    const rows = await sqlRows<AuditEntry>(
      client,
      `SELECT id::text, org_id::text AS "orgId", seq, at, actor_type::text AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action,
              target_type AS "targetType", target_id AS "targetId", team_id::text AS "teamId", before, after, reason, prev_hash AS "prevHash", hash
         FROM audit_entries WHERE org_id = $1::uuid AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [orgId, anchor?.seq ?? firstSeq - 1],
    );
    if (rows.length === 0) break;
    const records = rows.map(toAuditRecord);
    const result = verifyAuditChain(records, anchor);
    if (!result.ok) return { ok: false, checked: checked + result.count, head: anchor, problem: `entry ${result.brokenAt.seq ?? "?"}: ${result.problem}` };
    checked += records.length;
    const last = records[records.length - 1] as ChainedAuditRecord;
    anchor = { seq: last.seq, hash: last.hash };
    if (rows.length < PAGE) break;
  }
  return { ok: true, checked, head: anchor, problem: null };
}

async function retentionFacts(client: SqlClient, orgId: string): Promise<OrgCheckFacts["retention"]> {
  const [trigger, oldest, settings] = await inOrder([
    () => sqlRows<{ n: number }>(client, "SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal", []),
    () =>
      sqlRows<{ event_at: Date | null; audit_at: Date | null }>(
        client,
        `SELECT (SELECT ts FROM events WHERE org_id = $1::uuid ORDER BY ts ASC LIMIT 1) AS event_at,
              (SELECT at FROM audit_entries WHERE org_id = $1::uuid ORDER BY seq ASC LIMIT 1) AS audit_at`,
        [orgId],
      ),
    () => sqlRows<{ days: string | null }>(client, "SELECT settings->>'eventRetentionDays' AS days FROM orgs WHERE id = $1::uuid", [orgId]),
  ]);
  const days = settings[0]?.days;
  return {
    auditImmutable: (trigger[0]?.n ?? 0) > 0,
    retentionDays: days === null || days === undefined || Number.isNaN(Number(days)) ? null : Number(days),
    oldestEventAt: date(oldest[0]?.event_at ?? null),
    oldestAuditAt: date(oldest[0]?.audit_at ?? null),
  };
}

/** Released versions per agent, once the lifecycle work's table exists; null until then. */
async function versionCounts(client: SqlClient, agentIds: string[]): Promise<Map<string, number> | null> {
  const exists = await sqlRows<{ n: number }>(
    client,
    "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'agent_versions' AND column_name = 'agent_id'",
    [],
  );
  if ((exists[0]?.n ?? 0) === 0) return null;
  const rows = await sqlRows<{ agent_id: string; n: number }>(client, "SELECT agent_id::text, count(*)::int AS n FROM agent_versions WHERE agent_id = ANY($1::uuid[]) GROUP BY 1", [agentIds]);
  return new Map(rows.map((row) => [row.agent_id, row.n]));
}

const AUDIT_ACTIONS = [
  "compliance.classified",
  "agent.created",
  "agent.updated",
  "agent.registered",
  "policy.created",
  "policy.updated",
  "policy.enforced",
  "budget.created",
  "budget.updated",
  "killswitch.engaged",
  "incident.opened",
  "incident.classified",
  "incident.reported",
  "incident.closed",
];

/** The newest audit entry of each (target, action) among `targetIds`, as references (seq and hash). */
async function auditRefsFor(client: SqlClient, orgId: string, targetIds: string[]): Promise<Map<string, AuditRef[]>> {
  const refs = new Map<string, AuditRef[]>();
  if (targetIds.length === 0) return refs;
  const rows = await sqlRows<{ seq: number; hash: string; action: string; at: Date; target_id: string }>(
    client,
    `SELECT DISTINCT ON (target_id, action) seq, hash, action, at, target_id
       FROM audit_entries
      WHERE org_id = $1::uuid AND action = ANY($2::text[]) AND target_id = ANY($3::text[])
      ORDER BY target_id, action, seq DESC`,
    [orgId, AUDIT_ACTIONS, [...new Set(targetIds)]],
  );
  for (const row of rows) {
    const list = refs.get(row.target_id) ?? [];
    list.push({ seq: row.seq, hash: row.hash, action: row.action, at: new Date(row.at).toISOString() });
    refs.set(row.target_id, list);
  }
  for (const list of refs.values()) list.sort((a, b) => a.seq - b.seq);
  return refs;
}

export interface EvaluationSummary {
  agents: number;
  evaluations: number;
  counts: Record<ControlStatus, number>;
  evaluatedAt: Date;
}

export interface EvaluatedControl {
  agentId: string;
  agentName: string;
  controlId: string;
  status: ControlStatus;
  evidence: Record<string, unknown> & { check: string; because: string; summary: string };
}

export interface ComputedEvaluations {
  agents: { id: string; name: string; teamId: string | null; teamName: string | null; riskClass: string | null; annexArea: string | null; riskReason: string | null }[];
  rows: EvaluatedControl[];
  org: OrgCheckFacts;
  counts: Record<ControlStatus, number>;
}

/**
 * Evaluates every control for every agent of the org (or only `agentIds`) at `now` on `client`
 * (a pg client or a Prisma transaction: a console change re-evaluates in its own transaction) and
 * stores the outcomes.
 */
export async function evaluateControlsWith(client: SqlClient, orgId: string, now: Date, options: { agentIds?: readonly string[] } = {}): Promise<EvaluationSummary> {
  const periodFrom = new Date(now.getTime() - EVALUATION_PERIOD_DAYS * DAY_MS);
  const computed = await computeEvaluations(client, orgId, { from: periodFrom, to: now }, options);
  await storeEvaluations(client, orgId, computed.rows, periodFrom, now);
  return { agents: computed.agents.length, evaluations: computed.rows.length, counts: computed.counts, evaluatedAt: now };
}

/**
 * Runs every check for the agents over the period [from, to) without storing anything (the
 * evidence pack of a past period uses this directly).
 */
export async function computeEvaluations(client: SqlClient, orgId: string, period: { from: Date; to: Date }, options: { agentIds?: readonly string[] } = {}): Promise<ComputedEvaluations> {
  const now = period.to;
  const periodFrom = period.from;
  const agents = await loadAgents(client, orgId, options.agentIds ?? null);
  const counts: Record<ControlStatus, number> = { met: 0, gap: 0, not_applicable: 0, not_assessed: 0 };
  const agentIds = agents.map((agent) => agent.id);
  const windowFrom = new Date(now.getTime() - KILL_SWITCH_WINDOW_DAYS * DAY_MS);

  // One client runs one query at a time: these go in order, not with Promise.all.
  const [observed, decisions, audited, budgets, switches, acks, incidents, chain, retention, versions] = await inOrder([
    () => sqlRows<{ agent_id: string; category: string }>(client, "SELECT agent_id::text, category FROM agent_observed_categories WHERE agent_id = ANY($1::uuid[])", [agentIds]),
    () =>
      sqlRows<{ agent_id: string; total: number; non_allow: number; allowed_since: number }>(
        client,
        `SELECT d.agent_id::text, count(*)::int AS total, count(*) FILTER (WHERE d.decision <> 'allow')::int AS non_allow,
              count(*) FILTER (WHERE d.decision = 'allow' AND a.risk_class = 'prohibited' AND a.risk_assessed_at IS NOT NULL AND d.at > a.risk_assessed_at)::int AS allowed_since
         FROM decisions d JOIN agents a ON a.id = d.agent_id
        WHERE d.org_id = $1::uuid AND d.at >= $2::timestamptz AND d.at < $4::timestamptz AND d.agent_id = ANY($3::uuid[])
        GROUP BY d.agent_id`,
        [orgId, periodFrom.toISOString(), agentIds, now.toISOString()],
      ),
    () =>
      sqlRows<{ actor_id: string; n: number }>(
        client,
        `SELECT actor_id, count(*)::int AS n FROM audit_entries
        WHERE org_id = $1::uuid AND action IN ('decision.deny', 'decision.require_approval') AND actor_type = 'agent' AND at >= $2::timestamptz AND at < $4::timestamptz AND actor_id = ANY($3::text[])
        GROUP BY actor_id`,
        [orgId, periodFrom.toISOString(), agentIds, now.toISOString()],
      ),
    () =>
      sqlRows<{ id: string; scope: string; team_id: string | null; agent_id: string | null; period: string; mode: string }>(
        client,
        "SELECT id::text, scope::text AS scope, team_id::text, agent_id::text, period::text AS period, mode::text AS mode FROM budgets WHERE org_id = $1::uuid",
        [orgId],
      ),
    () =>
      sqlRows<{ id: string; scope: KillSwitchScope; target: string; engaged_at: Date; revision: number }>(
        client,
        "SELECT id::text, scope::text AS scope, target, engaged_at, revision FROM kill_switches WHERE org_id = $1::uuid AND engaged_at >= $2::timestamptz AND engaged_at < $3::timestamptz ORDER BY engaged_at DESC",
        [orgId, windowFrom.toISOString(), now.toISOString()],
      ),
    () => sqlRows<{ agent_id: string; revision: number }>(client, "SELECT agent_id::text, max(revision)::int AS revision FROM directive_acks WHERE org_id = $1::uuid GROUP BY agent_id", [orgId]),
    () =>
      sqlRows<{ id: string; agent_id: string | null; team_id: string | null; serious: boolean; deadline_at: Date | null; reported_at: Date | null; status: string }>(
        client,
        "SELECT id::text, agent_id::text, team_id::text, serious, deadline_at, reported_at, status FROM incidents WHERE org_id = $1::uuid AND opened_at < $3::timestamptz AND (opened_at >= $2::timestamptz OR status = 'open')",
        [orgId, periodFrom.toISOString(), now.toISOString()],
      ),
    () => verifyChainSince(client, orgId, periodFrom),
    () => retentionFacts(client, orgId),
    () => versionCounts(client, agentIds),
  ]);

  const org: OrgCheckFacts = { now, periodFrom, chain, retention, killSwitchWindowDays: KILL_SWITCH_WINDOW_DAYS, telemetryWindowDays: TELEMETRY_WINDOW_DAYS };
  const observedBy = new Map<string, string[]>();
  for (const row of observed) observedBy.set(row.agent_id, [...(observedBy.get(row.agent_id) ?? []), row.category]);
  const decisionsBy = new Map(decisions.map((row) => [row.agent_id, row]));
  const auditedBy = new Map(audited.map((row) => [row.actor_id, row.n]));
  const ackBy = new Map(acks.map((row) => [row.agent_id, row.revision]));

  // Policy coverage per agent, from the enforced set as decide sees it.
  const coverage = new Map<string, { tools: AgentCheckFacts["approvalCoverage"]; pciPolicies: string[] }>();
  for (const agent of agents) {
    const facts = {
      id: agent.id,
      name: agent.name,
      teamId: agent.team_id,
      teamName: agent.team_name,
      tags: agent.tags,
      riskClass: agent.risk_class,
      tools: agent.tools,
      models: agent.models,
      dataCategories: agent.data_categories,
    };
    const tools: AgentCheckFacts["approvalCoverage"] = [];
    for (const tool of agent.tools.filter(isConsequentialTool)) {
      const outcome = await evaluatePolicies(orgId, { agent: facts, action: { type: "tool", name: tool, arguments: {} }, dataClasses: [], estimatedCostUsd: null, now });
      tools.push({ tool, requiresApproval: outcome.effect === "require_approval", policyIds: outcome.policyIds });
    }
    const pci = await evaluatePolicies(orgId, { agent: facts, action: { type: "data", name: "cardholder_data", arguments: {} }, dataClasses: ["PCI"], estimatedCostUsd: null, now });
    coverage.set(agent.id, { tools, pciPolicies: pci.effect === "require_approval" ? pci.policyIds : [] });
  }

  const targetIds = [
    ...agentIds,
    ...budgets.map((budget) => budget.id),
    ...switches.map((sw) => sw.id),
    ...incidents.map((incident) => incident.id),
    ...[...coverage.values()].flatMap((item) => [...item.pciPolicies, ...item.tools.flatMap((tool) => tool.policyIds)]),
  ];
  const refs = await auditRefsFor(client, orgId, targetIds);
  const refsOf = (ids: readonly string[], actions?: readonly string[]) => ids.flatMap((id) => refs.get(id) ?? []).filter((ref) => !actions || actions.includes(ref.action));

  const rows: EvaluatedControl[] = [];
  for (const agent of agents) {
    const observedCategories = observedBy.get(agent.id) ?? [];
    const riskClass: RiskClass | null = isRiskClass(agent.risk_class) ? agent.risk_class : null;
    const cover = coverage.get(agent.id) ?? { tools: [], pciPolicies: [] };
    const pciRule = complianceVerdict({ riskClass, dataCategories: agent.data_categories, tags: agent.tags }, { actionType: "data", actionName: "cardholder_data", dataClasses: ["PCI"] });
    const covering = switches.find((sw) =>
      switchCovers({ id: sw.id, scope: sw.scope, target: sw.target, reasonCode: "", reason: "", revision: sw.revision }, { agentId: agent.id, teamId: agent.team_id, tags: agent.tags }),
    );
    const agentBudgets = budgets.filter((budget) => budget.scope === "org" || (budget.scope === "team" && budget.team_id === agent.team_id) || (budget.scope === "agent" && budget.agent_id === agent.id));
    const agentIncidents = incidents.filter((incident) => incident.agent_id === agent.id || (incident.agent_id === null && (incident.team_id === null || incident.team_id === agent.team_id)));
    const policyIds = [...new Set([...cover.pciPolicies, ...cover.tools.flatMap((tool) => tool.policyIds)])];
    const decision = decisionsBy.get(agent.id);
    const facts: AgentCheckFacts = {
      agent: {
        id: agent.id,
        name: agent.name,
        owner: agent.owner,
        teamId: agent.team_id,
        description: agent.description,
        models: agent.models,
        tools: agent.tools,
        riskClass,
        riskReason: agent.risk_reason,
        riskAssessedAt: date(agent.risk_assessed_at),
        riskAssessedBy: agent.risk_assessed_by,
        hasQuestionnaire: agent.has_questionnaire,
        declaredCategories: agent.data_categories,
      },
      observedCategories,
      decisions: { total: decision?.total ?? 0, nonAllow: decision?.non_allow ?? 0, allowedSinceClassified: decision?.allowed_since ?? 0 },
      auditedDecisions: auditedBy.get(agent.id) ?? 0,
      approvalCoverage: cover.tools,
      pciApproval: { complianceRule: pciRule.effect === "require_approval" ? "high-risk-pci-approval" : null, policyIds: cover.pciPolicies },
      versions: versions === null ? null : (versions.get(agent.id) ?? 0),
      budgets: agentBudgets.map((budget) => ({ id: budget.id, scope: budget.scope, period: budget.period, mode: budget.mode })),
      killSwitch: covering ? { id: covering.id, scope: covering.scope, engagedAt: new Date(covering.engaged_at), acknowledged: (ackBy.get(agent.id) ?? 0) >= covering.revision } : null,
      lastTelemetryAt: date(agent.last_seen_at),
      incidents: agentIncidents.map((incident) => ({ id: incident.id, serious: incident.serious, deadlineAt: date(incident.deadline_at), reportedAt: date(incident.reported_at), status: incident.status })),
      audit: {
        classification: refsOf([agent.id], ["compliance.classified"]),
        registry: refsOf([agent.id], ["agent.created", "agent.updated", "agent.registered"]),
        policies: refsOf(policyIds),
        budgets: refsOf(agentBudgets.map((budget) => budget.id)),
        killSwitches: covering ? refsOf([covering.id]) : [],
        incidents: refsOf(agentIncidents.map((incident) => incident.id)),
      },
    };
    const applicability = { riskClass, dataCategories: [...new Set([...agent.data_categories, ...observedCategories])], tags: agent.tags, annexArea: agent.risk_annex_area };
    for (const control of CONTROLS) {
      const applies = controlApplies(control, applicability);
      const result = applies.applies ? runCheck(control.check, facts, org) : null;
      const status = statusOf(applies.applies, result);
      counts[status] += 1;
      rows.push({
        agentId: agent.id,
        agentName: agent.name,
        controlId: control.id,
        status,
        evidence: { check: control.check, because: applies.because, summary: result?.summary ?? applies.because, ...(result?.evidence ?? {}) },
      });
    }
  }

  return {
    agents: agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      teamId: agent.team_id,
      teamName: agent.team_name,
      riskClass: agent.risk_class,
      annexArea: agent.risk_annex_area,
      riskReason: agent.risk_reason,
    })),
    rows,
    org,
    counts,
  };
}

async function storeEvaluations(client: SqlClient, orgId: string, rows: readonly EvaluatedControl[], periodFrom: Date, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await sqlRows(
    client,
    `INSERT INTO control_evaluations AS c (org_id, agent_id, control_id, status, evidence, period_from, period_to, evaluated_at)
     SELECT $1::uuid, u.agent_id, u.control_id, u.status, u.evidence, $5::timestamptz, $6::timestamptz, $6::timestamptz
       FROM unnest($2::uuid[], $3::text[], $4::text[], $7::jsonb[]) AS u(agent_id, control_id, status, evidence)
     ON CONFLICT (agent_id, control_id) DO UPDATE SET
       status = EXCLUDED.status, evidence = EXCLUDED.evidence, period_from = EXCLUDED.period_from,
       period_to = EXCLUDED.period_to, evaluated_at = EXCLUDED.evaluated_at
     WHERE c.evaluated_at <= EXCLUDED.evaluated_at
     RETURNING 1 AS done`,
    [orgId, rows.map((row) => row.agentId), rows.map((row) => row.controlId), rows.map((row) => row.status), periodFrom.toISOString(), now.toISOString(), rows.map((row) => JSON.stringify(row.evidence))],
  );
}

/** The job: every org's controls, one transaction per org. */
export async function evaluateControls(orgId: string, now: Date): Promise<EvaluationSummary> {
  return inTransaction(getPool(), (client) => evaluateControlsWith(client, orgId, now));
}
